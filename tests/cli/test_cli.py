"""The command line: results on stdout, one-line errors on stderr, exit codes 0/1/2."""

import json
import subprocess
import sys

import pytest

from quotecheck.cli import main
from tests.conftest import SEED


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quotecheck.cli", *args], input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda p: p / "missing.txt", "E010"),
        (lambda p: p, "E011"),
        (lambda p: (p / "empty.txt").write_text("  \n") and p / "empty.txt", "E012"),
        (lambda p: (p / "bad.txt").write_bytes(b"caf\xe9 said") and p / "bad.txt", "E013"),
        (lambda p: (p / "bin.txt").write_bytes(b"\x00\x01\x02abc") and p / "bin.txt", "E014"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys, make, code):
    path = make(tmp_path)
    assert main(["quotes", str(path)]) == 2
    err = capsys.readouterr().err
    assert code in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["quotes"])
    assert exc.value.code == 2


def test_cli_quotes_json_is_the_model_dump(capsys):
    assert main(["quotes", str(SEED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = SEED.read_text(encoding="utf-8")
    assert data["text"] == text
    for q in data["quotes"]:
        for c in q["content"]:
            assert text[c["start"] : c["end"]] == c["text"]


def test_cli_quotes_reads_stdin():
    out = run("quotes", "-", stdin="“We will win,” Ana Ruiz said.".encode())
    assert out.returncode == 0 and b"Ana Ruiz" in out.stdout


def test_cli_quotes_brat_output_dir_one_file_per_input(tmp_path, capsys):
    assert main(["quotes", str(SEED), "--format", "brat", "--output", str(tmp_path / "out")]) == 0
    ann = (tmp_path / "out" / (SEED.stem + ".ann")).read_text(encoding="utf-8")
    assert "\tSource " in ann and "\tContent " in ann and "Attribution:" in ann


def test_cli_large_text_gives_a_result(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text((SEED.read_text(encoding="utf-8") + "\n") * 400, encoding="utf-8")  # ~1.2 MB
    out = run("quotes", str(big), "--format", "jsonl")
    assert out.returncode == 0 and len(json.loads(out.stdout)["quotes"]) > 1000


@pytest.mark.model
def test_cli_check_and_fail_on_mismatch(model_checker):
    out = run("check", str(SEED), "--fail-on", "mismatch")
    assert out.returncode == 1 and b"MISMATCH (target)" in out.stdout


@pytest.mark.model
def test_cli_compare_json(tmp_path, model_checker):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Acme said it would close the Leeds plant in March.", encoding="utf-8")
    b.write_text("Acme closed the Leeds plant in October.", encoding="utf-8")
    out = run("compare", str(a), str(b), "--format", "json")
    assert out.returncode == 0
    findings = json.loads(out.stdout)["findings"]
    assert [(f["verdict"], f["type"]) for f in findings] == [("mismatch", "timing")]
