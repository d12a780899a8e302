"""Answer-quality evaluation: question sets with human truths, scoring, and the benchmark table."""

from .matching import first_sentence, is_correct
from .outcomes import CANT_TELL, names_absent, outcome, says_cant_tell
from .qa import QAItem, leaks_prompt, read_qa, results_table, run_qa

__all__ = ["CANT_TELL", "QAItem", "first_sentence", "is_correct", "leaks_prompt", "names_absent", "outcome",
           "read_qa", "results_table", "run_qa", "says_cant_tell"]
