"""Module-level entry points; each wraps one lazily created, process-wide default Checker."""

from __future__ import annotations

import threading

from quotecheck.checker import Checker
from quotecheck.models import Analysis, Comparison

__all__ = ["analyze", "compare", "extract_quotes", "get_checker"]

_default: Checker | None = None
_lock = threading.Lock()


def get_checker() -> Checker:
    """The default Checker, created on first use (settings from the environment)."""
    global _default
    with _lock:
        if _default is None:
            _default = Checker()
        return _default


def analyze(text: str, *, doc_id: str | None = None, date: str | None = None, checker: Checker | None = None) -> Analysis:
    """Who said what, and did they do what they said: the full analysis of one text."""
    return (checker or get_checker()).analyze(text, doc_id=doc_id, date=date)


def compare(a: str | Analysis, b: str | Analysis, *, checker: Checker | None = None) -> Comparison:
    """Judge the intentions stated in ``a`` against the actions reported in ``b``."""
    return (checker or get_checker()).compare(a, b)


def extract_quotes(text: str, *, doc_id: str | None = None, checker: Checker | None = None) -> Analysis:
    """Quotes and speakers only; needs no model and never imports torch."""
    return (checker or get_checker()).extract_quotes(text, doc_id=doc_id)
