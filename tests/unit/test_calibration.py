"""The fitted calibration table is used: a bad cell lowers the score, a missing key or file keeps the prior."""

from __future__ import annotations

import json

import pytest

from quotecheck.pipeline import calibration as cal
from quotecheck.pipeline.judge import Judgement
from quotecheck.pipeline.match import Pair
from quotecheck.testing.fakes import statement

TEXT = "Acme said it would close the Leeds plant. The closure was called off."


def _pair(link: str = "anaphor") -> Pair:
    plan = statement(TEXT, "it would close the Leeds plant")
    outcome = statement(TEXT, "The closure was called off", kind="action", factuality="cancelled", cue="called off", number=2)
    return Pair(plan, outcome, 0.5, link)  # type: ignore[arg-type]


JUDGEMENT = Judgement("mismatch", "reversal", 0.75, "it was called off")


def _use(monkeypatch: pytest.MonkeyPatch, table: cal.Table) -> None:
    monkeypatch.setattr(cal, "_table", lambda: table)


def test_a_cell_that_was_always_wrong_pulls_the_score_below_the_prior(monkeypatch):
    _use(monkeypatch, cal.Table(4.0, {"mismatch|reversal|anaphor": cal.Cell(0, 10)}))
    got = cal.score(_pair(), JUDGEMENT)
    assert got == pytest.approx(4 * 0.75 / 14)
    assert got < JUDGEMENT.strength


def test_a_cell_that_was_always_right_raises_the_score(monkeypatch):
    _use(monkeypatch, cal.Table(4.0, {"mismatch|reversal|anaphor": cal.Cell(10, 10)}))
    assert JUDGEMENT.strength < cal.score(_pair(), JUDGEMENT) <= 1.0


def test_a_missing_key_gives_the_prior(monkeypatch):
    _use(monkeypatch, cal.Table(4.0, {"mismatch|reversal|reference": cal.Cell(0, 10), "consistent|-|anaphor": cal.Cell(0, 10)}))
    assert cal.score(_pair(), JUDGEMENT) == JUDGEMENT.strength
    assert cal.score(_pair("actor"), JUDGEMENT) == JUDGEMENT.strength


def test_key_spells_a_missing_type_as_a_dash():
    assert cal.key("consistent", None, "clause") == "consistent|-|clause"


def test_table_file_round_trip_and_missing_file(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"k": 2, "cells": {"mismatch|reversal|anaphor": {"correct": 1, "total": 3}}}))
    table = cal._read(path)
    assert table.k == 2.0 and table.cells == {"mismatch|reversal|anaphor": cal.Cell(1, 3)}
    assert cal._read(tmp_path / "absent.json").cells == {}


def test_shipped_table_is_read_once_and_well_formed():
    cal._table.cache_clear()
    table = cal._table()
    assert cal._table() is table
    assert table.k > 0
    assert all(0 <= c.correct <= c.total for c in table.cells.values())
    assert all(name.count("|") == 2 for name in table.cells)
