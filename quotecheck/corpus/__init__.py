"""Corpus scale: stream many articles through quotecheck, on one machine or on a Ray cluster.

``reader`` streams articles out of ``.txt`` files and JSON Lines files (one article per line)
and reports bad input as :class:`~quotecheck.corpus.reader.Problem` records instead of raising;
``batch`` is the single-machine engine (worker processes for the model-free extraction, one
encoder with large batches, resumable shards); ``ray_engine`` runs the same job on Ray Data.
Nothing here imports torch, faiss or ray at import time.
"""

from quotecheck.corpus.reader import Article, Problem, content_hash, iter_articles

__all__ = ["Article", "Problem", "content_hash", "iter_articles"]
