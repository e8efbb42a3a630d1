"""NLI backend: label lookup by name, probabilities, batching, errors, and the combine rules.

The cross-encoders are tiny randomly initialised BERTs built here and saved to a temporary
folder (32 hidden units, 2 layers, a 30-word vocabulary); nothing is downloaded. The classifier
bias is set by hand so that one named class clearly wins, which lets a test tell whether the
contradiction class was found by name or by position.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from quotecheck.errors import InputError, ModelError
from quotecheck.nli import FLIP_TYPE, NLI_FLIP_AT, NLIScorer, combine, find_contradiction_label

WORDS = "acme said it would close the plant in may did not open a factory jobs cut hire two hundred workers".split()
PAIRS = [
    ("Acme said it would close the plant in May.", "Acme did not close the plant."),
    ("Acme said it would hire two hundred workers.", "Acme cut jobs."),
    ("It would open a factory.", "It did open a factory in May."),
]


def _tiny_cross_encoder(folder: Path, id2label: dict[int, str], winner: str | None = None) -> Path:
    """Save a tiny BERT sequence classifier + tokenizer that ``CrossEncoder(folder)`` loads offline."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder.mkdir(parents=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={name: i for i, name in id2label.items()},
    )
    model = BertForSequenceClassification(config)
    if winner is not None:  # make one named class clearly the most probable
        with torch.no_grad():
            model.classifier.bias.zero_()
            model.classifier.bias[[n for i, n in id2label.items()].index(winner)] = 4.0
    model.save_pretrained(folder)
    BertTokenizer(str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("sentence_transformers")
    root = tmp_path_factory.mktemp("nli")
    return {
        "standard": _tiny_cross_encoder(root / "standard", {0: "contradiction", 1: "entailment", 2: "neutral"}, "contradiction"),
        "permuted": _tiny_cross_encoder(root / "permuted", {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}, "CONTRADICTION"),
        "agrees": _tiny_cross_encoder(root / "agrees", {0: "contradict", 1: "entail", 2: "neutral"}, "entail"),
        "unlabelled": _tiny_cross_encoder(root / "unlabelled", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}),
    }


# ---------------------------------------------------------------- the scorer


def test_nli_probabilities_are_a_softmax_per_pair(models):
    probs = NLIScorer(str(models["standard"])).probabilities(PAIRS)
    assert probs.shape == (len(PAIRS), 3) and probs.dtype == np.float32
    assert np.all((probs >= 0) & (probs <= 1))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_nli_contradiction_shape_and_range(models):
    p = NLIScorer(str(models["standard"])).contradiction(PAIRS)
    assert p.shape == (len(PAIRS),) and p.dtype == np.float32
    assert np.all((p >= 0) & (p <= 1))


def test_nli_empty_input_gives_empty_array(models):
    assert NLIScorer(str(models["standard"])).contradiction([]).shape == (0,)


@pytest.mark.parametrize("batch_size", [1, 2])
def test_nli_batching_does_not_change_scores(models, batch_size):
    whole = NLIScorer(str(models["standard"]), batch_size=64).contradiction(PAIRS)
    batched = NLIScorer(str(models["standard"]), batch_size=batch_size).contradiction(PAIRS)
    np.testing.assert_allclose(batched, whole, atol=1e-5)


def test_nli_symmetric_is_the_mean_of_both_orders(models):
    scorer = NLIScorer(str(models["standard"]))
    forward = scorer.probabilities(PAIRS)[:, 0]
    backward = scorer.probabilities([(b, a) for a, b in PAIRS])[:, 0]
    np.testing.assert_allclose(scorer.contradiction(PAIRS), (forward + backward) / 2, atol=1e-5)
    one_way = NLIScorer(str(models["standard"]), symmetric=False).contradiction(PAIRS)
    np.testing.assert_allclose(one_way, forward, atol=1e-5)


@pytest.mark.parametrize(("model", "index", "high"), [("standard", 0, True), ("permuted", 2, True), ("agrees", 0, False)])
def test_nli_contradiction_label_is_found_by_name(models, model, index, high):
    scorer = NLIScorer(str(models[model]))
    assert scorer.contradiction_label == index
    p = scorer.contradiction(PAIRS)
    assert np.all(p > 0.8) if high else np.all(p < 0.2)


def test_nli_model_without_contradiction_label_is_an_error(models):
    with pytest.raises(ModelError, match=r"\[E023\].*LABEL_0"):
        NLIScorer(str(models["unlabelled"])).load()


def test_nli_missing_folder_is_an_error(tmp_path):
    scorer = NLIScorer(str(tmp_path / "no-such-model"))  # constructing does not load
    with pytest.raises(ModelError, match=r"\[E022\].*no such folder"):
        scorer.contradiction(PAIRS)


def test_nli_folder_without_a_model_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match=r"\[E022\]"):
        NLIScorer(str(tmp_path / "empty")).load()


@pytest.mark.parametrize("bad", [["premise only"], [("a", "b", "c")], [("a", 3)]])
def test_nli_rejects_malformed_pairs(models, bad):
    with pytest.raises(InputError, match=r"\[E026\]"):
        NLIScorer(str(models["standard"])).contradiction(bad)


@pytest.mark.parametrize(
    ("id2label", "index"),
    [
        ({0: "contradiction", 1: "entailment", 2: "neutral"}, 0),
        ({"0": "entailment", "1": "neutral", "2": "CONTRADICTION"}, 2),
        ({0: "Entail", 1: "Contradict"}, 1),
    ],
)
def test_nli_find_contradiction_label_by_name(id2label, index):
    assert find_contradiction_label(id2label) == index


@pytest.mark.parametrize(
    ("id2label", "code"),
    [
        ({0: "LABEL_0", 1: "LABEL_1"}, "E023"),
        ({0: "contradiction"}, "E023"),  # one logit: a regression head, no softmax over classes
        ({0: "not_contradiction", 1: "entailment"}, "E023"),
        ({0: "contradiction", 1: "contradicts", 2: "neutral"}, "E024"),
    ],
)
def test_nli_find_contradiction_label_errors(id2label, code):
    with pytest.raises(ModelError, match=rf"\[{code}\]"):
        find_contradiction_label(id2label, path="m")


def test_nli_import_loads_no_torch():
    code = "import sys, quotecheck.nli; assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- combine


@pytest.mark.parametrize("verdict", ["mismatch", "consistent"])
def test_nli_combine_weight_zero_changes_nothing(verdict):
    assert combine(0.7, verdict, 0.99, 0.0) == (0.7, verdict)


@pytest.mark.parametrize("verdict", ["mismatch", "consistent"])
def test_nli_combine_nan_probability_changes_nothing(verdict):
    assert combine(0.7, verdict, math.nan, 0.5) == (0.7, verdict)


@pytest.mark.parametrize(("p", "expected"), [(1.0, 0.9), (0.0, 0.4), (0.8, 0.8)])
def test_nli_combine_mismatch_score_moves_towards_p(p, expected):
    assert combine(0.8, "mismatch", p, 0.5) == (expected, "mismatch")


def test_nli_combine_never_clears_a_mismatch():
    assert combine(0.6, "mismatch", 0.0, 1.0)[1] == "mismatch"


def test_nli_combine_consistent_score_moves_towards_no_contradiction():
    assert combine(0.6, "consistent", 0.2, 0.5) == (0.7, "consistent")


def test_nli_combine_flips_consistent_only_when_sure_and_outweighing():
    assert combine(0.7, "consistent", 0.95, 0.5) == (0.625, "mismatch")  # c = 0.35 + 0.025 = 0.375
    assert FLIP_TYPE == "other"


@pytest.mark.parametrize(
    ("score", "p", "weight"),
    [
        (0.7, NLI_FLIP_AT - 0.01, 1.0),  # outweighs, but the model is not sure enough
        (0.99, 0.95, 0.5),  # sure, but a confident judge outweighs it: c = 0.495 + 0.025 = 0.52
        (0.7, 0.95, 0.2),  # sure, but NLI carries little weight
    ],
)
def test_nli_combine_keeps_consistent_otherwise(score, p, weight):
    assert combine(score, "consistent", p, weight)[1] == "consistent"


@pytest.mark.parametrize(
    "args",
    [(1.2, "consistent", 0.5, 0.5), (0.5, "consistent", 1.5, 0.5), (0.5, "consistent", 0.5, -0.1), (0.5, "maybe", 0.5, 0.5)],
)
def test_nli_combine_rejects_out_of_range_arguments(args):
    with pytest.raises(InputError, match=r"\[E027\]"):
        combine(*args)


@pytest.mark.parametrize("verdict", ["mismatch", "consistent"])
@pytest.mark.parametrize("p", [0.0, 0.3, 0.9, 1.0])
@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_nli_combine_score_stays_in_unit_interval(verdict, p, weight):
    score, _ = combine(0.5, verdict, p, weight)
    assert 0.0 <= score <= 1.0
