"""``quotecheck index``: damaged or foreign folders are numbered errors with exit 2, never a crash,
and ``index add`` never writes over what is not an index (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotecheck.checker import Checker
from quotecheck.cli import commands, main
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PLEDGE = "Acme Corp said it would close the Leeds plant in March."
DONE = "Acme Corp closed the Leeds plant in October."


@pytest.fixture(autouse=True)
def fake_checker(monkeypatch):
    """Every index command in this module embeds with FakeEncoder instead of loading the model."""
    monkeypatch.setattr(commands, "_checker", lambda args: Checker(model=getattr(args, "model", None), encoder=FakeEncoder()))


@pytest.fixture
def texts(tmp_path) -> tuple[Path, Path]:
    (tmp_path / "pledge.txt").write_text(PLEDGE, encoding="utf-8")
    (tmp_path / "done.txt").write_text(DONE, encoding="utf-8")
    return tmp_path / "pledge.txt", tmp_path / "done.txt"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def index(tmp_path, texts, capsys) -> Path:
    folder = tmp_path / "idx"
    assert _run(capsys, "index", "add", str(folder), str(texts[0]), "--date", "2024-01-10")[0] == 0
    assert _run(capsys, "index", "add", str(folder), str(texts[1]), "--date", "2024-11-02")[0] == 0
    return folder


def test_index_cli_add_then_check_finds_the_pair(index, capsys):
    code, out, _ = _run(capsys, "index", "check", str(index), "--format", "jsonl")
    assert code == 0 and [json.loads(line)["verdict"] for line in out.splitlines()] == ["mismatch"]


def _meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text())


@pytest.mark.parametrize(
    "damage, code",
    [
        (lambda f: (f / "meta.json").write_text("[]"), "E070"),
        (lambda f: (f / "meta.json").write_text(json.dumps({k: v for k, v in _meta(f).items() if k != "model"})), "E070"),
        (lambda f: (f / "meta.json").write_text(json.dumps({**_meta(f), "format": 7})), "E071"),
        (lambda f: (f / "vectors.faiss").write_bytes(b"\0" * 64), "E072"),
        (lambda f: (f / "documents.jsonl").write_text(""), "E031"),
        (lambda f: (f / "meta.json").unlink(), "E030"),
    ],
)
@pytest.mark.parametrize("action", ["check", "stats"])
def test_index_cli_damaged_index_exits_2_with_its_number(index, capsys, damage, code, action):
    damage(index)
    status, _, err = _run(capsys, "index", action, str(index))
    assert status == 2 and f"[{code}]" in err and "Traceback" not in err and err.count("\n") == 1


def test_index_cli_add_refuses_a_folder_whose_meta_json_is_gone(index, texts, capsys):
    (index / "meta.json").unlink()
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    status, _, err = _run(capsys, "index", "add", str(index), str(texts[0]))
    assert status == 2 and "[E075]" in err
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before  # nothing overwritten


def test_index_cli_add_refuses_a_folder_of_other_files(tmp_path, texts, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    status, _, err = _run(capsys, "index", "add", str(folder), str(texts[0]))
    assert status == 2 and "[E074]" in err and "notes.txt" in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"] and (folder / "notes.txt").read_text() == "keep me"


def test_index_cli_add_refuses_a_file(tmp_path, texts, capsys):
    (tmp_path / "file").write_text("x")
    status, _, err = _run(capsys, "index", "add", str(tmp_path / "file"), str(texts[0]))
    assert status == 2 and "[E074]" in err and (tmp_path / "file").read_text() == "x"


def test_index_cli_add_into_an_empty_folder_makes_an_index(tmp_path, texts, capsys):
    (tmp_path / "empty").mkdir()
    assert _run(capsys, "index", "add", str(tmp_path / "empty"), str(texts[0]))[0] == 0
    assert (tmp_path / "empty" / "meta.json").is_file()


@pytest.mark.parametrize("argv", [["add", "IDX", "FILE", "--date", "notadate"], ["add", "IDX", "FILE", "--date", "2024-02-30"], ["check", "IDX", "--since", "garbage"]])
def test_index_cli_bad_dates_are_refused(index, texts, capsys, argv):
    argv = [str(index) if a == "IDX" else str(texts[0]) if a == "FILE" else a for a in argv]
    status, _, err = _run(capsys, "index", *argv)
    assert status == 2 and "[E076]" in err


def test_index_cli_check_with_another_model_is_refused(index, capsys):
    status, _, err = _run(capsys, "index", "check", str(index), "--model", "/elsewhere/model")
    assert status == 2 and "[E032]" in err
