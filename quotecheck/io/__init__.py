"""Readers and writers, one module per format (``brat``: brat standoff for attributions)."""

from __future__ import annotations

__all__: list[str] = []
