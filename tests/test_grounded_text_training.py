"""`train_grounded_text` on a tiny random Llama: it saves a peft adapter, and trains on from one."""

import pytest
import torch
from accelerate.state import AcceleratorState
from safetensors.torch import load_file

from lyrics_model.modeling import load_language_model
from lyrics_model.training.grounded_text import train_grounded_text


@pytest.fixture(autouse=True)
def fresh_accelerator_state():
    """The adapter trains in bf16 where the CPU has it; accelerate keeps one precision per process, so
    the state is cleared after these runs for the tests that train in fp32."""
    yield
    AcceleratorState._reset_state()


def _lora(folder) -> dict[str, torch.Tensor]:
    return load_file(str(folder / "adapter_model.safetensors"))


def test_an_adapter_is_saved_and_training_goes_on_from_it(tiny_llm_dir, tmp_path):
    first = train_grounded_text(load_language_model("hf", "tiny-llama", weights=tiny_llm_dir), tmp_path / "a",
                                max_steps=2, examples=24)
    saved = _lora(first)
    assert any(".lora_A." in key for key in saved) and any(".lora_B." in key for key in saved)

    llm = load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)
    llm.load_lora(first)
    loaded = {name: p for name, p in llm.model.named_parameters() if "lora_" in name}
    assert loaded and all(p.requires_grad for p in loaded.values())
    assert not any(p.requires_grad for name, p in llm.model.named_parameters() if "lora_" not in name)
    for key, value in saved.items():  # peft names the adapter in memory ("...lora_A.default.weight")
        torch.testing.assert_close(loaded[key.replace(".weight", ".default.weight")].detach(), value)

    fresh = _lora(train_grounded_text(load_language_model("hf", "tiny-llama", weights=tiny_llm_dir), tmp_path / "b",
                                      max_steps=1, examples=24, seed=1))
    on = _lora(train_grounded_text(load_language_model("hf", "tiny-llama", weights=tiny_llm_dir), tmp_path / "c",
                                   max_steps=1, examples=24, seed=1, init_adapter=first))
    for key in (k for k in saved if ".lora_A." in k):  # A starts random: a fresh run draws another one
        assert (on[key] - saved[key]).norm() < 0.05 * saved[key].norm() < (fresh[key] - saved[key]).norm()
