"""Benchmarks of quotecheck; shared here: writing one section of ``bench/results.json``."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def write_section(name: str, section: dict, *, merge: bool = False) -> None:
    """Write one top-level section of bench/results.json, keeping the other sections (and, with
    ``merge``, the entries of this section that were not recomputed)."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    old = results.get(name) if merge and isinstance(results.get(name), dict) else {}
    results[name] = {**old, **section}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
