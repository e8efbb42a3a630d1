"""Hostile input files (issue 12): nothing blocks, nothing eats the memory, every case has its number.

The corpus reader turns each into a skipped record (a Problem) and goes on; the CLI's
``read_text`` into a one-line error and exit 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quotecheck.cli.inputs import read_text
from quotecheck.corpus.reader import Article, Problem, iter_articles
from quotecheck.errors import InputError

PLEDGE = "Acme Corp said it would close the Leeds plant in March."
DEEP = "[" * 100_000 + "]" * 100_000


def _within(seconds: float, call):
    """``call()``'s result, failing (not hanging) when it takes longer than ``seconds``."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(_catch(call)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still running after {seconds} s (blocked?)"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _catch(call):
    try:
        return call()
    except BaseException as err:  # noqa: BLE001 - handed back to the test thread
        return err


def _items(*paths, **kwargs) -> list[Article | Problem]:
    return _within(30, lambda: list(iter_articles([str(p) for p in paths], **kwargs)))


def _codes(items) -> list[str]:
    return [x.code if isinstance(x, Problem) else "article" for x in items]


def _jsonl(path: Path, *lines: str | bytes) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


# -- the corpus reader: a bad record is skipped with its line, the rest is read -------------


@pytest.mark.parametrize(
    "line, code",
    [
        (DEEP, "E081"),  # RecursionError in json.loads
        ('{"id": "x", "text": "' + "[" * 50 + '", "extra": ' + DEEP + "}", "E081"),
        ('{"id": "x", "text": "a \\ud800 b"}', "E082"),  # an unpaired surrogate escape
        ('{"id": "\\udfff", "text": "fine"}', "E082"),
        ('{"id": "x", "text": ' + "9" * 5000 + "}", "E060"),  # an integer past Python's 4,300 digits
    ],
)
def test_hostile_jsonl_line_is_skipped_with_its_line_number(tmp_path, line, code):
    path = _jsonl(tmp_path / "a.jsonl", json.dumps({"id": "a", "text": PLEDGE}), line, json.dumps({"id": "b", "text": PLEDGE}))
    items = _items(path)
    assert _codes(items) == ["article", code, "article"]
    assert items[1].line == 2 and f"[{code}]" in items[1].message and "line 2" in items[1].message


def test_hostile_surrogate_message_names_field_and_place(tmp_path):
    (problem,) = _items(_jsonl(tmp_path / "a.jsonl", '{"id": "x", "text": "abc\\ud800"}'))
    assert "'text'" in problem.message and "\\ud800" in problem.message and "character 3" in problem.message


def test_hostile_fifo_is_skipped_without_blocking(fifo):
    (problem,) = _items(fifo)
    assert problem.code == "E084" and "FIFO" in problem.message


def test_hostile_character_device_is_skipped_without_reading_it():
    (problem,) = _items("/dev/zero")
    assert problem.code == "E084" and "character device" in problem.message


def test_hostile_oversized_txt_file_is_skipped(tmp_path):
    (tmp_path / "big.txt").write_text(PLEDGE * 100)
    (problem,) = _items(tmp_path / "big.txt", max_bytes=1000)
    assert problem.code == "E085"


def test_hostile_oversized_jsonl_line_is_skipped_and_the_next_line_read(tmp_path):
    long = json.dumps({"id": "long", "text": PLEDGE * 500})
    path = _jsonl(tmp_path / "a.jsonl", long, json.dumps({"id": "b", "text": PLEDGE}))
    items = _items(path, max_bytes=2000)
    assert _codes(items) == ["E085", "article"] and items[0].line == 1 and items[1].id == "b"


@pytest.mark.parametrize("encoding, which", [("utf-16", "byte-order mark"), ("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")])
def test_hostile_utf16_is_named(tmp_path, encoding, which):
    (tmp_path / "a.txt").write_bytes(PLEDGE.encode(encoding))
    _jsonl(tmp_path / "b.jsonl", json.dumps({"id": "a", "text": PLEDGE}).encode(encoding))
    for problem in _items(tmp_path / "a.txt", tmp_path / "b.jsonl"):
        assert problem.code == "E086" and "UTF-16" in problem.message and which in problem.message


# -- the CLI reader: one numbered error, exit 2 ---------------------------------------------


def test_hostile_cli_fifo_is_refused_not_read(fifo):
    with pytest.raises(InputError, match=r"\[E078\].*FIFO"):
        _within(30, lambda: read_text(str(fifo)))


def test_hostile_cli_dev_zero_is_refused():
    with pytest.raises(InputError, match=r"\[E078\].*character device"):
        _within(30, lambda: read_text("/dev/zero"))


def test_hostile_cli_size_limit(tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_text(PLEDGE * 100)
    with pytest.raises(InputError, match=r"\[E079\]"):
        read_text(str(tmp_path / "big.txt"), max_bytes=1000)
    monkeypatch.setenv("QUOTECHECK_MAX_BYTES", "1K")
    with pytest.raises(InputError, match=r"\[E079\].*1024"):
        read_text(str(tmp_path / "big.txt"))
    monkeypatch.setenv("QUOTECHECK_MAX_BYTES", "lots")
    with pytest.raises(InputError, match=r"\[E088\]"):
        read_text(str(tmp_path / "big.txt"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_hostile_cli_utf16_is_named(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(PLEDGE.encode(encoding))
    with pytest.raises(InputError, match=r"\[E080\].*UTF-16"):
        read_text(str(tmp_path / "a.txt"))


def _cli(*args: str, stdin=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quotecheck.cli", *args], stdin=stdin, capture_output=True, timeout=120, env={**os.environ, **(env or {})}
    )


def test_hostile_cli_quotes_on_a_fifo_and_dev_zero_exit_2(fifo):
    for path, code in ((fifo, "E078"), ("/dev/zero", "E078")):
        done = _cli("quotes", str(path))
        assert done.returncode == 2 and code in done.stderr.decode() and b"Traceback" not in done.stderr


def test_hostile_cli_stdin_from_dev_zero_stops_at_the_limit():
    with open("/dev/zero", "rb") as zero:
        done = _cli("quotes", "-", stdin=zero, env={"QUOTECHECK_MAX_BYTES": "1M"})
    assert done.returncode == 2 and "E079" in done.stderr.decode()
