"""Training data: JSONL records, the refiner cache, and synthetic scenes."""
