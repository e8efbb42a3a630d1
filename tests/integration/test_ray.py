"""The Ray engine on a local Ray instance gives the same shards and findings as the single-machine engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.ray

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'quotecheck[ray]')")
pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'quotecheck[ray]')")

from quotecheck.corpus.batch import BatchJob, run_local  # noqa: E402
from quotecheck.corpus.ray_engine import run_ray  # noqa: E402
from quotecheck.corpus.synth import fixture_sentences, synthetic_articles, write_jsonl  # noqa: E402
from quotecheck.testing.fakes import FakeEncoder  # noqa: E402
from tests.conftest import FIXTURES  # noqa: E402

COUNTS = ("files", "read", "done", "already_done", "skipped", "skipped_by_reason", "skipped_inputs", "warnings", "warnings_by_code", "shards_written", "statements",
          "findings_within", "mismatches_within", "findings_cross", "index_documents", "index_statements")


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray instance for this module only, started and stopped here."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    write_jsonl(folder / "a.jsonl", synthetic_articles(40, fixture_sentences(FIXTURES), seed=11))
    with open(folder / "a.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{broken\n" + json.dumps({"id": "blank", "text": ""}) + "\n")
    (folder / "latin1.txt").write_bytes(b"caf\xe9 said")
    (folder / "pledge.txt").write_text("Acme Corp said in January that it would close the Leeds plant in March.\n", encoding="utf-8")
    return [str(folder / "a.jsonl"), str(folder / "latin1.txt"), str(folder / "pledge.txt")]


def outputs(folder: Path) -> dict[str, str]:
    names = ["manifest.jsonl", "findings.jsonl", *(f"shards/{p.name}" for p in sorted((folder / "shards").glob("*.jsonl")))]
    return {name: (folder / name).read_text(encoding="utf-8") for name in names}


def test_ray_engine_matches_the_local_engine(local_ray, inputs, tmp_path):
    local, cross_local = run_local(BatchJob(tmp_path / "local", encoder_factory=FakeEncoder, workers=0, shard_size=16), inputs)
    remote, cross_ray = run_ray(BatchJob(tmp_path / "ray", encoder_factory=FakeEncoder, shard_size=16, embed_batch=8), inputs)
    assert remote.engine == "ray" and local.done == 41 and local.skipped_by_reason == {"E060": 1, "E062": 1, "E063": 1}
    assert {k: getattr(remote, k) for k in COUNTS} == {k: getattr(local, k) for k in COUNTS}
    assert cross_ray == cross_local
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")


def test_ray_engine_resumes(local_ray, inputs, tmp_path):
    job = BatchJob(tmp_path / "ray", encoder_factory=FakeEncoder, shard_size=16)
    first, _ = run_ray(job, inputs)
    again, _ = run_ray(job, inputs)
    assert (again.done, again.already_done, again.index_documents) == (0, first.done, first.index_documents)


@pytest.mark.model
def test_ray_engine_with_the_real_model_matches(local_ray, model_checker, inputs, tmp_path):
    local, cross_local = run_local(BatchJob(tmp_path / "local", workers=0, shard_size=16), inputs)
    remote, cross_ray = run_ray(BatchJob(tmp_path / "ray", shard_size=16), inputs)
    key = lambda f: (f.id, f.actor_name, f.intention, f.action, f.verdict, f.type, round(f.score, 4))  # noqa: E731
    assert [key(f) for f in cross_ray] == [key(f) for f in cross_local]
    assert {k: getattr(remote, k) for k in COUNTS} == {k: getattr(local, k) for k in COUNTS}


def test_ray_engine_matches_the_local_engine_past_the_hnsw_switch(local_ray, inputs, tmp_path, monkeypatch):
    """Identical shards (vectors included) and cross-article findings once the index is approximate."""
    from quotecheck.index import VectorIndex

    monkeypatch.setitem(VectorIndex.__init__.__kwdefaults__, "approx_threshold", 150)  # the driver builds the index
    local, cross_local = run_local(BatchJob(tmp_path / "local", encoder_factory=FakeEncoder, workers=1, shard_size=16), inputs)
    remote, cross_ray = run_ray(BatchJob(tmp_path / "ray", encoder_factory=FakeEncoder, shard_size=16, embed_batch=8), inputs)
    assert local.index_statements > 150 and cross_local
    assert cross_ray == cross_local
    npy = lambda folder: {p.name: p.read_bytes() for p in sorted((folder / "shards").glob("*.npy"))}  # noqa: E731
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local") and npy(tmp_path / "ray") == npy(tmp_path / "local")
