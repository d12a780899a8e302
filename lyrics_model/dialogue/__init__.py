"""Chat on top of the refiner: regions, prompts in both inference modes, and answer references."""

from .chat_inputs import ChatInputs, bridge_inputs, grounded_inputs
from .conversation import validate_messages
from .references import Reference, parse_references
from .regions import Region, RegionMatch, best_match, make_regions

__all__ = ["ChatInputs", "bridge_inputs", "grounded_inputs", "validate_messages", "Reference", "parse_references",
           "Region", "RegionMatch", "best_match", "make_regions"]
