"""Chat on top of the refiner: regions, prompts in both inference modes, and answer references."""

from .answer_check import AnswerReview, RegionCheck, check_region_answer, regions_discussed
from .chat_inputs import ChatInputs, bridge_inputs, grounded_inputs, grounded_messages
from .colour_check import ClipColourCheck
from .grounded_prompt import ImageFacts, image_facts
from .conversation import shared_prefix_ids, validate_messages
from .references import Reference, parse_references
from .regions import Region, RegionMatch, best_match, in_working_pixels, make_regions

__all__ = ["AnswerReview", "RegionCheck", "check_region_answer", "regions_discussed", "ChatInputs", "ClipColourCheck",
           "bridge_inputs", "grounded_inputs", "grounded_messages",
           "ImageFacts", "image_facts", "shared_prefix_ids", "validate_messages",
           "Reference", "parse_references", "Region", "RegionMatch", "best_match", "in_working_pixels", "make_regions"]
