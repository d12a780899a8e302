"""Chat on top of the refiner: regions, prompts in both inference modes, and answer references."""

from .answer_check import AnswerReview, RegionCheck, check_region_answer, regions_discussed
from .chat_inputs import ChatInputs, bridge_inputs, grounded_inputs
from .conversation import validate_messages
from .references import Reference, parse_references
from .regions import Region, RegionMatch, best_match, make_regions

__all__ = ["AnswerReview", "RegionCheck", "check_region_answer", "regions_discussed", "ChatInputs", "bridge_inputs", "grounded_inputs", "validate_messages", "Reference", "parse_references",
           "Region", "RegionMatch", "best_match", "make_regions"]
