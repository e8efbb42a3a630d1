"""A tiny said/did corpus written by the tests, and the model trained on it (seconds): plans
("X said it would close the plant in March") and reports ("X closed the plant in October"),
so that tests of everything downstream of the said/did stage (findings, reports, --fail-on,
compare, an index) have a model whose pairs they can predict, independent of the shipped one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ORGS = ["Acme", "Brightwell", "Corvane", "Dunmore", "Eastmoor", "Farrow", "Garwick", "Hollis"]
PLANS = [("close", "closed", "plant"), ("open", "opened", "depot"), ("sell", "sold", "unit"), ("build", "built", "bridge")]
MONTHS = ["March", "May", "June", "October"]


def article(n: int) -> tuple[str, dict]:
    """Article ``n`` of the tiny corpus and its annotation record (offsets, sha256)."""
    org = ORGS[(n // 2) % len(ORGS)]
    verb, past, obj = PLANS[(n // 2) % len(PLANS)]  # each plan both kept and late: the verb says nothing of the verdict
    m1 = MONTHS[n % 3]
    m2 = MONTHS[n % 3 + 1] if n % 2 else m1  # odd articles: done a month later than said (timing)
    plan = f"it would {verb} the {obj} in {m1}"
    done = f"{org} {past} the {obj} in {m2}"
    other = ["The mayor opened a new library on Friday.", "Rivals sold their stake in the firm.", "The union closed its office.",
             "A court built its case in May."][n % 4]
    text = f"{org} said {plan}. Analysts said prices would rise. {other} The weather was cold. {done}. Shares fell 2%.\n"
    s, d = text.index(plan), text.index(done)
    record = {
        "corpus": "mini", "file": f"a{n:02d}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "commitments": [{"id": "c1", "start": s, "end": s + len(plan), "actor": org}],
        "outcomes": [{"id": "o1", "start": d, "end": d + len(done), "actor": org, "status": "done" if m1 == m2 else "postponed"}],
        "links": [{"commitment": "c1", "outcome": "o1", "verdict": "consistent" if m1 == m2 else "mismatch",
                   "type": None if m1 == m2 else "timing"}],
    }
    return text, record


def write_corpus(root: Path, n: int = 32) -> Path:
    """The tiny corpus under ``root/mini/text`` and its annotations ``root/train.jsonl``."""
    (root / "mini" / "text").mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        text, record = article(i)
        (root / "mini" / "text" / record["file"]).write_text(text, encoding="utf-8")
        lines.append(json.dumps(record))
    ann = root / "train.jsonl"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ann


def train_tiny(root: Path) -> Path:
    """Train the tiny model (fake encoder) into ``root/model`` and return its folder."""
    from quotecheck.testing.fakes import FakeEncoder
    from quotecheck.train.saydo import TrainSettings
    from quotecheck.train.saydo_run import EncoderVectors, read_training_articles, train_saydo

    ann = write_corpus(root)
    out = root / "model"
    settings = TrainSettings.load(folds=2, min_count=1, precision_target=0.5)
    train_saydo(read_training_articles([ann], root, holdout=set()), out, settings=settings, command="tests/saydo_tiny.py",
                vectors=EncoderVectors(FakeEncoder()))
    return out
