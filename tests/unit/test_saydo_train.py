"""Training the said/did model on a tiny annotated set the test writes itself (seconds, real parse,
fake encoder): the folder it writes loads, has learned the commitments, and the test split and
changed texts are refused."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from quotecheck.errors import InputError
from quotecheck.pipeline.saydo.decide import decide
from quotecheck.pipeline.saydo.model import SaydoModel
from quotecheck.testing.fakes import FakeEncoder
from quotecheck.train.annotations import read_annotations
from quotecheck.train.saydo import TrainSettings
from quotecheck.train.saydo_run import EncoderVectors, read_training_articles, train_saydo
from tests.saydo_tiny import article, write_corpus

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    return root, write_corpus(root)


@pytest.fixture(scope="module")
def trained(tiny, tmp_path_factory):
    root, ann = tiny
    out = tmp_path_factory.mktemp("model") / "saydo"
    settings = TrainSettings.load(folds=2, min_count=1)
    arts = read_training_articles([ann], root, holdout=set())
    train_saydo(arts, out, settings=settings, command="test", vectors=EncoderVectors(FakeEncoder()))
    return out


def test_saydo_training_writes_a_model_that_loads(trained):
    m = SaydoModel.load(trained)
    assert (trained / "MODEL_CARD.md").read_text().startswith("# said/did model card")
    assert m.record["data"]["articles"] == 32 and m.record["settings"]["folds"] == 2
    assert set(m.thresholds) >= {"commitment", "outcome", "link", "xlink", "mismatch", "consistent", "commitment_sure"}
    # the tracker's sure threshold is one of the grid's (precision reached) or never; the CV curve is on the card
    assert m.thresholds["commitment_sure"] in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
    assert "commitment_precision" in m.record["cross_validation"]["curves"]


def test_saydo_training_learns_the_commitments(trained, tiny):
    from quotecheck.train.saydo_data import build_examples

    root, ann = tiny
    m = SaydoModel.load(trained)
    (ex,) = build_examples(read_annotations(ann, root)[:1])
    d = decide(m, ex.clauses)
    p = d.detector[:, 1]
    gold = ex.gold_clause["c1"]
    assert int(np.argmax(p)) == gold, [c.text for c in ex.clauses]
    forecast = next(i for i, c in enumerate(ex.clauses) if "prices would rise" in c.text or c.text.startswith("prices"))
    assert p[gold] > p[forecast]


def test_saydo_training_refuses_the_test_split(tiny):
    root, ann = tiny
    with pytest.raises(InputError, match=r"\[E166\]"):
        read_training_articles([ann], root, holdout={"mini/a03.txt"})


def test_saydo_annotations_refuse_a_changed_text(tiny, tmp_path):
    root, ann = tiny
    changed = tmp_path / "data"
    (changed / "mini" / "text").mkdir(parents=True)
    for f in (root / "mini" / "text").iterdir():
        (changed / "mini" / "text" / f.name).write_text(f.read_text() + " Edited.", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E161\]"):
        read_annotations(ann, changed)


def test_saydo_tiny_set_has_both_verdicts():
    verdicts = {article(n)[1]["links"][0]["verdict"] for n in range(16)}
    assert verdicts == {"consistent", "mismatch"}
    assert len(set(itertools.chain.from_iterable(article(n)[0].split()[:1] for n in range(16)))) > 4
