"""`make bench`: run every benchmark; each merges its own section into bench/results.json
(bench_fuzz.py into bench/fuzz.json)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
status = 0
RUNS = (("bench_quotes.py",), ("bbc_quotes.py", "score", "annotations/quotes-bbc/articles.jsonl", "--results"),
        ("bbc_quotes.py", "score", "annotations/quotes-bbc/articles.jsonl", "--contextual", "--results"), ("saydo/bench_models.py",), ("bench_saydo.py",), ("audit_findings.py",), ("audit_findings.py", "--bbc-audit"),
        ("bench_scaling.py",), ("bench_stages.py",), ("bench_startup.py",), ("bench_index.py",), ("bench_batch.py",), ("bench_fuzz.py",))
for script, *args in RUNS:
    if (HERE / script).exists():
        print(f"== {script} {' '.join(args)}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script), *args], cwd=HERE.parent)
sys.exit(status)
