"""`make bench`: run every benchmark; each merges its own section into bench/results.json
(bench_fuzz.py into bench/fuzz.json)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
status = 0
for script in ("bench_quotes.py", "bench_saydo.py", "bench_index.py", "bench_batch.py", "bench_fuzz.py"):
    if (HERE / script).exists():
        print(f"== {script}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script)])
sys.exit(status)
