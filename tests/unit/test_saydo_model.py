"""The said/did model as a file: save/load round trip, refusals, and the heads' probabilities."""

from __future__ import annotations

import json

import numpy as np
import pytest

from quotecheck.errors import ModelError
from quotecheck.pipeline.saydo.model import LinearHead, SaydoModel, default_saydo_model_path, load_saydo_model
from tests.unit.test_saydo_decide import info, model


def test_saydo_model_save_load_round_trip(tmp_path):
    m = model()
    m.record = {"note": "round trip"}
    m.save(tmp_path / "m")
    back = SaydoModel.load(tmp_path / "m")
    clauses = [info(0, features=["PLAN"]), info(1, features=["OUT", "wanted"])]
    from quotecheck.pipeline.saydo.decide import decide

    got, want = decide(back, clauses), decide(m, clauses)
    assert [(p.commitment, p.outcome, p.verdict, p.type) for p in got.pairs] == [(p.commitment, p.outcome, p.verdict, p.type) for p in want.pairs]
    assert np.allclose(got.detector, want.detector, atol=1e-5)
    assert back.thresholds == m.thresholds and back.record == {"note": "round trip"}
    for name in ("detector", "status", "linker", "xlinker", "judge"):
        a, b = getattr(m, name), getattr(back, name)
        assert a.classes == b.classes and a.vocab == b.vocab and np.allclose(a.weights, b.weights, atol=1e-6)


def test_saydo_model_refuses_another_version(tmp_path):
    model().save(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["version"] = 999
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"\[E165\]"):
        SaydoModel.load(tmp_path)


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_saydo_model_refuses_a_damaged_folder(tmp_path, damage):
    model().save(tmp_path)
    if damage == "missing":
        (tmp_path / "weights.npz").unlink()
    else:
        (tmp_path / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match=r"\[E164\]"):
        SaydoModel.load(tmp_path)


def test_saydo_model_weights_are_read_without_pickle(tmp_path):
    model().save(tmp_path)
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as data:
        assert all(data[k].dtype == np.float32 for k in data.files)


def test_linear_head_binary_probabilities_sum_to_one():
    head = LinearHead(("no", "link"), {"a": 0}, 1, np.array([[2.0], [1.0]]), np.array([-1.0]))
    p = head.predict_proba([["a"], []], np.array([[0.5], [0.0]]))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0, 1] == pytest.approx(1 / (1 + np.exp(-(2.0 + 0.5 - 1.0))))
    assert p[1, 1] == pytest.approx(1 / (1 + np.exp(1.0)))


def test_linear_head_unknown_features_are_ignored():
    head = LinearHead(("none", "commitment", "outcome"), {"x": 0}, 0, np.array([[1.0, 2.0, 3.0]]), np.zeros(3))
    assert np.allclose(head.predict_proba([["never seen"]]), 1 / 3)


def test_the_packaged_model_loads_and_names_its_data():
    if not (default_saydo_model_path() / "meta.json").exists():
        pytest.skip("no packaged said/did model in this checkout")
    m = load_saydo_model()
    assert m.detector.classes == ("none", "commitment", "outcome")
    assert m.record["data"]["articles"] > 0 and 0 < m.thresholds["commitment"] < 1
