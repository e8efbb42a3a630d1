"""The optional NLI backend inside the Checker: it adjusts scores and may flip a sure contradiction."""

import pytest

from quotecheck import Checker
from quotecheck.cli import main
from quotecheck.testing.fakes import FakeEncoder
from tests.unit.test_nli import _tiny_cross_encoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

SAID, DID = "Acme said it would close the Leeds plant.", "Acme closed the Leeds plant."


@pytest.fixture(scope="module")
def nli_models(tmp_path_factory):
    pytest.importorskip("sentence_transformers")
    root = tmp_path_factory.mktemp("checker-nli")
    return {
        "contradicts": _tiny_cross_encoder(root / "c", {0: "contradiction", 1: "entailment", 2: "neutral"}, "contradiction"),
        "entails": _tiny_cross_encoder(root / "e", {0: "contradiction", 1: "entailment", 2: "neutral"}, "entailment"),
    }


def test_checker_nli_flips_a_consistent_pair_the_model_is_sure_contradicts(nli_models):
    plain = Checker(encoder=FakeEncoder()).compare(SAID, DID).findings
    flipped = Checker(encoder=FakeEncoder(), nli_model=str(nli_models["contradicts"])).compare(SAID, DID).findings
    assert [f.verdict for f in plain] == ["consistent"]
    assert [(f.verdict, f.type) for f in flipped] == [("mismatch", "other")]
    assert "NLI" in flipped[0].explanation and 0 <= flipped[0].score <= 1


def test_checker_nli_keeps_the_verdict_when_the_model_agrees(nli_models):
    plain = Checker(encoder=FakeEncoder()).compare(SAID, DID).findings[0]
    agreed = Checker(encoder=FakeEncoder(), nli_model=str(nli_models["entails"])).compare(SAID, DID).findings[0]
    assert agreed.verdict == "consistent" and agreed.score != plain.score


def test_checker_nli_missing_folder_is_exit_2(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SAID, encoding="utf-8")
    b.write_text(DID, encoding="utf-8")
    assert main(["compare", str(a), str(b), "--nli", str(tmp_path / "nope")]) == 2
    assert "[E022]" in capsys.readouterr().err
