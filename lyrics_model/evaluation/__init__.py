"""Answer-quality evaluation: question sets with human truths, scoring, and the benchmark table."""

from .qa import QAItem, first_sentence, is_correct, leaks_prompt, read_qa, run_qa, results_table

__all__ = ["QAItem", "first_sentence", "is_correct", "leaks_prompt", "read_qa", "run_qa", "results_table"]
