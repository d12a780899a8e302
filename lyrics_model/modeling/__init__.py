"""The model: vision encoder, object encoder, MQ-Former, projector, and the LLM with LoRA."""

from .bridge import BridgeConfig, LabelEmbeddings, LyricsBridge, SceneObjects, label_embeddings
from .checkpoint import load_bridge, save_bridge
from .generation import GenerationSettings, stream_generate
from .llm import LanguageModel, LoraSettings, load_language_model
from .mq_former import MQFormer, MQFormerConfig
from .object_encoder import ObjectEncoder, ObjectEncoderConfig
from .vision_encoder import ClipVisionEncoder, PatchEncoder, PatchEncoderConfig

__all__ = ["BridgeConfig", "LabelEmbeddings", "LyricsBridge", "SceneObjects", "label_embeddings", "load_bridge", "save_bridge",
           "GenerationSettings", "stream_generate", "LanguageModel", "LoraSettings", "load_language_model",
           "MQFormer", "MQFormerConfig", "ObjectEncoder", "ObjectEncoderConfig", "ClipVisionEncoder", "PatchEncoder",
           "PatchEncoderConfig"]
