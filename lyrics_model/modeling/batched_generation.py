"""Continuous batching: the answers of concurrent requests decode together, one token for all of them
per forward pass, on one worker thread.

Requests that arrive together are prefilled together; a request joins the running batch as soon as
its prompt is encoded and leaves it when it ends (end of sequence, `max_new_tokens`, or its stop
switch), so a short answer never waits for a long one. Each request keeps its own KV cache rows, sampling settings, stop switch and text stream.
Prompts and caches are left-padded to a common length and the padding is masked (position ids count
real tokens only), so a greedy answer is the one `model.generate` gives for the request alone
(exactly in fp32; in bf16 the padding can change rounding, and so a long answer's later tokens).

Encoding prompts one pass at a time costs more than encoding them together, so the worker waits a
little for company: an idle worker waits `gather_s` after a request arrives, and callers that are
still building a prompt can say so (`expecting()`); the worker then waits for those prompts, at
most `max_gather_s` after the oldest queued request, and encodes them in one pass. New requests
join a running batch the same way, so a burst of arrivals costs one encoding pass, not one each.

Prompts that start with the same tokens share their keys and values, so each prompt is encoded
only from where what is already known ends:
- the system prompt: give the generator its token ids as `shared_prefix` and it encodes them once;
- a prompt's own reusable head (`stream(..., reusable=N)`: in grounded-text mode the system prompt
  and the image's facts, the same for every question about that image): its keys and values are
  kept after its first encoding (the `prefix_cache_size` most recently used heads), and a later
  prompt that starts with the same N token ids is encoded from token N.
Rows are laid out as [left padding | known head | left padding | the rest of the prompt]; padding is
masked out and position ids count real tokens only.
At exit every generator's worker is stopped first (`close`): a worker thread still inside torch
while the interpreter shuts down aborts the process ("terminate called without an active exception").
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import torch
import torch.nn.functional as F
from cachetools import LRUCache
from transformers import (DynamicCache, LogitsProcessorList, RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
                          TextIteratorStreamer, TopPLogitsWarper)

from .generation import GenerationSettings


@dataclass
class _Request:
    """One answer in flight. seen: (1, n) token ids the repetition penalty looks at (the prompt's ids
    when the prompt is ids, as `generate` does, then every generated token)."""

    inputs: dict
    settings: GenerationSettings
    stop_event: threading.Event
    streamer: TextIteratorStreamer
    seen: torch.Tensor
    processors: LogitsProcessorList
    generated: int = 0
    error: BaseException | None = None
    generator: torch.Generator | None = None
    next_token: int = -1
    done: bool = False
    queued_at: float = field(default_factory=time.monotonic)
    reusable: int = 0


#: The generators alive, stopped at exit (see `close`).
_LIVE: "weakref.WeakSet[BatchedGenerator]" = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for generator in list(_LIVE):
        generator.close()


#: Keys and values of a prompt's head: (1, kv_heads, N, head_dim) per layer.
KeyValues = list[tuple[torch.Tensor, torch.Tensor]]


@dataclass
class _Batch:
    """The running rows. cache: KV tensors (B, heads, L, head_dim) per layer, left-padded; mask: (B, L)
    1 for real positions; positions: (B,) the next position id of each row."""

    requests: list[_Request] = field(default_factory=list)
    cache: DynamicCache | None = None
    mask: torch.Tensor | None = None
    positions: torch.Tensor | None = None


class BatchedGenerator:
    """Streams answers for many callers at once through one model (see the module docstring).

    Args:
        llm: the `LanguageModel` (model + tokenizer); used only from the worker thread. Its weights
            must not change once a shared prefix has been encoded.
        max_batch: the most answers decoded together; later requests wait their turn.
        shared_prefix: (P,) token ids most prompts start with, encoded once and reused.
    """

    #: Seconds an idle worker waits after a request arrives for others to prefill with it.
    gather_s = 0.02
    #: The longest a queued request waits for prompts still being built (`expecting`) to join it.
    max_gather_s = 0.25
    #: Reusable prompt heads kept (least recently used dropped first); SmolLM2-135M in bf16 keeps
    #: about 23 KB per token, so 32 heads of 150 tokens take about 110 MB.
    prefix_cache_size = 32

    def __init__(self, llm, max_batch: int = 8, shared_prefix: Sequence[int] | None = None):
        self.llm, self.max_batch = llm, max_batch
        prefix = torch.as_tensor(shared_prefix if shared_prefix is not None else [], dtype=torch.long).cpu()
        self.shared_prefix = prefix if len(prefix) else None
        self._prefix_cache: KeyValues | None = None
        self._heads: LRUCache = LRUCache(maxsize=self.prefix_cache_size)  # token ids (bytes) -> KeyValues
        self._heads_lock = threading.Lock()
        config = llm.model.generation_config
        eos = config.eos_token_id if config.eos_token_id is not None else llm.tokenizer.eos_token_id
        self.eos = set(eos if isinstance(eos, (list, tuple)) else [eos])
        self._waiting: deque[_Request] = deque()
        self._expected = 0  # callers inside `expecting()`
        self._changed = threading.Condition()  # guards _waiting, _expected, _worker and _closing
        self._worker: threading.Thread | None = None
        self._closing = False
        _LIVE.add(self)

    def stream(self, inputs: dict, settings: GenerationSettings, stop_event: threading.Event | None = None,
               reusable: int = 0) -> Iterator[str]:
        """Queue one answer now and return an iterator over its text chunks as they are decoded.

        inputs: `input_ids` + `attention_mask`, or `inputs_embeds` + `attention_mask`, batch 1.
        Setting `stop_event`, or closing the iterator, ends the answer after the current token.
        Requests queued together (e.g. several `stream` calls in a row) are encoded together.
        reusable: how many leading token ids other prompts may start with too (their keys and values
        are kept for them; see the module docstring); 0: none.
        """
        stop_event = stop_event or threading.Event()
        ids = inputs.get("input_ids")
        request = _Request(inputs, settings, stop_event,
                           TextIteratorStreamer(self.llm.tokenizer, skip_special_tokens=True),
                           ids.cpu() if ids is not None else torch.zeros((1, 0), dtype=torch.long),
                           _processors(settings), reusable=reusable)
        if settings.temperature > 0:
            request.generator = torch.Generator().manual_seed(int(torch.randint(0, 2**31 - 1, ()).item()))
        with self._changed:
            self._waiting.append(request)
            self._changed.notify_all()
            if self._worker is None or not self._worker.is_alive():  # it leaves when idle a while
                self._worker = threading.Thread(target=self._run, daemon=True, name="lyrics-batched-generate")
                self._worker.start()
        return self._chunks(request)

    @contextmanager
    def expecting(self) -> Iterator[None]:
        """Announce a request whose prompt is being built: queued requests wait for it (at most
        `max_gather_s`) so that they are encoded in one pass. Call `stream` inside the block."""
        with self._changed:
            self._expected += 1
        try:
            yield
        finally:
            with self._changed:
                self._expected -= 1
                self._changed.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker thread once the answers in flight end (waiting at most `timeout` seconds).
        A later `stream` starts a new one."""
        with self._changed:
            self._closing, worker = True, self._worker
            self._changed.notify_all()
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)
        with self._changed:
            self._closing = False

    def clear_prefixes(self) -> None:
        """Forget the kept prompt heads (the shared prefix stays: it depends on the weights only)."""
        with self._heads_lock:
            self._heads.clear()

    @staticmethod
    def _chunks(request: _Request) -> Iterator[str]:
        try:
            for chunk in request.streamer:
                if chunk:
                    yield chunk
        finally:
            request.stop_event.set()
        if request.error is not None:
            raise request.error

    # ---- the worker -----------------------------------------------------------------------------

    def _run(self) -> None:
        batch = _Batch()
        while True:
            if not batch.requests:
                with self._changed:
                    self._changed.wait_for(lambda: self._waiting or self._closing, timeout=30)
                    if not self._waiting:  # idle a while, or closed: the next request starts a new worker
                        self._worker = None
                        return
                time.sleep(self.gather_s)  # requests that arrive together are prefilled together
                self._admit(batch, self._gathered(self.max_batch))
            elif self._waiting:
                self._admit(batch, self._gathered(self.max_batch - len(batch.requests), block=False))
            if batch.requests:
                try:
                    self._step(batch)
                except BaseException as err:  # fail every request in the batch; the worker goes on
                    for request in batch.requests:
                        self._finish(request, err)
                    batch = _Batch()

    def _gathered(self, count: int, block: bool = True) -> list[_Request]:
        """Up to `count` queued requests, once no announced prompt is still on its way (or the oldest
        has waited `max_gather_s`, or `count` are queued). block=False: [] instead of waiting."""
        with self._changed:
            def ready() -> bool:
                waited = time.monotonic() - self._waiting[0].queued_at
                return not self._expected or len(self._waiting) >= count or waited >= self.max_gather_s
            if not ready():
                if not block:
                    return []
                deadline = self._waiting[0].queued_at + self.max_gather_s
                self._changed.wait_for(ready, timeout=max(0.0, deadline - time.monotonic()))
            return [self._waiting.popleft() for _ in range(min(count, len(self._waiting)))]

    @torch.inference_mode()
    def _admit(self, batch: _Batch, requests: list[_Request]) -> None:
        """Prefill `requests` together (left-padded), choose their first tokens, add their rows to the batch."""
        embedded, heads = [], []
        for request in requests:
            try:
                known, values = self._known_head(request)
                embedded.append((request, self._embed(request, skip=known)))
                heads.append(values)
            except BaseException as err:  # e.g. a token id outside the vocabulary: only this request fails
                self._finish(request, err)
        if not embedded:
            return
        requests = [r for r, _ in embedded]
        width = max(e.shape[1] for _, (e, _) in embedded)
        embeds = torch.cat([_left_pad(e, width, dim=1) for _, (e, _) in embedded])
        mask = torch.cat([_left_pad(m, width, dim=1) for _, (_, m) in embedded])
        known = max(map(_length, heads))
        past = None
        try:
            if known:
                past = DynamicCache(ddp_cache_data=_stack_heads(heads, known))
                head_mask = torch.cat([_left_pad(torch.ones(1, _length(h), dtype=torch.long), known, dim=1) for h in heads])
                mask = torch.cat([head_mask.to(mask.device), mask], dim=1)
            positions = (mask.cumsum(-1) - 1).clamp(min=0)[:, mask.shape[1] - width:]
            out = self.llm.model(inputs_embeds=embeds, attention_mask=mask, position_ids=positions, cache=past,
                                 use_cache=True, logits_to_keep=1)
        except BaseException as err:
            for request in requests:
                self._finish(request, err)
            return
        for row, (request, (rest, _)) in enumerate(embedded):
            self._keep_head(request, out.cache, row, known, width - rest.shape[1], heads[row])
        for row, request in enumerate(requests):
            self._choose(request, out.logits[row : row + 1, -1, :])
        keep = [i for i, r in enumerate(requests) if not r.done]
        if not keep:
            return
        index = torch.tensor(keep, device=self.llm.device)
        cache = DynamicCache(ddp_cache_data=[(k[index], v[index]) for k, v, *_ in out.cache])
        mask, next_positions = mask[index], mask[index].sum(-1)
        if batch.cache is not None:
            width = max(batch.mask.shape[1], mask.shape[1])
            cache = DynamicCache(ddp_cache_data=[
                (torch.cat([_left_pad(k, width), _left_pad(k2, width)]), torch.cat([_left_pad(v, width), _left_pad(v2, width)]))
                for (k, v, *_), (k2, v2, *_) in zip(batch.cache, cache)])
            mask = torch.cat([_left_pad(batch.mask, width, dim=1), _left_pad(mask, width, dim=1)])
            next_positions = torch.cat([batch.positions, next_positions])
        batch.requests = batch.requests + [requests[i] for i in keep]
        batch.cache, batch.mask, batch.positions = cache, mask, next_positions

    def _embed(self, request: _Request, skip: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """(1, L, hidden) prompt embeddings in the model's dtype and (1, L) attention mask, leaving out
        the first `skip` positions (the shared prefix)."""
        inputs = request.inputs
        if "inputs_embeds" in inputs:
            embeds = inputs["inputs_embeds"].to(self.llm.device)
        else:
            embeds = self.llm.embed_tokens(inputs["input_ids"][:, skip:].to(self.llm.device))
        mask = inputs.get("attention_mask")
        mask = torch.ones(embeds.shape[:2], dtype=torch.long) if mask is None else mask[:, skip:]
        return embeds.to(self._dtype), mask.to(self.llm.device, torch.long)

    def _known_head(self, request: _Request) -> tuple[int, KeyValues | None]:
        """How many of the request's first tokens are already encoded, and their keys and values: its
        reusable head when kept, else the shared prefix when the prompt starts with it, else none."""
        ids = self._attended_ids(request)
        if ids is None:
            return 0, None
        if 0 < request.reusable < len(ids):
            with self._heads_lock:
                values = self._heads.get(_key(ids[: request.reusable]))
            if values is not None:
                return request.reusable, values
        prefix = self.shared_prefix
        if prefix is not None and len(ids) > len(prefix) and torch.equal(ids[: len(prefix)], prefix):
            return len(prefix), self._encoded_prefix()
        return 0, None

    @staticmethod
    def _attended_ids(request: _Request) -> torch.Tensor | None:
        """(L,) the prompt's token ids on the CPU when it is ids that are all attended, else None."""
        ids, mask = request.inputs.get("input_ids"), request.inputs.get("attention_mask")
        if ids is None or (mask is not None and not bool(mask.all())):
            return None
        return ids[0].cpu()

    def _keep_head(self, request: _Request, cache, row: int, known: int, padding: int,
                   head: KeyValues | None) -> None:
        """Keep the keys and values of the request's reusable head from the batch's `cache` (row `row`;
        `known` columns of known heads, then `padding` columns before the row's own tokens)."""
        ids = self._attended_ids(request)
        used = _length(head)
        if ids is None or not used < request.reusable < len(ids):
            return
        key = _key(ids[: request.reusable])
        with self._heads_lock:
            if key in self._heads:
                return
        start = known + padding
        columns = torch.cat([torch.arange(known - used, known), torch.arange(start, start + request.reusable - used)])
        columns = columns.to(self.llm.device)
        values = [(k[row : row + 1, :, columns], v[row : row + 1, :, columns]) for k, v, *_ in cache]
        with self._heads_lock:
            self._heads[key] = values

    def _encoded_prefix(self) -> KeyValues:
        """The shared prefix's keys and values, (1, heads, P, head_dim) per layer, encoded on first use."""
        if self._prefix_cache is None:
            ids = self.shared_prefix[None].to(self.llm.device)
            out = self.llm.model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=True)
            self._prefix_cache = [(k, v) for k, v, *_ in out.cache]
        return self._prefix_cache

    @property
    def _dtype(self) -> torch.dtype:
        return self.llm.model.get_input_embeddings().weight.dtype

    @torch.inference_mode()
    def _step(self, batch: _Batch) -> None:
        """Decode one token for every row, then drop the rows whose answers ended."""
        tokens = torch.tensor([[r.next_token] for r in batch.requests], device=self.llm.device)
        batch.mask = F.pad(batch.mask, (0, 1), value=1)
        out = self.llm.model(input_ids=tokens, attention_mask=batch.mask, position_ids=batch.positions[:, None],
                             cache=batch.cache, use_cache=True)
        batch.cache, batch.positions = out.cache, batch.positions + 1
        for row, request in enumerate(batch.requests):
            self._choose(request, out.logits[row : row + 1, -1, :])
        keep = [i for i, r in enumerate(batch.requests) if not r.done]
        if len(keep) < len(batch.requests):
            if not keep:
                batch.requests, batch.cache, batch.mask, batch.positions = [], None, None, None
                return
            index = torch.tensor(keep, device=self.llm.device)
            batch.cache.batch_select_indices(index)
            batch.requests = [batch.requests[i] for i in keep]
            batch.mask, batch.positions = batch.mask[index], batch.positions[index]
            unused = int((batch.mask.sum(0) == 0).long().cumprod(0).sum())  # leading columns no row uses
            if unused:
                batch.cache = DynamicCache(ddp_cache_data=[(k[:, :, unused:], v[:, :, unused:])
                                                           for k, v, *_ in batch.cache])
                batch.mask = batch.mask[:, unused:]

    def _choose(self, request: _Request, logits: torch.Tensor) -> None:
        """Pick the request's next token from its (1, vocab) logits; stream it or end the answer."""
        scores = request.processors(request.seen, logits.float().cpu())
        if request.settings.temperature > 0:
            token = int(torch.multinomial(F.softmax(scores, dim=-1), 1, generator=request.generator))
        else:
            token = int(scores.argmax(-1))
        request.generated += 1
        request.seen = torch.cat([request.seen, torch.tensor([[token]])], dim=1)
        if token in self.eos:
            return self._finish(request)
        request.streamer.put(torch.tensor([token]))
        request.next_token = token
        if request.generated >= request.settings.max_new_tokens or request.stop_event.is_set():
            self._finish(request)

    @staticmethod
    def _finish(request: _Request, error: BaseException | None = None) -> None:
        request.error, request.done = error, True
        request.streamer.end()


def _processors(settings: GenerationSettings) -> LogitsProcessorList:
    """The logits processors `generate` applies for these settings (repetition penalty, then, when
    sampling, temperature and top-p)."""
    processors = LogitsProcessorList()
    if settings.repetition_penalty != 1.0:
        processors.append(RepetitionPenaltyLogitsProcessor(settings.repetition_penalty))
    if settings.temperature > 0:
        processors.append(TemperatureLogitsWarper(settings.temperature))
        processors.append(TopPLogitsWarper(settings.top_p))
    return processors


def _key(ids: torch.Tensor) -> bytes:
    return ids.to(torch.long).numpy().tobytes()


def _length(head: KeyValues | None) -> int:
    """The number of tokens a known head covers (0 for none)."""
    return head[0][0].shape[2] if head else 0


def _stack_heads(heads: list[KeyValues | None], width: int) -> KeyValues:
    """One (B, kv_heads, width, head_dim) key and value tensor per layer from each row's known head
    (left-padded with zeros; a row with none is all padding)."""
    template = next(h for h in heads if h)
    layers = []
    for layer, (k0, v0) in enumerate(template):
        empty_k, empty_v = k0.new_zeros(*k0.shape[:2], 0, k0.shape[3]), v0.new_zeros(*v0.shape[:2], 0, v0.shape[3])
        keys = [_left_pad(h[layer][0] if h else empty_k, width) for h in heads]
        values = [_left_pad(h[layer][1] if h else empty_v, width) for h in heads]
        layers.append((torch.cat(keys), torch.cat(values)))
    return layers


def _left_pad(tensor: torch.Tensor, width: int, dim: int = 2) -> torch.Tensor:
    """Zero-pad `tensor` on the left of `dim` up to `width`."""
    missing = width - tensor.shape[dim]
    if missing == 0:
        return tensor
    shape = list(tensor.shape)
    shape[dim] = missing
    return torch.cat([tensor.new_zeros(shape), tensor], dim=dim)
