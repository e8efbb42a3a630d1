"""Reading fixture files (testing/files.py): every problem at once, and hostile files refused
with a numbered error, never a hang, a crash or a read outside the fixture's folder."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from quotecheck.cli import main
from quotecheck.errors import CaseError
from quotecheck.testing import files
from quotecheck.testing.cases import iter_case_files, load_cases, load_records

QUOTE_TEXT = "“We will win the vote,” Ana Ruiz said on Monday."


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def problems_of(path: Path) -> str:
    with pytest.raises(CaseError) as exc:
        load_cases(path)
    return str(exc.value)


def within(seconds: float, fn, *args):
    """Run ``fn`` in a thread; fail the test if it has not returned after ``seconds`` (a hang)."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as err:  # noqa: BLE001 - handed back to the test
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn.__name__} still running after {seconds}s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


# -- every problem at once ---------------------------------------------------------------------------


def test_fixture_files_every_field_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "a.qc.yaml", "text: Hi there.\nquotes:\n  - {speaker: '', content: x}\ntags: 3\nspeakers: [A]\n")
    message = problems_of(path)
    assert message.startswith(f"[E100] {path}: 4 problems in this fixture; fix them all:\n")
    for field in ("field 'id': Field required", "field 'quotes[0].speaker'", "field 'tags'", "field 'speakers': Extra inputs"):
        assert f"\n  - {field}" in message, message
    assert "more)" not in message


def test_fixture_files_every_bad_line_of_a_jsonl_file_is_reported(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": QUOTE_TEXT}),
        "not json",
        json.dumps({"text": QUOTE_TEXT}),
        json.dumps({"id": "a", "text": QUOTE_TEXT}),
        json.dumps({"id": "b", "text": QUOTE_TEXT, "id": "c"}).replace('"id": "c"', '"id": "b2", "id": "c"'),
    ]
    message = problems_of(write(tmp_path, "many.qc.jsonl", "\n".join(lines) + "\n"))
    assert "[E100]" in message and "4 problems" in message
    for expected in ("line 2: not valid JSON", "line 3, field 'id': Field required", "line 4, field 'id': duplicate case id 'a'", "line 5: duplicate key 'id'"):
        assert expected in message, message


def test_fixture_files_one_problem_stays_one_line(tmp_path):
    message = problems_of(write(tmp_path, "a.qc.yaml", "id: x\n"))
    assert message.startswith("[E040] ") and "\n" not in message


def test_fixture_files_regress_prints_every_problem(tmp_path, capsys):
    write(tmp_path, "a.qc.yaml", "text: Hi there.\ntags: 3\n")
    assert main(["regress", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "[E100]" in err and "field 'id'" in err and "field 'tags'" in err and "Traceback" not in err


# -- nesting, size and aliases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("deep.qc.json", "[" * 100_000 + "]" * 100_000),  # RecursionError inside the JSON parser
        ("deep.qc.jsonl", json.dumps({"id": "a", "text": QUOTE_TEXT}) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("parsable.qc.json", json.dumps({"id": "x", "text": QUOTE_TEXT, "tags": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})),
        ("deep.qc.yaml", "[" * 20_000 + "]" * 20_000),
        ("block.qc.yaml", "".join("  " * i + "a:\n" for i in range(40)) + "  " * 40 + "b\n"),
    ],
)
def test_fixture_files_deep_nesting_is_E101(tmp_path, name, content):
    path = write(tmp_path, name, content)
    with pytest.raises(CaseError, match=r"^\[E101\] .*nested deeper than 32 levels"):
        within(30, load_cases, path)


def test_fixture_files_deep_fixture_exits_2_not_3(tmp_path, capsys):
    write(tmp_path, "deep.qc.json", "[" * 100_000 + "]" * 100_000)
    write(tmp_path, "deep.qc.yaml", "[" * 20_000 + "]" * 20_000)
    assert main(["regress", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("[E101]") == 2 and "internal error" not in err and "Traceback" not in err


def test_fixture_files_yaml_alias_bomb_is_E102(tmp_path):
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]  # 10^9 values once expanded
    path = write(tmp_path, "bomb.qc.yaml", "id: bomb\ntext: Hi there.\nextra:\n" + "".join(f"  {r}\n" for r in rows))
    with pytest.raises(CaseError, match=r"^\[E102\] .*more than 100000 values"):
        within(30, load_cases, path)


def test_fixture_files_large_fixture_is_E104(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_CASE_FILE_BYTES", 100)
    path = write(tmp_path, "big.qc.yaml", f"id: big\ntext: '{'x' * 200}'\n")
    with pytest.raises(CaseError, match=r"^\[E104\] .*larger than 100 bytes"):
        load_records(path)


def test_fixture_files_fifo_fixture_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.qc.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseError, match=r"^\[E103\] .*a FIFO, not a regular file"):
        within(10, load_records, fifo)
    with pytest.raises(CaseError, match=r"^\[E103\]"):
        list(iter_case_files([fifo]))
    for search in (tmp_path, tmp_path / "*.qc.yaml"):  # a directory or a glob never picks a FIFO
        with pytest.raises(CaseError, match=r"\[E041\]"):
            list(iter_case_files([search]))


# -- duplicate keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.qc.yaml", f"id: a\ntext: '{QUOTE_TEXT}'\ntext: Other text.\n", "line 3: duplicate key 'text'"),
        (
            "b.qc.yaml",
            f"id: b\ntext: '{QUOTE_TEXT}'\nquotes:\n  - speaker: Ruiz\n    speaker: Reed\n    content: We will\n",
            "line 5: duplicate key 'speaker'",
        ),
        ("c.qc.json", '{"id": "c", "text": "Hi there.", "id": "d"}', "duplicate key 'id'"),
    ],
)
def test_fixture_files_duplicate_keys_are_rejected(tmp_path, name, content, expected):
    message = problems_of(write(tmp_path, name, content))
    assert message.startswith("[E040] ") and expected in message, message


def test_fixture_files_yaml_merge_keys_are_not_duplicates(tmp_path):
    content = f"id: m\ntext: '{QUOTE_TEXT}'\nquotes:\n  - &q {{speaker: Ruiz, content: We will}}\n  - {{<<: *q, kind: direct}}\n"
    ((case, _),) = load_cases(write(tmp_path, "m.qc.yaml", content))
    assert [q.kind for q in case.quotes] == [None, "direct"]


def test_fixture_files_non_string_keys_are_a_field_problem(tmp_path):
    message = problems_of(write(tmp_path, "k.qc.yaml", "id: k\ntext: Hi there.\n1: one\n"))
    assert "field '1': Extra inputs are not permitted" in message


# -- text_file: inside the fixture's folder, regular, bounded -----------------------------------------


def test_fixture_files_text_file_in_a_subfolder_is_read(tmp_path):
    write(tmp_path, "texts/sub/a.txt", QUOTE_TEXT)
    path = write(tmp_path, "a.qc.yaml", "id: a\ntext_file: texts/sub/a.txt\n")
    assert load_cases(path)[0][1] == QUOTE_TEXT


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "texts/../../outside.txt", "link.txt"])
def test_fixture_files_text_file_outside_the_folder_is_refused(tmp_path, name):
    write(tmp_path, "outside.txt", "a secret")
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")  # a link inside that points outside
    message = problems_of(write(folder, "a.qc.yaml", f"id: a\ntext_file: {name}\n"))
    assert f"field 'text_file': {name} is outside the fixture's folder {folder.resolve()}" in message
    assert "a secret" not in message


def test_fixture_files_text_file_must_be_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    write(tmp_path, "a.qc.jsonl", "\n".join(json.dumps({"id": n, "text_file": f"{n}.txt"}) for n in ("pipe", "dir", "zero")) + "\n")
    message = within(10, problems_of, tmp_path / "a.qc.jsonl")
    assert "3 problems" in message
    assert "line 1, field 'text_file'" in message and "is a FIFO, not a regular file" in message
    assert "line 2, field 'text_file'" in message and "is a directory, not a regular file" in message
    assert "line 3, field 'text_file': zero.txt is outside the fixture's folder" in message  # /dev/zero, once resolved


def test_fixture_files_text_file_has_a_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_TEXT_FILE_BYTES", 100)
    write(tmp_path, "big.txt", "x " * 100)
    message = problems_of(write(tmp_path, "a.qc.yaml", "id: a\ntext_file: big.txt\n"))
    assert "field 'text_file'" in message and "larger than 100 bytes" in message


def test_fixture_files_shipped_seed_text_is_the_seed():
    root = Path(__file__).resolve().parents[2]
    ((case, text),) = load_cases(root / "fixtures" / "seed.qc.yaml")
    assert text == (root / "seeds" / "000_77f9f5edfd3afcc6.txt").read_text(encoding="utf-8")
