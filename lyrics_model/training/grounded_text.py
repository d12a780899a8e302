"""`python -m lyrics_model train grounded-text --minutes N --out DIR`: a LoRA adapter that teaches
the LLM to answer from the grounded-text facts block (short answers that start with the answer).

The LLM is frozen with the paper's LoRA (r=8, alpha 32, dropout 0.05 on q/k/v); the loss falls on
the answer tokens only; the accelerate `Trainer` of the two bridge stages runs the loop. Training
data is generated (`grounded_text_data`); a share of it is plain chat answered by the base model.
"""

from __future__ import annotations

import logging
from pathlib import Path

import torch
from torch import nn

from ..dialogue.conversation import SYSTEM_PROMPT, render
from ..modeling.llm import LanguageModel, LoraSettings
from ..refiner.efficientnet_tagger import EfficientNetTagger
from .grounded_text_data import CHAT_PROMPTS, Conversation, generate
from .stage1 import pad_rows
from .trainer import Trainer, TrainConfig, native_mixed_precision

log = logging.getLogger(__name__)
#: Share of plain-chat examples (greetings, thanks, off-topic) in the training mix.
CHAT_SHARE = 0.08


class GroundedTextModel(nn.Module):
    """The LoRA-adapted LLM; `forward(conversations)` returns the mean answer-token loss."""

    def __init__(self, llm: LanguageModel):
        super().__init__()
        self.llm = llm.model
        self.tokenizer = llm.tokenizer

    def tokens(self, conversation: Conversation) -> tuple[list[int], list[int]]:
        """(input ids, labels with -100 on everything but the answer)."""
        system = SYSTEM_PROMPT + "\n\n" + conversation.facts if conversation.facts else SYSTEM_PROMPT
        turns = [{"role": "system", "content": system}, {"role": "user", "content": conversation.question}]
        prompt = render(self.tokenizer, system, turns[1:])
        full = self.tokenizer.apply_chat_template(turns + [{"role": "assistant", "content": conversation.answer}],
                                                  tokenize=False)
        if not full.startswith(prompt):
            raise ValueError("the chat template does not extend the prompt with the answer")
        prompt_ids = self.tokenizer(prompt, add_special_tokens=False).input_ids
        answer_ids = self.tokenizer(full[len(prompt):], add_special_tokens=False).input_ids
        return prompt_ids + answer_ids, [-100] * len(prompt_ids) + answer_ids

    def forward(self, conversations: list[Conversation]) -> torch.Tensor:
        rows = [self.tokens(c) for c in conversations]
        device = next(self.llm.parameters()).device
        ids, mask = pad_rows([r[0] for r in rows], self.tokenizer.pad_token_id)
        labels, _ = pad_rows([r[1] for r in rows], -100)
        return self.llm(input_ids=ids.to(device), attention_mask=mask.long().to(device), labels=labels.to(device)).loss


@torch.no_grad()
def chat_examples(llm: LanguageModel, max_new_tokens: int = 48) -> list[Conversation]:
    """The base model's own greedy replies to `CHAT_PROMPTS` (no facts), to keep its manners."""
    out = []
    for prompt in CHAT_PROMPTS:
        text = render(llm.tokenizer, SYSTEM_PROMPT, [{"role": "user", "content": prompt}])
        ids = llm.tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids.to(llm.device)
        reply = llm.model.generate(ids, max_new_tokens=max_new_tokens, do_sample=False,
                                   pad_token_id=llm.tokenizer.pad_token_id)[0, ids.shape[1]:]
        out.append(Conversation("", prompt, llm.tokenizer.decode(reply, skip_special_tokens=True).strip(), "chat"))
    return out


def train_grounded_text(llm: LanguageModel, out: str | Path, minutes: float | None = None, max_steps: int = 800,
                        batch_size: int = 4, lr: float = 3e-4, examples: int = 8000, seed: int = 0,
                        init_adapter: str | Path | None = None) -> Path:
    """Train the adapter on `llm` (modified in place: LoRA is added) and save it to `out`.

    init_adapter: an adapter folder to train on instead of a fresh LoRA (its r, alpha and modules are
    kept), e.g. the shipped adapter on data generated with another `seed`.

    The learning rate warms up for 30 updates, then decays (cosine) to a tenth at `max_steps`; the
    forward pass runs in bf16 autocast where the device computes bf16 natively (1.5x faster per
    step in a short measurement on a CPU with AMX), in fp32 elsewhere.

    Returns the adapter folder (peft `save_pretrained`: adapter_config.json + adapter_model.safetensors).
    """
    imagenet = EfficientNetTagger.from_package().labels
    chats = chat_examples(llm)
    data = generate(examples, imagenet, seed)
    every = max(1, round(1 / CHAT_SHARE))
    data = [chats[i // every % len(chats)] if i % every == every - 1 else c for i, c in enumerate(data)]
    if init_adapter:
        llm.load_lora(init_adapter)
    else:
        llm.add_lora(LoraSettings())
    model = GroundedTextModel(llm)
    precision = native_mixed_precision(llm.device)
    config = TrainConfig(stage=2, out_dir=str(out), batch_size=batch_size, lr=lr, max_steps=max_steps,
                         max_minutes=minutes, log_every=10, save_every=0, seed=seed, resume=False,
                         lr_schedule="cosine", warmup_steps=min(30, max_steps // 10), mixed_precision=precision,
                         max_grad_norm=None)
    trainer = Trainer(config, model, lambda indices: [data[i] for i in indices], len(data))
    history = trainer.fit()
    if trainer.step < max_steps:
        log.warning("the time cap stopped training at step %d of %d", trainer.step, max_steps)
    folder = Path(out) / "adapter"
    if trainer.accelerator.is_main_process:
        trainer.accelerator.unwrap_model(model).llm.save_pretrained(folder)
    log.info("adapter saved to %s after %d steps (last loss %.3f)", folder, trainer.step, history[-1]["loss"])
    return folder
