"""``quotecheck train`` and the quote options: a model trained from the command line is used by
``--quote-model`` and ``$QUOTECHECK_QUOTE_MODEL``; ``--fast`` runs the rules."""

from __future__ import annotations

import json

import pytest

from quotecheck.cli import main
from quotecheck.models import Analysis, Quote, Span
from quotecheck.io import brat

TEXTS = [
    "Tom Reyes said the plan had failed.\n\nThe market opened at nine.",
    "Ada Fenwick said taxes would rise.\n\nTraffic moved slowly downtown.",
    "Officials said talks would resume.\n\nThe weather was mild on Sunday.",
    "Tom Reyes said prices will fall.\n\nThe market opened at nine.",
]


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for n, text in enumerate(TEXTS):
        cue = text.index(" said ") + 1
        end = text.index(".")
        quote = Quote(id="q1", kind="indirect", source=Span.of(text, 0, cue - 1), cue=Span.of(text, cue, cue + 4),
                      content=(Span.of(text, cue + 5, end),))
        (tmp_path / "text" / f"a{n}.txt").write_text(text)
        (tmp_path / "attributions" / f"a{n}.ann").write_text(brat.dumps(Analysis(doc_id="a", text=text, quotes=(quote,))))
    return tmp_path


def test_cli_train_writes_a_model_that_quotes_uses(corpus, tmp_path, capsys, monkeypatch):
    model = tmp_path / "model"
    assert main(["train", str(corpus), "--output", str(model), "--iterations", "30", "--min-freq", "1",
                 "--calibration-folds", "2", "--quiet"]) == 0
    assert (model / "model.crfsuite").is_file() and json.loads((model / "meta.json").read_text())["articles"] == 4
    article = tmp_path / "new.txt"
    article.write_text("Ada Fenwick said the plan had failed.")
    capsys.readouterr()
    assert main(["quotes", str(article), "--format", "json", "--quote-model", str(model)]) == 0
    (quote,) = json.loads(capsys.readouterr().out)["quotes"]
    assert quote["source"]["text"] == "Ada Fenwick"
    monkeypatch.setenv("QUOTECHECK_QUOTE_MODEL", str(model))
    assert main(["quotes", str(article), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["quotes"][0]["content"][0]["text"] == "the plan had failed"


def test_cli_quote_model_that_is_no_model_exits_2(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Ann Lee said taxes would rise.")
    assert main(["quotes", str(article), "--quote-model", str(tmp_path)]) == 2
    assert "[E120]" in capsys.readouterr().err


def test_cli_train_on_a_folder_without_texts_exits_2(tmp_path, capsys):
    assert main(["train", str(tmp_path), "--output", str(tmp_path / "m")]) == 2
    assert "[E123]" in capsys.readouterr().err


def test_cli_fast_runs_the_rules(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Ann Lee said taxes would rise.")
    assert main(["quotes", str(article), "--format", "json", "--fast", "--quote-model", str(tmp_path)]) == 0
    (quote,) = json.loads(capsys.readouterr().out)["quotes"]  # --fast never opens the (missing) model
    assert quote["source"]["text"] == "Ann Lee"
