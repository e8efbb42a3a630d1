"""Training on a tiny brat folder the test writes itself: the model learns it, saves and loads."""

from __future__ import annotations

import json
import random

import pytest

from quotecheck.checker import Checker
from quotecheck.config import Config
from quotecheck.errors import InputError
from quotecheck.io import brat
from quotecheck.models import Analysis, Quote, Span
from quotecheck.pipeline.attribution.extract import extract_text
from quotecheck.pipeline.attribution.model import load_model
from quotecheck.pipeline.segment import segment
from quotecheck.train.crf import TrainParams, folds
from quotecheck.train.data import labels_for, read_folder
from quotecheck.train.run import train_folder
from quotecheck.pipeline.attribution.tokens import sequences

NAMES = ["Ada Fenwick", "Mayor Ilsa Brant", "The council", "Officials", "Tom Reyes", "The agency"]
CLAIMS = ["taxes would rise", "the bridge would reopen", "the plan had failed", "talks would resume", "prices will fall"]
FILLERS = ["The weather was mild on Sunday.", "Traffic moved slowly downtown.", "The market opened at nine."]


def _article(rng: random.Random) -> tuple[str, list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]]:
    """A text of five paragraphs and its gold (source, cue, content) offsets."""
    parts: list[str] = []
    gold = []
    pos = 0
    for _ in range(5):
        name, claim = rng.choice(NAMES), rng.choice(CLAIMS)
        if rng.random() < 0.5:
            para = f"{name} said {claim}."
            s, c, k = (0, len(name)), (len(name) + 1, len(name) + 5), (len(name) + 6, len(name) + 6 + len(claim))
        else:
            quote = claim[0].upper() + claim[1:]
            para = f"“{quote},” {name} said."
            k = (1, 1 + len(quote))
            s = (len(quote) + 4, len(quote) + 4 + len(name))
            c = (s[1] + 1, s[1] + 5)
        gold.append(tuple((a + pos, b + pos) for a, b in (s, c, k)))
        filler = " " + rng.choice(FILLERS)
        parts.append(para + filler)
        pos += len(para + filler) + 2
    return "\n\n".join(parts), gold


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "text").mkdir()
    (root / "attributions").mkdir()
    rng = random.Random(7)
    for n in range(8):
        text, gold = _article(rng)
        (root / "text" / f"a{n}.txt").write_text(text, encoding="utf-8")
        quotes = tuple(
            Quote(id=f"q{i}", kind="indirect", source=Span.of(text, *s), cue=Span.of(text, *c), content=(Span.of(text, *k),))
            for i, (s, c, k) in enumerate(gold, start=1)
        )
        ann = brat.dumps(Analysis(doc_id=f"a{n}", text=text, quotes=quotes))
        (root / "attributions" / f"a{n}.ann").write_text(ann, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "m"
    return train_folder(corpus, out, params=TrainParams(iterations=40, min_freq=1), calibration_folds=2, seed=3)


def test_train_reads_brat_labels_for_every_role(corpus):
    (article, *_) = read_folder(corpus)
    seq = sequences(article.text, article.seg)[0]
    labels = labels_for(article, seq.tokens)
    assert {"B-SRC", "B-CUE", "B-CON"} <= set(labels)


def test_train_writes_a_model_that_loads_with_its_card(trained):
    meta = json.loads((trained / "meta.json").read_text())
    assert meta["seed"] == 3 and meta["articles"] == 8
    assert meta["calibration"] is not None and meta["cross_validation"]["folds"] == 2
    assert load_model(trained).labels[0] == "O"


def test_trained_model_finds_the_attributions_of_its_domain(trained):
    text = "Tom Reyes said the plan had failed. The market opened at nine.\n\n“Prices will fall,” Ada Fenwick said."
    quotes = extract_text(text, segment(text), load_model(trained), Config())
    assert [(q.source.text, q.cue.text, q.content[0].text) for q in quotes] == [
        ("Tom Reyes", "said", "the plan had failed"),
        ("Ada Fenwick", "said", "Prices will fall"),
    ]
    assert all(0 <= q.confidence <= 1 for q in quotes)


def test_trained_model_is_used_through_the_config(trained):
    text = "Tom Reyes said the plan had failed."
    analysis = Checker(config=Config(quote_model=str(trained))).extract_quotes(text)
    assert [q.speaker_name for q in analysis.quotes] == ["Tom Reyes"]


def test_saved_model_reloads_with_the_same_predictions(trained, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("model.crfsuite", "meta.json"):
        (copy / name).write_bytes((trained / name).read_bytes())
    text = "Officials said talks would resume.\n\n“Taxes would rise,” The agency said."
    a = extract_text(text, segment(text), load_model(trained), Config())
    b = extract_text(text, segment(text), load_model(copy), Config())
    assert a == b and a


def test_folds_cover_every_article_once():
    groups = folds([f"a{i}" for i in range(10)], 3, seed=1)
    assert sorted(n for g in groups for n in g) == sorted(f"a{i}" for i in range(10))
    assert groups == folds([f"a{i}" for i in range(10)], 3, seed=1)


def test_folds_reject_too_many(tmp_path):
    with pytest.raises(InputError, match=r"\[E126\]"):
        folds(["a", "b"], 3, seed=0)


def test_train_rejects_a_folder_without_annotations(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Hello.")
    with pytest.raises(InputError, match=r"\[E123\]"):
        train_folder(tmp_path, tmp_path / "out")


def test_train_calibration_can_hold_out_one_fold_only(corpus, tmp_path):
    out = train_folder(corpus, tmp_path / "m", params=TrainParams(iterations=20, min_freq=1), calibration_folds=4,
                       calibration_runs=1, seed=3)
    cv = json.loads((out / "meta.json").read_text())["cross_validation"]
    assert (cv["folds"], cv["held_out_runs"]) == (4, 1)
