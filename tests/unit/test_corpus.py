"""Corpus scale: streaming input with logged problems, resumable shards, the corpus index, cross-article findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotecheck.corpus import batch as batch_mod
from quotecheck.corpus.batch import BatchJob, run_local
from quotecheck.corpus.reader import Article, Problem, expand_corpus_inputs, iter_articles
from quotecheck.corpus.store import MANIFEST, load_index
from quotecheck.corpus.synth import fixture_sentences, synthetic_articles
from quotecheck.errors import IndexStoreError, InputError
from quotecheck.testing.fakes import FakeEncoder
from tests.conftest import FIXTURES

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PLEDGE = "Acme Corp said it would close the Leeds plant in March."
DONE = "Acme Corp closed the Leeds plant in October."
OTHER = "“We will win,” Ana Ruiz said. The mayor opened a new library on Friday."


def jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, (str, bytes)) else json.dumps(r) for r in records]
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


def job(tmp_path: Path, **kwargs) -> BatchJob:
    kwargs.setdefault("workers", 0)
    return BatchJob(tmp_path / "out", encoder_factory=FakeEncoder, **kwargs)


def items(*paths: Path) -> list[Article | Problem]:
    return list(iter_articles([str(p) for p in paths]))


# -- reader ------------------------------------------------------------------------------


def test_corpus_reader_jsonl_article_fields(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", {"id": "a1", "text": PLEDGE, "date": "2024-01-05", "url": "https://x.test/a1", "outlet": "Courier"})
    (article,) = items(path)
    assert (article.id, article.date, article.url, article.outlet) == ("a1", "2024-01-05", "https://x.test/a1", "Courier")
    assert article.source == f"{path}:1" and len(article.sha1) == 40


def test_corpus_reader_txt_file_is_one_article_named_by_its_stem(tmp_path):
    (tmp_path / "pledge.txt").write_text(PLEDGE, encoding="utf-8")
    (article,) = items(tmp_path / "pledge.txt")
    assert article.id == "pledge" and article.text == PLEDGE


def test_corpus_reader_missing_id_uses_the_text_hash(tmp_path):
    (article,) = items(jsonl(tmp_path / "a.jsonl", {"text": PLEDGE}))
    assert article.id.startswith("d") and len(article.id) == 11


@pytest.mark.parametrize(
    "line, code",
    [
        ("{not json", "E060"),
        ("[1, 2]", "E061"),
        (json.dumps({"id": "x"}), "E061"),
        (json.dumps({"id": "x", "text": 5}), "E061"),
        (json.dumps({"id": ["x"], "text": "t"}), "E061"),
        (b'{"id": "x", "text": "caf\xe9"}', "E062"),
        (json.dumps({"id": "x", "text": "   \n"}), "E063"),
    ],
)
def test_corpus_reader_bad_line_is_a_problem_with_its_line_number(tmp_path, line, code):
    path = jsonl(tmp_path / "a.jsonl", {"id": "ok1", "text": PLEDGE}, line, {"id": "ok2", "text": DONE})
    got = items(path)
    assert [type(x).__name__ for x in got] == ["Article", "Problem", "Article"]
    problem = got[1]
    assert problem.code == code and problem.line == 2 and f"[{code}]" in problem.message


def test_corpus_reader_non_utf8_txt_is_a_problem(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 said")
    (problem,) = items(tmp_path / "bad.txt")
    assert problem.code == "E062" and problem.doc_id == "bad"


def test_corpus_reader_bad_date_warns_and_keeps_the_article(tmp_path):
    warning, article = items(jsonl(tmp_path / "a.jsonl", {"id": "a", "text": PLEDGE, "date": "last Tuesday"}))
    assert warning.code == "W060" and warning.severity == "warning"
    assert article.id == "a" and article.date is None


def test_corpus_reader_datetime_is_cut_to_its_date(tmp_path):
    (article,) = items(jsonl(tmp_path / "a.jsonl", {"id": "a", "text": PLEDGE, "date": "2024-03-01T10:20:00+00:00"}))
    assert article.date == "2024-03-01"


def test_corpus_reader_streams_line_by_line(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", {"id": "a", "text": PLEDGE}, {"id": "b", "text": DONE})
    stream = iter_articles([str(path)])
    assert next(stream).id == "a"
    with open(path, "ab") as fh:  # written after the first article was read: still seen
        fh.write(json.dumps({"id": "c", "text": OTHER}).encode() + b"\n")
    assert [a.id for a in stream] == ["b", "c"]


def test_corpus_inputs_missing_path_and_empty_directory_are_usage_errors(tmp_path):
    with pytest.raises(InputError, match=r"\[E010\]"):
        expand_corpus_inputs([str(tmp_path / "nope.jsonl")])
    with pytest.raises(InputError, match=r"\[E069\]"):
        expand_corpus_inputs([str(tmp_path)])


def test_corpus_inputs_directory_gives_txt_and_jsonl_sorted(tmp_path):
    (tmp_path / "b.txt").write_text(PLEDGE)
    jsonl(tmp_path / "a.jsonl", {"id": "x", "text": DONE})
    (tmp_path / "c.md").write_text("no")
    assert [Path(p).name for p in expand_corpus_inputs([str(tmp_path)])] == ["a.jsonl", "b.txt"]


# -- engine ------------------------------------------------------------------------------


def corpus(tmp_path: Path) -> Path:
    return jsonl(
        tmp_path / "in.jsonl",
        {"id": "pledge", "text": PLEDGE, "date": "2024-01-10"},
        "{broken",
        {"id": "done", "text": DONE, "date": "2024-11-02"},
        {"id": "empty", "text": ""},
        {"id": "other", "text": OTHER, "date": "2024-02-01"},
    )


def test_corpus_run_counts_problems_and_goes_on(tmp_path):
    seen: list[Problem] = []
    summary, _ = run_local(job(tmp_path), [str(corpus(tmp_path))], on_problem=seen.append)
    assert (summary.done, summary.skipped, summary.skipped_by_reason) == (3, 2, {"E060": 1, "E063": 1})
    assert [(p.code, p.line) for p in seen] == [("E060", 2), ("E063", 4)]
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["done"] == 3


def test_corpus_run_writes_shards_index_and_cross_article_findings(tmp_path):
    summary, cross = run_local(job(tmp_path, shard_size=2), [str(corpus(tmp_path))])
    shards = sorted((tmp_path / "out" / "shards").glob("*.jsonl"))
    assert [s.name for s in shards] == ["shard-00000.jsonl", "shard-00001.jsonl"]
    records = [json.loads(line) for s in shards for line in s.read_text().splitlines()]
    assert [r["id"] for r in records] == ["pledge", "done", "other"]
    assert records[0]["analysis"]["doc_id"] == "pledge" and records[0]["date"] == "2024-01-10"
    index = load_index(tmp_path / "out" / "index")
    assert sorted(index.documents) == ["done", "other", "pledge"] and len(index) == summary.statements
    assert [(f.actor_name, f.verdict, f.type) for f in cross] == [("Acme Corp", "mismatch", "timing")]
    assert [json.loads(line)["id"] for line in (tmp_path / "out" / "findings.jsonl").read_text().splitlines()] == [cross[0].id]


def test_corpus_cross_article_findings_respect_dates(tmp_path):
    path = jsonl(tmp_path / "in.jsonl", {"id": "pledge", "text": PLEDGE, "date": "2024-12-01"}, {"id": "done", "text": DONE, "date": "2024-06-01"})
    _, cross = run_local(job(tmp_path), [str(path)])
    assert cross == []  # the promise came after the act


def test_corpus_rerun_skips_articles_already_done(tmp_path):
    path = corpus(tmp_path)
    first, cross = run_local(job(tmp_path), [str(path)])
    with open(path, "a") as fh:
        fh.write(json.dumps({"id": "late", "text": "Acme Corp said it would open a plant in Hull.", "date": "2024-12-01"}) + "\n")
    second, cross2 = run_local(job(tmp_path), [str(path)])
    assert (second.done, second.already_done) == (1, 3)
    assert second.index_documents == first.index_documents + 1
    assert [f.id for f in cross2] == [f.id for f in cross]
    ids = [json.loads(line)["id"] for s in sorted((tmp_path / "out" / "shards").glob("*.jsonl")) for line in s.read_text().splitlines()]
    assert ids == ["pledge", "done", "other", "late"]


def test_corpus_same_id_other_text_is_skipped_with_a_reason(tmp_path):
    path = jsonl(tmp_path / "in.jsonl", {"id": "a", "text": PLEDGE}, {"id": "a", "text": DONE})
    summary, _ = run_local(job(tmp_path), [str(path)])
    assert (summary.done, summary.skipped_by_reason) == (1, {"E065": 1})


def test_corpus_crash_loses_at_most_the_shard_in_progress(tmp_path):
    path = corpus(tmp_path)
    run_local(job(tmp_path, shard_size=1), [str(path)])
    out = tmp_path / "out"
    manifest = (out / MANIFEST).read_text().splitlines()
    # As if the run died while appending the last manifest line, before saving the index.
    (out / MANIFEST).write_text("\n".join(manifest[:-1]) + "\n" + manifest[-1][:10])
    import shutil

    shutil.rmtree(out / "index")
    again, _ = run_local(job(tmp_path, shard_size=1), [str(path)])
    assert (again.done, again.already_done) == (1, 2)
    assert sorted(load_index(out / "index").documents) == ["done", "other", "pledge"]
    entries = []
    for line in (out / MANIFEST).read_text().splitlines():
        try:
            entries.append(json.loads(line)["shard"])
        except ValueError:
            assert line == manifest[-1][:10]  # the torn line stays on a line of its own
    assert entries == ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"]


def test_corpus_index_rebuilt_from_shards_when_a_save_was_missed(tmp_path):
    path = corpus(tmp_path)
    run_local(job(tmp_path), [str(path)])
    import shutil

    shutil.rmtree(tmp_path / "out" / "index")
    summary, cross = run_local(job(tmp_path), [str(path)])
    assert summary.done == 0 and summary.index_documents == 3 and len(cross) == 1


def test_corpus_index_swap_interrupted_is_taken_back(tmp_path):
    run_local(job(tmp_path), [str(corpus(tmp_path))])
    index = tmp_path / "out" / "index"
    index.rename(tmp_path / "out" / "index.old")  # moved aside, new one never moved in
    assert sorted(load_index(index).documents) == ["done", "other", "pledge"]


def test_corpus_separate_index_keeps_its_other_documents(tmp_path):
    first = jsonl(tmp_path / "first.jsonl", {"id": "pledge", "text": PLEDGE, "date": "2024-01-10"})
    second = jsonl(tmp_path / "second.jsonl", {"id": "done", "text": DONE, "date": "2024-11-02"})
    shared = tmp_path / "shared-index"
    run_local(BatchJob(tmp_path / "o1", index=shared, encoder_factory=FakeEncoder, workers=0), [str(first)])
    summary, cross = run_local(BatchJob(tmp_path / "o2", index=shared, encoder_factory=FakeEncoder, workers=0), [str(second)])
    assert summary.index_documents == 2 and [f.actor_name for f in cross] == ["Acme Corp"]


def test_corpus_index_of_another_model_is_refused(tmp_path):
    run_local(job(tmp_path), [str(corpus(tmp_path))])
    with pytest.raises(IndexStoreError, match=r"\[E032\]"):
        run_local(BatchJob(tmp_path / "out", model="/elsewhere/model", encoder_factory=FakeEncoder, workers=0), [str(corpus(tmp_path))])


def test_corpus_output_folder_of_other_files_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"\[E066\]"):
        run_local(job(tmp_path), [str(corpus(tmp_path))])


def test_corpus_pipeline_failure_skips_that_article_only(tmp_path, monkeypatch):
    real = batch_mod.Checker.structure

    def flaky(self, text, **kwargs):
        if kwargs.get("doc_id") == "done":
            raise RuntimeError("boom")
        return real(self, text, **kwargs)

    monkeypatch.setattr(batch_mod.Checker, "structure", flaky)
    summary, _ = run_local(job(tmp_path), [str(corpus(tmp_path))])
    assert summary.done == 2 and summary.skipped_by_reason["E068"] == 1


def test_corpus_workers_give_the_same_output_as_one_process(tmp_path):
    path = corpus(tmp_path)
    one, cross_one = run_local(BatchJob(tmp_path / "one", encoder_factory=FakeEncoder, workers=0, shard_size=2), [str(path)])
    two, cross_two = run_local(BatchJob(tmp_path / "two", encoder_factory=FakeEncoder, workers=1, shard_size=2), [str(path)])
    read = lambda d: [s.read_text() for s in sorted((d / "shards").glob("*.jsonl"))]  # noqa: E731
    assert read(tmp_path / "one") == read(tmp_path / "two")
    assert cross_one == cross_two and (one.done, one.skipped) == (two.done, two.skipped)


def test_corpus_synthetic_articles_are_deterministic():
    sentences = fixture_sentences(FIXTURES)
    first = list(synthetic_articles(5, sentences, seed=3))
    assert first == list(synthetic_articles(5, sentences, seed=3))
    assert first != list(synthetic_articles(5, sentences, seed=4))
    assert len({a["id"] for a in first}) == 5 and all(a["text"].strip() for a in first)


def test_corpus_modules_import_no_torch_faiss_or_ray():
    import subprocess
    import sys

    code = (
        "import sys, quotecheck, quotecheck.corpus.batch, quotecheck.corpus.ray_engine, quotecheck.cli.cmd_batch; "
        "print([m for m in ('torch', 'sentence_transformers', 'faiss', 'ray') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_corpus_engines_and_writer_do_not_import_each_other():
    """sink reads the shared job module, never an engine; the engines share it too (issue 16)."""
    import ast
    from pathlib import Path

    import quotecheck.corpus as corpus

    def imports(name: str) -> set[str]:
        tree = ast.parse((Path(corpus.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
        return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}

    assert not imports("sink") & {"quotecheck.corpus.batch", "quotecheck.corpus.ray_engine"}
    assert not imports("job") & {"quotecheck.corpus.batch", "quotecheck.corpus.ray_engine", "quotecheck.corpus.sink"}
    assert "quotecheck.corpus.job" in imports("sink") & imports("batch") & imports("ray_engine")


def test_corpus_index_is_public():
    import quotecheck
    from quotecheck.index import CorpusIndex

    assert quotecheck.CorpusIndex is CorpusIndex and "CorpusIndex" in quotecheck.__all__


def test_corpus_rerun_over_a_folder_holding_its_output_reads_no_shard(tmp_path):
    (tmp_path / "pledge.txt").write_text(PLEDGE, encoding="utf-8")
    run_local(BatchJob(tmp_path / "run", encoder_factory=FakeEncoder, workers=0), [str(tmp_path)])
    again, _ = run_local(BatchJob(tmp_path / "run", encoder_factory=FakeEncoder, workers=0), [str(tmp_path)])
    assert (again.files, again.already_done, again.skipped) == (1, 1, 0)


def test_corpus_judge_failure_skips_that_article_only(tmp_path, monkeypatch):
    real = batch_mod._judge

    def flaky(checker, analyses):
        if any(a.doc_id == "pledge" for a in analyses):
            raise ValueError("bad pair")
        return real(checker, analyses)

    monkeypatch.setattr(batch_mod, "_judge", flaky)
    summary, _ = run_local(job(tmp_path), [str(corpus(tmp_path))])
    assert summary.done == 2 and summary.skipped_by_reason["E068"] == 1


def test_corpus_broken_model_stops_the_run_with_its_error(tmp_path):
    from quotecheck.errors import ModelError

    with pytest.raises(ModelError, match=r"\[E020\]"):
        run_local(BatchJob(tmp_path / "out", model=str(tmp_path / "no-model"), workers=0), [str(corpus(tmp_path))])
