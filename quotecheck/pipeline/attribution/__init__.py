"""Learned quote attribution (issue 10): a CRF tags source, cue and content tokens per paragraph,
a linker ties them into attributions, and the rule extractor contributes features.

Modules: ``tokens`` (words with offsets), ``features`` (what the CRF reads), ``linking`` (tags →
attributions), ``model`` (the model folder on disk), ``extract`` (the stage). Training lives in
``quotecheck.train``. :func:`extract_quotes` is the quotes stage every entry point calls: the
learned extractor, or with ``Config.quote_extractor == "rules"`` (``--fast``) the rules alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quotecheck.config import Config
from quotecheck.models import Quote
from quotecheck.pipeline.segment import Segmentation

if TYPE_CHECKING:
    from quotecheck.pipeline.document import Document

__all__ = ["extract_quotes", "extract_document"]


def extract_quotes(text: str, seg: Segmentation, config: Config) -> tuple[Quote, ...]:
    """The quotes stage: learned (default) or rule-based (``config.quote_extractor == "rules"``)."""
    if config.quote_extractor == "rules":
        from quotecheck.pipeline import quotes

        return quotes.extract(text, seg, config)
    from quotecheck.pipeline.attribution.extract import extract_text
    from quotecheck.pipeline.attribution.model import load_model

    return extract_text(text, seg, load_model(config.quote_model), config)


def extract_document(doc: Document, config: Config) -> tuple[Quote, ...]:
    """:func:`extract_quotes` on a parsed :class:`~quotecheck.pipeline.document.Document`."""
    return extract_quotes(doc.text, doc.seg, config)
