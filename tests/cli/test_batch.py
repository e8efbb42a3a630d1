"""``quotecheck batch``: problems and a summary on stderr, findings on stdout, exit 0/1/2, resumable."""

from __future__ import annotations

import json
import sys

import pytest

from quotecheck.cli import main
from quotecheck.corpus.batch import BatchJob
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PLEDGE = "Acme Corp said it would close the Leeds plant in March."
DONE = "Acme Corp closed the Leeds plant in October."


@pytest.fixture
def fake_model(monkeypatch):
    """Every batch run in this process embeds with FakeEncoder instead of loading the model."""
    monkeypatch.setattr(BatchJob, "make_checker", lambda self: _fake(self))


def _fake(job: BatchJob):
    from quotecheck.checker import Checker

    return Checker(model=job.model, config=job.config, encoder=FakeEncoder())


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "pledge", "text": PLEDGE, "date": "2024-01-10"}),
        "{oops",
        json.dumps({"id": "done", "text": DONE, "date": "2024-11-02"}),
        json.dumps({"id": "blank", "text": " "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9 said")
    return tmp_path


def run(corpus, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["batch", str(corpus / "in.jsonl"), str(corpus / "latin1.txt"), "--output", str(corpus / "out"), "--workers", "0", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_batch_bad_input_is_logged_counted_and_exit_0(fake_model, corpus, capsys):
    code, out, err = run(corpus, capsys)
    assert code == 0
    assert "[E060]" in err and "line 2" in err and "[E063]" in err and "'blank'" in err and "[E062]" in err
    assert "5 read: 2 done, 0 already done, 3 skipped" in err and "articles/s" in err
    assert "Traceback" not in err
    assert "MISMATCH (timing)" in out


def test_batch_rerun_reports_already_done(fake_model, corpus, capsys):
    run(corpus, capsys)
    code, _, err = run(corpus, capsys)
    assert code == 0 and "0 done, 2 already done" in err


def test_batch_jsonl_findings_on_stdout(fake_model, corpus, capsys):
    code, out, _ = run(corpus, capsys, "--format", "jsonl", "-q")
    assert code == 0 and [json.loads(line)["verdict"] for line in out.splitlines()] == ["mismatch"]


def test_batch_fail_on_mismatch_exits_1(fake_model, corpus, capsys):
    assert run(corpus, capsys, "--fail-on", "mismatch")[0] == 1


def test_batch_quiet_prints_no_summary(fake_model, corpus, capsys):
    code, _, err = run(corpus, capsys, "-q")
    assert code == 0 and "already done" not in err and "[E060]" in err  # problems still show


@pytest.mark.parametrize(
    "argv, code",
    [
        (["batch", "missing.jsonl", "--output", "o"], "E010"),
        (["batch", ".", "--output", "o", "--workers", "-1"], "must be 0 or more"),
        (["batch", "."], "--output"),
    ],
)
def test_batch_usage_errors_exit_2(tmp_path, monkeypatch, capsys, argv, code):
    monkeypatch.chdir(tmp_path)
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    assert status == 2 and code in capsys.readouterr().err


def test_batch_output_folder_not_ours_exits_2(fake_model, corpus, capsys):
    (corpus / "out").mkdir()
    (corpus / "out" / "keep.txt").write_text("x")
    code, _, err = run(corpus, capsys)
    assert code == 2 and "[E066]" in err


def test_batch_ray_engine_without_ray_names_the_extra(corpus, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails
    code, _, err = run(corpus, capsys, "--engine", "ray")
    assert code == 2 and "[E067]" in err and "quotecheck[ray]" in err


@pytest.mark.model
def test_batch_with_the_real_model(model_checker, corpus, capsys):
    code, out, err = run(corpus, capsys)
    assert code == 0 and "2 done" in err
    assert "Acme" in out


def test_batch_missing_model_exits_2_with_its_error(corpus, capsys):
    code, _, err = run(corpus, capsys, "--model", str(corpus / "no-model"))
    assert code == 2 and "[E020]" in err and "Traceback" not in err
