"""Calibration: the reported score of a finding, from its judgement and how its pair was tied.

The judge's ``strength`` is a prior. ``calibration.json`` (next to this module, written by
``bench/fit_calibration.py``) holds aggregate counts from the fitting data: for each key
``verdict|type|link`` (``type`` is ``-`` when the verdict has none), how many findings of that
kind were right and how many there were. The score shrinks the observed rate towards the prior::

    score = (correct + k * prior) / (total + k)

with ``k`` the pseudo-count stored in the file. A missing file, a missing key or an unreadable
table leaves the prior unchanged. The table is read once, on first use.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

from quotecheck.pipeline.judge import Judgement
from quotecheck.pipeline.match import Pair

__all__ = ["score", "shrink", "key", "Cell", "Table", "TABLE_PATH", "DEFAULT_K"]

TABLE_PATH = Path(__file__).with_name("calibration.json")
#: Pseudo-count used when the table does not name one.
DEFAULT_K = 4.0


class Cell(NamedTuple):
    correct: int
    total: int


class Table(NamedTuple):
    k: float
    cells: dict[str, Cell]


def key(verdict: str, type_: str | None, link: str | None) -> str:
    """The table key of a finding: ``verdict|type|link`` (``-`` for no type or link)."""
    return f"{verdict}|{type_ or '-'}|{link or '-'}"


def shrink(cell: Cell | None, prior: float, k: float) -> float:
    """Observed rate of ``cell`` pulled towards ``prior`` by ``k`` pseudo-findings; the prior without a cell."""
    if cell is None or cell.total <= 0:
        return prior
    return (cell.correct + k * prior) / (cell.total + k)


def _read(path: Path) -> Table:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cells = {str(name): Cell(int(c["correct"]), int(c["total"])) for name, c in data.get("cells", {}).items()}
        return Table(float(data.get("k", DEFAULT_K)), cells)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Table(DEFAULT_K, {})


@cache
def _table() -> Table:
    """The shipped table, read lazily once (empty when the file is missing or unreadable)."""
    return _read(TABLE_PATH)


def score(pair: Pair, judgement: Judgement) -> float:
    """Probability-like score in [0, 1] that the finding is right."""
    table = _table()
    cell = table.cells.get(key(judgement.verdict, judgement.type, pair.link))
    return shrink(cell, judgement.strength, table.k)
