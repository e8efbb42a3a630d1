"""Batch runs under bad input (issue 12): one bad record never stops a run, counts add up,
slow articles are cut off, an output has one writer, findings are reused when nothing changed,
and an article's vectors do not depend on the batch it was embedded in."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from quotecheck.checker import Checker
from quotecheck.corpus import batch as batch_mod
from quotecheck.corpus.batch import BatchJob, MemoEncoder, embed_and_judge, run_local
from quotecheck.corpus.guard import OutputLock
from quotecheck.errors import InputError
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PLEDGE = "Acme Corp said it would close the Leeds plant in March."
DONE = "Acme Corp closed the Leeds plant in October."
OTHER = "“We will win,” Ana Ruiz said. The mayor opened a new library on Friday."
DEEP = "[" * 100_000 + "]" * 100_000


def _jsonl(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


def _job(tmp_path: Path, **kwargs) -> BatchJob:
    kwargs.setdefault("workers", 0)
    return BatchJob(tmp_path / "out", encoder_factory=FakeEncoder, **kwargs)


def _hostile(tmp_path: Path) -> Path:
    return _jsonl(
        tmp_path / "in.jsonl",
        {"id": "pledge", "text": PLEDGE, "date": "2024-01-10"},
        DEEP,
        '{"id": "bad", "text": "x \\ud800 y"}',
        "{broken",
        {"id": "done", "text": DONE, "date": "2024-11-02"},
        {"id": "pledge", "text": OTHER},  # a second article under a done id
        {"id": "odd", "text": OTHER, "date": "last week"},  # a warning, not a skip
    )


def test_batch_guard_hostile_lines_are_skipped_and_the_rest_is_written(tmp_path):
    summary, cross = run_local(_job(tmp_path), [str(_hostile(tmp_path))])
    assert (summary.read, summary.done, summary.already_done, summary.skipped) == (7, 3, 0, 4)
    assert summary.skipped_by_reason == {"E060": 1, "E065": 1, "E081": 1, "E082": 1}
    assert summary.warnings_by_code == {"W060": 1}
    assert [(s.code, s.line) for s in summary.skipped_inputs] == [("E081", 2), ("E082", 3), ("E060", 4), ("E065", None)]
    shard_ids = [json.loads(line)["id"] for p in sorted((tmp_path / "out" / "shards").glob("*.jsonl")) for line in p.read_text().splitlines()]
    assert shard_ids == ["pledge", "done", "odd"] and [f.actor_name for f in cross] == ["Acme Corp"]


def test_batch_guard_counts_add_up_on_a_rerun(tmp_path):
    path = _hostile(tmp_path)
    run_local(_job(tmp_path), [str(path)])
    again, _ = run_local(_job(tmp_path), [str(path)])
    assert (again.read, again.done, again.already_done, again.skipped) == (7, 0, 3, 4)
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["read"] == saved["done"] + saved["already_done"] + saved["skipped"]
    assert sum(saved["skipped_by_reason"].values()) == saved["skipped"] == len(saved["skipped_inputs"])


def test_batch_guard_article_over_the_time_limit_is_skipped(tmp_path, monkeypatch):
    real = batch_mod.Checker.structure

    def slow(self, text, **kwargs):
        if kwargs.get("doc_id") == "done":
            time.sleep(30)
        return real(self, text, **kwargs)

    monkeypatch.setattr(batch_mod.Checker, "structure", slow)
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE}, {"id": "done", "text": DONE}, {"id": "other", "text": OTHER})
    started = time.monotonic()
    summary, _ = run_local(_job(tmp_path, article_timeout=0.5), [str(path)])
    assert time.monotonic() - started < 20
    assert (summary.done, summary.skipped_by_reason) == (2, {"E083": 1})
    assert "--article-timeout 0.5 s" in summary.skipped_inputs[0].message


def test_batch_guard_time_limit_works_in_worker_processes(tmp_path):
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE * 50}, {"id": "done", "text": DONE * 50})
    summary, _ = run_local(_job(tmp_path, workers=1, article_timeout=1e-4), [str(path)])
    assert summary.skipped_by_reason == {"E083": 2}  # no article is done in a tenth of a millisecond


def test_batch_guard_article_that_cannot_be_written_is_skipped_alone(tmp_path, monkeypatch):
    # A surrogate never gets this far (the reader refuses it, and spaCy could not tokenise it), so
    # the record of one article is made unserialisable instead: it alone is skipped, the shard is written.
    from quotecheck.corpus import sink as sink_mod

    to_json = sink_mod.ShardRecord.to_json

    def fails_for_bad(record):
        if record.id == "bad":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return to_json(record)

    monkeypatch.setattr(sink_mod.ShardRecord, "to_json", fails_for_bad)
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE}, {"id": "bad", "text": "Acme said it would."}, {"id": "done", "text": DONE})
    summary, _ = run_local(_job(tmp_path), [str(path)])
    assert (summary.done, summary.skipped_by_reason) == (2, {"E087": 1})


def test_batch_guard_fifo_input_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE})
    box: list = []
    thread = threading.Thread(target=lambda: box.append(run_local(_job(tmp_path), [str(tmp_path / "pipe.jsonl"), str(path)])), daemon=True)
    thread.start()
    thread.join(60)
    assert box, "the run blocked on the FIFO"
    summary, _ = box[0]
    assert (summary.done, summary.skipped_by_reason) == (1, {"E084": 1})


def test_batch_guard_one_run_per_output_folder(tmp_path):
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE})
    with OutputLock(tmp_path / "out"):
        with pytest.raises(InputError, match=r"\[E089\]"):
            run_local(_job(tmp_path), [str(path)])
    assert run_local(_job(tmp_path), [str(path)])[0].done == 1  # released


def test_batch_guard_rerun_reuses_the_findings_when_nothing_changed(tmp_path, monkeypatch):
    path = _jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE, "date": "2024-01-10"}, {"id": "done", "text": DONE, "date": "2024-11-02"})
    first, cross = run_local(_job(tmp_path), [str(path)])
    calls = []
    real = batch_mod.Checker.check_index
    monkeypatch.setattr(batch_mod.Checker, "check_index", lambda self, corpus, **kw: calls.append(1) or real(self, corpus, **kw))
    again, cross2 = run_local(_job(tmp_path), [str(path)])
    assert (first.findings_cross_reused, again.findings_cross_reused, calls) == (False, True, [])
    assert cross2 == cross and len(cross) == 1
    (tmp_path / "out" / "findings.jsonl").write_text("damaged\n")
    third, cross3 = run_local(_job(tmp_path), [str(path)])
    assert not third.findings_cross_reused and cross3 == cross and calls == [1]
    fourth, _ = run_local(_job(tmp_path, config=Checker().config.model_copy(update={"pair_k": 3})), [str(path)])
    assert not fourth.findings_cross_reused  # another configuration judges again


class _BatchNoiseEncoder(FakeEncoder):
    """Like a real encoder: the floats of a text shift a little with the rest of its batch."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = super().encode(texts)
        noise = sum(map(len, texts)) * 1e-9  # a function of the whole batch
        return (out + noise).astype(np.float32)


def test_batch_guard_article_vectors_do_not_depend_on_the_batch(tmp_path):
    checker = Checker(encoder=MemoEncoder(_BatchNoiseEncoder()))
    a, b, c = (checker.structure(t, doc_id=i) for t, i in ((PLEDGE, "a"), (DONE, "b"), (OTHER, "c")))
    alone = embed_and_judge(checker, [b])[0][1]
    batched = embed_and_judge(checker, [a, b, c])[1][1]
    assert np.array_equal(alone, batched)
