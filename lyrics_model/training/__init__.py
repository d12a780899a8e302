"""Two-stage training: representation alignment (stage 1), then instruction tuning (stage 2)."""
