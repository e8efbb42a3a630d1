"""Help that teaches (issue 18, part 5): every command says what it does and shows an example."""

from __future__ import annotations

import argparse

import pytest

from quotecheck.cli import build_parser, main


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every (sub-)command of ``parser`` with the words that name it, hidden aliases left out."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            shown = {a.dest for a in action._choices_actions}
            for name, sub in action.choices.items():
                if name in shown:
                    out.append(((*prefix, name), sub))
                    out += _commands(sub, (*prefix, name))
    return out


COMMANDS = [words for words, _ in _commands(build_parser())]


def test_help_lists_every_command():
    assert {"quotes", "check", "compare", "promises", "schema", "regress", "batch", "train", "eval"} <= {w[0] for w in COMMANDS}
    assert {("index", "add"), ("index", "check"), ("index", "stats")} <= set(COMMANDS)


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_help_says_what_it_does_and_shows_an_example(words, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*words, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    parser = dict(_commands(build_parser()))[words]
    assert parser.description and len(parser.description.split()) >= 8, "a sentence or more on what it does"
    example = text[text.index("example") :]
    typed = " ".join(words).replace("train-saydo", "train saydo")  # `quotecheck train saydo` is typed as two words
    assert f"quotecheck {typed} " in " ".join(example.split())  # the example runs this very command


def test_help_compare_takes_the_model_options_of_check():
    parsers = dict(_commands(build_parser()))

    def options(words):
        return {s for a in parsers[words]._actions for s in a.option_strings}

    model = {"--model", "--nli", "--spacy-model", "--quote-model", "--fast", "--fail-on"}
    assert model <= options(("check",)) and model <= options(("compare",))


def test_help_compare_names_its_arguments(capsys):
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "STATEMENT text file whose intentions" in text and "REPORT text file whose reported actions" in text


def test_help_compare_fast_and_quote_model_reach_the_checker(tmp_path, monkeypatch):
    import quotecheck.checker

    seen = {}

    class Stop(BaseException):  # passes the CLI's crash handler
        pass

    class Recorder:
        def __init__(self, *, model=None, nli_model=None, config=None, **kw):
            seen.update(model=model, config=config)
            raise Stop

    monkeypatch.setattr(quotecheck.checker, "Checker", Recorder)
    (tmp_path / "a.txt").write_text("Acme said it would close the plant.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Acme closed the plant.", encoding="utf-8")
    (tmp_path / "qm").mkdir()
    with pytest.raises(Stop):
        main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--fast", "--model", "m/", "--debug"])
    assert seen["model"] == "m/" and seen["config"].quote_extractor == "rules"
    with pytest.raises(Stop):
        main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--quote-model", str(tmp_path / "qm")])
    assert str(seen["config"].quote_model) == str(tmp_path / "qm")
