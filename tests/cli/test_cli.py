"""The command line: results on stdout, one-line errors on stderr, exit codes 0/1/2."""

import json
import subprocess
import sys

import pytest

from quotecheck.cli import main
from tests.conftest import SEED

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quotecheck.cli", *args], input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda p: p / "missing.txt", "E010"),
        (lambda p: p, "E042"),  # an empty directory
        (lambda p: p / "*.txt", "E042"),  # a pattern that matches nothing
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


def test_cli_check_and_fail_on_mismatch(tmp_path):
    article = tmp_path / "late.txt"
    article.write_text("Brightwell said it would close the plant in March. Brightwell closed the plant in October.", encoding="utf-8")
    out = run("check", str(article), "--fail-on", "mismatch")
    assert out.returncode == 1 and b"MISMATCH (timing)" in out.stdout
    kept = tmp_path / "kept.txt"
    kept.write_text("Brightwell said it would close the plant in March. Brightwell closed the plant in March.", encoding="utf-8")
    assert run("check", str(kept), "--fail-on", "mismatch").returncode == 0


@pytest.mark.model
def test_cli_compare_json(tmp_path, model_checker):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Acme said it would close the Leeds plant in March.", encoding="utf-8")
    b.write_text("Acme closed the Leeds plant in October.", encoding="utf-8")
    out = run("compare", str(a), str(b), "--format", "json")
    assert out.returncode == 0
    findings = json.loads(out.stdout)["findings"]
    assert [(f["verdict"], f["type"]) for f in findings] == [("mismatch", "timing")]


# -- inputs, outputs and formats ---------------------------------------------------------------

QUOTE = "“We will win the vote,” Ana Ruiz said on Monday."
PAIR = ("Acme Corp said it would close the Leeds plant in March.", "Acme Corp closed the Leeds plant in October.")


@pytest.fixture
def fake_model(monkeypatch):
    """check/compare run with the fake encoder: the CLI, not the model, is under test."""
    from quotecheck import Checker
    from quotecheck.cli import commands
    from quotecheck.testing.fakes import FakeEncoder

    monkeypatch.setattr(commands, "_checker", lambda args: Checker(encoder=FakeEncoder()))


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "in"
    (folder / "more").mkdir(parents=True)
    (folder / "a.txt").write_text(QUOTE, encoding="utf-8")
    (folder / "more" / "b.txt").write_text(" ".join(PAIR), encoding="utf-8")
    (folder / "notes.md").write_text("not a text input", encoding="utf-8")
    return folder


def test_cli_version(capsys):
    from quotecheck import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"quotecheck {__version__}"


def test_cli_directory_and_glob_inputs_jsonl(texts, capsys):
    assert main(["quotes", str(texts), "--format", "jsonl"]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["text"] for d in docs] == [QUOTE, " ".join(PAIR)]  # *.txt only, sorted, recursive
    assert main(["quotes", str(texts / "**" / "b.txt"), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_cli_output_dir_writes_one_file_per_input(texts, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["quotes", str(texts), "--format", "json", "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]  # no temporary files left
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["text"] == QUOTE
    assert capsys.readouterr().err == f"wrote 2 files to {out}\n"
    assert main(["quotes", str(texts), "--format", "json", "--output", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_cli_existing_output_is_kept_when_the_run_fails(texts, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("previous", encoding="utf-8")
    (texts / "z.txt").write_bytes(b"caf\xe9")  # the last input is bad
    assert main(["quotes", str(texts), "--format", "json", "--output", str(out)]) == 2
    assert "E013" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["a.json"] and (out / "a.json").read_text(encoding="utf-8") == "previous"


def test_cli_output_must_be_a_directory(texts, tmp_path, capsys):
    target = tmp_path / "file.json"
    target.write_text("x", encoding="utf-8")
    assert main(["quotes", str(texts / "a.txt"), "--output", str(target)]) == 2
    assert "[E045]" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "x"


def test_cli_output_needs_distinct_names(texts, tmp_path, capsys):
    (texts / "more" / "a.txt").write_text(QUOTE, encoding="utf-8")
    assert main(["quotes", str(texts), "--output", str(tmp_path / "out")]) == 2
    assert "[E046] Two inputs are both named 'a'" in capsys.readouterr().err


def test_cli_check_html_to_stdout_and_output_dir(texts, tmp_path, capsys, fake_model):
    assert main(["check", str(texts), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and html.count('<section class="doc"') == 2
    assert main(["check", str(texts), "--format", "html", "--output", str(tmp_path / "html"), "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "html").iterdir()) == ["a.html", "b.html"]


def test_cli_check_fail_on_mismatch(texts, capsys, fake_model):
    b = str(texts / "more" / "b.txt")
    assert main(["check", b]) == 0
    assert main(["check", b, "--fail-on", "mismatch"]) == 1
    assert "MISMATCH (timing)" in capsys.readouterr().out
    assert main(["check", str(texts / "a.txt"), "--fail-on", "mismatch"]) == 0


def test_cli_compare_html_side_by_side(tmp_path, capsys, fake_model):
    a, b = tmp_path / "plan.txt", tmp_path / "report.txt"
    a.write_text(PAIR[0], encoding="utf-8")
    b.write_text(PAIR[1], encoding="utf-8")
    assert main(["compare", str(a), str(b), "--format", "html", "--fail-on", "mismatch"]) == 1
    html = capsys.readouterr().out
    assert '<div class="pair">' in html and "Statement: plan" in html and "Report: report" in html
    assert main(["compare", str(a), str(b), "--format", "html", "--output", str(tmp_path / "o")]) == 0
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["plan--report.html"]


def test_cli_schema_fixture_is_the_generated_schema(capsys):
    from quotecheck.testing.cases import fixture_schema

    assert main(["schema", "fixture"]) == 0
    assert json.loads(capsys.readouterr().out) == fixture_schema()
    assert main(["schema", "analysis"]) == 0
    assert "Analysis" in json.loads(capsys.readouterr().out)["title"]


def test_cli_options_after_the_command(texts, capsys):
    assert main(["quotes", str(texts / "a.txt"), "--quiet", "--debug"]) == 0


def test_cli_no_progress_bar_when_not_a_terminal(texts):
    many = [str(texts / "a.txt")] * 1 + [str(texts / "more" / "b.txt")]
    out = run("quotes", *many, str(texts), "--format", "jsonl")
    assert out.returncode == 0 and out.stderr == b""


def test_cli_progress_bar_on_a_terminal():
    import io

    from quotecheck.cli.progress import MIN_ITEMS, Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    with Progress(MIN_ITEMS, stream=stream, label="files") as bar:
        for _ in range(MIN_ITEMS):
            bar.advance()
    shown = stream.getvalue()
    assert f"] {MIN_ITEMS}/{MIN_ITEMS} files" in shown and shown.endswith("\r\x1b[K")
    for quiet, total, tty in ((True, 10, True), (False, MIN_ITEMS - 1, True), (False, 10, False)):
        stream = Tty() if tty else io.StringIO()
        with Progress(total, stream=stream, quiet=quiet) as bar:
            bar.advance()
        assert stream.getvalue() == ""


def test_cli_html_quotes_loads_no_torch(tmp_path):
    code = (
        "import sys; from quotecheck.cli import main; rc = main(['quotes', sys.argv[1], '--format', 'html', '-q']); "
        "print([m for m in ('torch', 'sentence_transformers', 'faiss', 'transformers') if m in sys.modules], rc, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=120)
    assert out.stderr.strip() == "[] 0" and out.stdout.startswith("<!DOCTYPE html>")


def test_cli_unwritable_output_is_exit_2(texts, tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    assert main(["quotes", str(texts / "a.txt"), "--output", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert "[E044]" in err and "cannot write the output" in err and err.count("\n") == 1


def test_cli_saydo_model_option_chooses_the_said_did_model(tmp_path, tiny_saydo_model, monkeypatch):
    """--saydo-model overrides the environment: the tiny model finds the late closure, the packaged
    one (which shows no within-text pair) does not, and a folder that is no model is a usage error."""
    monkeypatch.delenv("QUOTECHECK_SAYDO_MODEL", raising=False)
    article = tmp_path / "late.txt"
    article.write_text("Brightwell said it would close the plant in March. Brightwell closed the plant in October.", encoding="utf-8")
    assert b"MISMATCH (timing)" in run("check", str(article), "--saydo-model", str(tiny_saydo_model)).stdout
    assert b"MISMATCH" not in run("check", str(article)).stdout
    bad = run("check", str(article), "--saydo-model", str(tmp_path))
    assert bad.returncode == 2 and b"[E164]" in bad.stderr and b"Traceback" not in bad.stderr
