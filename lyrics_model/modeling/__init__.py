"""The model: vision encoder, object encoder, MQ-Former, projector, and the LLM with LoRA."""

from .bridge import BridgeConfig, LabelEmbeddings, LyricsBridge, SceneObjects, label_embeddings
from .checkpoint import load_bridge, save_bridge
from .batched_generation import BatchedGenerator
from .generation import GenerationSettings
from .llm import LanguageModel, LoraSettings, inference_dtype, load_language_model
from .mq_former import MQFormer, MQFormerConfig
from .remote_llm import LLMEndpoint, RemoteLanguageModel
from .object_encoder import ObjectEncoder, ObjectEncoderConfig
from .vision_encoder import ClipVisionEncoder, PatchEncoder, PatchEncoderConfig

__all__ = ["BridgeConfig", "LabelEmbeddings", "LyricsBridge", "SceneObjects", "label_embeddings", "load_bridge", "save_bridge",
           "BatchedGenerator", "GenerationSettings", "LanguageModel", "LoraSettings", "inference_dtype", "load_language_model",
           "MQFormer", "MQFormerConfig", "LLMEndpoint", "RemoteLanguageModel",
           "ObjectEncoder", "ObjectEncoderConfig", "ClipVisionEncoder", "PatchEncoder",
           "PatchEncoderConfig"]
