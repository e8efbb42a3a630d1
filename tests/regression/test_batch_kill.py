"""A batch killed with SIGKILL at any moment (a real ``kill -9``, not a mock) and run again loses no
article, repeats none and ends with the files of an uninterrupted run, byte for byte; its
worker processes die with it (issue 12).

The corpus is past the HNSW switch (lowered to 150 vectors for the test), so the resumed runs
also rebuild the approximate index, whose graph must come out the same.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotecheck.corpus.synth import fixture_sentences, synthetic_articles, write_jsonl
from tests.conftest import FIXTURES, ROOT

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
@pytest.fixture(scope="module", autouse=True)
def _tiny_model_for_every_run(tiny_saydo_model):
    """Module-wide (the reference run is a module fixture): every driver process reads the tiny model."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUOTECHECK_SAYDO_MODEL", str(tiny_saydo_model))
        yield

ARTICLES = 90
DRIVER = """
import json, sys
from quotecheck.index import VectorIndex
VectorIndex.__init__.__kwdefaults__["approx_threshold"] = 150
from quotecheck.corpus.batch import BatchJob, run_local
from quotecheck.testing.fakes import FakeEncoder

job = BatchJob(sys.argv[1], encoder_factory=lambda: FakeEncoder(64), workers=int(sys.argv[3]), shard_size=3, embed_batch=4, index_save_seconds=0)
summary, _ = run_local(job, [sys.argv[2]])
print(json.dumps({k: summary.model_dump()[k] for k in ("read", "done", "already_done", "skipped", "index_statements")}))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "in.jsonl"
    write_jsonl(path, synthetic_articles(ARTICLES, fixture_sentences(FIXTURES), seed=21))
    return path


def _start(out: Path, corpus: Path, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(out), str(corpus), str(workers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _finish(out: Path, corpus: Path) -> dict:
    proc = _start(out, corpus)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    return json.loads(stdout.decode().strip().splitlines()[-1])


def _descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        p = stack.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = {int(x) for x in fh.read().split()}
                stack.extend(kids - found)
                found |= kids
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _files(out: Path) -> dict[str, bytes]:
    names = ["manifest.jsonl", "findings.jsonl", *(f"shards/{p.name}" for p in sorted((out / "shards").glob("shard-*")))]
    return {name: (out / name).read_bytes() for name in names}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "out"
    counts = _finish(out, corpus)
    assert counts["done"] == ARTICLES and counts["index_statements"] > 150  # past the lowered HNSW switch
    return _files(out)


def test_batch_kill_at_any_moment_then_rerun_gives_the_uninterrupted_result(tmp_path, corpus, reference):
    out = tmp_path / "out"
    rng = random.Random(12)
    kills = 0
    for _ in range(12):
        proc = _start(out, corpus)
        time.sleep(rng.uniform(0.5, 3.0))
        if proc.poll() is not None:  # finished before the kill
            break
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)  # a worker that outlives the run keeps its pipes open: this would hang
        kills += 1
    counts = _finish(out, corpus)
    assert kills >= 3, "the run always finished before it was killed: make the corpus bigger"
    assert counts["done"] + counts["already_done"] == ARTICLES and counts["skipped"] == 0
    got = _files(out)
    ids = [json.loads(line)["id"] for name, data in got.items() if name.endswith(".jsonl") and name.startswith("shards/") for line in data.splitlines()]
    assert len(ids) == len(set(ids)) == ARTICLES  # none lost, none twice
    assert got == reference


def test_batch_kill_workers_exit_with_their_parent(tmp_path, corpus):
    proc = _start(tmp_path / "out", corpus, workers=1)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        time.sleep(0.05)
        workers = {p for p in _descendants(proc.pid) if _alive(p)}
    assert workers, "no worker process started"
    proc.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for p in left:  # do not leave them behind for the rest of the suite
        os.kill(p, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert not left, f"worker processes {left} outlived the killed batch"
