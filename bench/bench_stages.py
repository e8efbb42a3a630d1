"""Where a corpus run spends its time: ``quotecheck batch`` in one process, stage by stage.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_stages.py [--articles 168] [--runs 3] [--no-write]``

The real code path runs (``corpus.batch.run_local`` with ``--workers 0``, a fresh output folder
per run) over PolNeAR dev articles read in place (cycled to ``--articles``, each under its own id).
Each stage's function is wrapped with a timer on its module, so the figures are of the shipped
code, not of a copy: segmentation, quote attribution, speakers, the spaCy parse, the clause
proposals and features (the event layer's rules apart), the said/did model's decision, building
the statements, the encoder (statement vectors), the within-article judge around it, and
writing (shards and index) with the cross-article check at the end. A stage's time excludes the
stages timed inside it; ``other`` is the rest of the wall time (reading, start of the run).
Median of ``--runs`` runs after a warm-up of 8 articles (models loaded once). Writes the
``"stages"`` section of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SOURCE = ROOT.parent / "shared" / "data" / "polnear-dev" / "text"

#: (stage, module, attribute) in pipeline order; nested stages are subtracted from their parent.
STAGES = (
    ("segment", "quotecheck.pipeline.segment", "segment"),
    ("attribution", "quotecheck.pipeline.attribution", "extract_quotes"),
    ("speakers", "quotecheck.pipeline.speakers", "resolve"),
    ("parse", "quotecheck.pipeline.document", "parse_documents"),
    ("clauses", "quotecheck.pipeline.saydo.stage", "clause_infos"),
    ("event rules", "quotecheck.pipeline.saydo.stage", "_rule_features"),
    ("decide", "quotecheck.pipeline.saydo.stage", "decide"),
    ("statements", "quotecheck.pipeline.saydo.stage", "run"),
    ("encoder", "quotecheck.corpus.job", "MemoEncoder.prime"),
    ("judge (NLI when given)", "quotecheck.corpus.batch", "_judge"),
    ("writing", "quotecheck.corpus.sink", "Sink.add"),
    ("cross-article", "quotecheck.corpus.sink", "Sink.finish"),
)


class Clock:
    """Exclusive seconds per stage: a stage running inside another is taken off its parent."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # [start, time of nested stages]

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([time.perf_counter(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, nested = self._stack.pop()
                spent = time.perf_counter() - start
                self.seconds[stage] += spent - nested
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


def install(clock: Clock) -> None:
    """Wrap every stage function on its module (or class) with ``clock``."""
    import importlib

    for stage, module_name, attr in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, clock.wrap(stage, getattr(owner, name)))


def corpus(folder: Path, n: int, path: Path) -> Path:
    """``n`` PolNeAR dev articles (cycled, distinct ids) as one JSON Lines file read by the run."""
    files = sorted(folder.glob("*.txt"))
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            f = files[i % len(files)]
            out.write(json.dumps({"id": f"{i:05d}-{f.stem}", "text": f.read_text(encoding="utf-8")}) + "\n")
    return path


def run_once(inputs: Path, workdir: Path) -> float:
    from quotecheck.corpus.batch import BatchJob, run_local

    job = BatchJob(workdir, workers=0)
    start = time.perf_counter()
    run_local(job, [str(inputs)])
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=168)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not SOURCE.is_dir():
        print(f"bench_stages: {SOURCE} not found", file=sys.stderr)
        return 2
    clock = Clock()
    install(clock)
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="qc-stages-") as tmp:
        warm = corpus(SOURCE, 8, Path(tmp) / "warm.jsonl")
        run_once(warm, Path(tmp) / "warm")  # loads the parser, the models and the encoder
        inputs = corpus(SOURCE, args.articles, Path(tmp) / "articles.jsonl")
        for r in range(args.runs):
            clock.seconds.clear()
            wall = run_once(inputs, Path(tmp) / f"run{r}")
            row = {stage: clock.seconds.get(stage, 0.0) for stage, _, _ in STAGES}
            row["other"] = wall - sum(row.values())
            row["wall"] = wall
            runs.append(row)
            print(json.dumps({k: round(v, 2) for k, v in row.items()}), flush=True)
    names = [s for s, _, _ in STAGES] + ["other"]
    wall = statistics.median(r["wall"] for r in runs)
    from quotecheck.corpus.job import BatchJob

    encoder = BatchJob(ROOT / "build" / "unused", workers=0).make_checker().encoder
    section = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "articles": args.articles,
        "runs": args.runs,
        "encoder": type(getattr(encoder, "inner", encoder)).__name__,
        "wall_s": round(wall, 2),
        "articles_per_s": round(args.articles / wall, 2),
        "stages": [
            {"stage": s, "ms_per_article": round(1000 * statistics.median(r[s] for r in runs) / args.articles, 1),
             "share": round(statistics.median(r[s] / r["wall"] for r in runs), 3)}
            for s in names
        ],
    }
    print(json.dumps(section, indent=2))
    if not args.no_write:
        from bench import write_section

        write_section("stages", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
