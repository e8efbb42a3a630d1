"""Amounts and times: read off a hand-built parse and from words, and compared as judge features."""

from __future__ import annotations

import pytest

from quotecheck.pipeline.measures import TIME, amount_tokens, parse_amount, parse_time
from quotecheck.pipeline.saydo.features import PAIR_FEATURES, pair_features
from tests.handbuilt import parse
from tests.unit.test_saydo_decide import info

JOBS = parse([("Acme", 1, "nsubj", "PROPN", "NNP", "Acme"), ("cut", 1, "ROOT", "VERB", "VBD", "cut"),
              ("1,000", 3, "nummod", "NUM", "CD", "1,000"), ("jobs", 1, "dobj", "NOUN", "NNS", "job"),
              ("in", 1, "prep", "ADP", "IN", "in"), ("2020", 4, "pobj", "NUM", "CD", "2020"), (".", 1, "punct", "PUNCT", ".", ".")])


def test_measures_an_amount_takes_its_noun_and_a_year_is_no_amount():
    spans = amount_tokens(list(JOBS))
    assert [JOBS[a : b + 1].text for a, b in spans] == ["1,000 jobs"]


@pytest.mark.parametrize(("text", "want"), [("$2.5 million", (2_500_000.0, "$")), ("1,000 jobs", (1000.0, "jobs")),
                                            ("40%", (40.0, "%")), ("two million people", (2_000_000.0, "people"))])
def test_measures_parse_amount(text, want):
    assert parse_amount(text) == want


@pytest.mark.parametrize(("text", "want"), [("by March 2020", (2020, 3, None)), ("on Friday", (None, None, 4)), ("soon", None)])
def test_measures_parse_time(text, want):
    assert parse_time(text) == want


def test_measures_time_expressions_are_found_in_a_clause():
    found = [m.group(0) for m in TIME.finditer("it would close the plant by March and reopen it next year")]
    assert found == ["by March", "next year"]


def _pair(plan_amount=None, cand_amount=None, plan_when=None, cand_when=None):
    a = info(0).__class__(**{**info(0).__dict__, "amount": plan_amount, "when": plan_when})
    b = info(1).__class__(**{**info(1).__dict__, "amount": cand_amount, "when": cand_when})
    return dict(zip(PAIR_FEATURES, pair_features(a, b, cos=0.0, head_cos=0.0)))


def test_measures_a_smaller_amount_in_the_same_unit_is_lower():
    assert _pair((1000.0, "jobs"), (400.0, "jobs"))["amount_lower"] == 1.0
    assert _pair((1000.0, "jobs"), (400.0, "homes"))["amount_lower"] == 0.0  # other units do not compare
    assert _pair((1000.0, "jobs"), (980.0, "jobs"))["amount_lower"] == 0.0  # within a tenth


def test_measures_a_later_year_or_month_is_later():
    assert _pair(plan_when=(2020, 3), cand_when=(2024, 10))["time_later"] == 1.0
    assert _pair(plan_when=(None, 3), cand_when=(None, 10))["time_later"] == 1.0
    assert _pair(plan_when=(2020, 10), cand_when=(2020, 3))["time_earlier"] == 1.0
    assert _pair(plan_when=(2020, None), cand_when=None)["time_later"] == 0.0
