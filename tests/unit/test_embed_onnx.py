"""quotecheck.embed_onnx: the ONNX export of the packaged model, its encoder, and when encoder_for picks it.

The export is built once per module (about 10 s) into a temporary folder; the venv's own export is
never read here, since every test points ``QUOTECHECK_ONNX_DIR`` at its own folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="onnxruntime is not installed: the ONNX encoder cannot run")
pytest.importorskip("onnx", reason="onnx is not installed: the ONNX export cannot be built")

from quotecheck.embed import SentenceTransformerEncoder  # noqa: E402
from quotecheck.embed_onnx import ENCODER_ENV, ONNX_DIR_ENV, OnnxEncoder, build, encoder_for, packaged_model_path  # noqa: E402

pytestmark = pytest.mark.model

SENTENCES = [
    "The senator promised to cut taxes for the middle class before the end of the year.",
    "Taxes went up.",
    "The minister said on Tuesday that the new hospital would open in the spring, after two years of delays and cost overruns.",
    "Hi.",
    "Officials denied that any agreement had been reached with the union over the weekend.",
]


@pytest.fixture(scope="module")
def model() -> Path:
    path = packaged_model_path()
    if path is None or not path.is_dir():
        pytest.skip("the packaged all-MiniLM-L6-v2 model is not installed")
    return path


@pytest.fixture(scope="module")
def export(model, tmp_path_factory) -> Path:
    """An int8 export of the packaged model, built once for this module."""
    return build(model, tmp_path_factory.mktemp("onnx") / "minilm-int8")


@pytest.fixture
def use_export(monkeypatch):
    """Point encoder_for at a given export folder, with no encoder forced."""
    monkeypatch.delenv(ENCODER_ENV, raising=False)

    def use(folder: Path) -> None:
        monkeypatch.setenv(ONNX_DIR_ENV, str(folder))

    return use


def test_vectors_are_unit_float32_of_dim_384(export):
    vectors = OnnxEncoder(export).encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32 and vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert OnnxEncoder(export).encode([]).shape == (0, 384)


def test_a_vector_depends_on_its_text_alone(export):
    # int8 activations are scaled per Runtime call: a text must not be run with its neighbours,
    # or its vector would change with the batch it came in (and the engines would disagree).
    encoder = OnnxEncoder(export)
    together = encoder.encode(SENTENCES)
    alone = np.vstack([encoder.encode([s]) for s in SENTENCES])
    assert np.array_equal(together, alone)
    assert np.array_equal(encoder.encode(SENTENCES[::-1]), together[::-1])


def test_close_to_the_torch_encoder(export, model):
    onnx_vectors = OnnxEncoder(export).encode(SENTENCES)
    torch_vectors = SentenceTransformerEncoder(str(model)).encode(SENTENCES)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    assert cosines.min() >= 0.97, cosines


def test_encoder_for_uses_a_current_export(export, model, use_export):
    use_export(export)
    encoder = encoder_for(str(model))
    assert isinstance(encoder, OnnxEncoder) and encoder.folder == export
    assert isinstance(encoder_for(str(export)), SentenceTransformerEncoder)  # not the packaged model's folder


def test_encoder_for_torch_when_forced(export, model, use_export, monkeypatch):
    use_export(export)
    monkeypatch.setenv(ENCODER_ENV, "torch")
    assert isinstance(encoder_for(str(model)), SentenceTransformerEncoder)


def test_encoder_for_torch_when_export_missing(model, use_export, tmp_path):
    use_export(tmp_path / "nothing-here")
    assert isinstance(encoder_for(str(model)), SentenceTransformerEncoder)


def test_encoder_for_torch_when_export_stale(export, model, use_export, tmp_path):
    stale = tmp_path / "stale"
    shutil.copytree(export, stale)
    meta = json.loads((stale / "meta.json").read_text(encoding="utf-8"))
    meta["files"]["model.safetensors"][1] -= 1  # the model's weights changed after the export was made
    (stale / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    use_export(stale)
    assert isinstance(encoder_for(str(model)), SentenceTransformerEncoder)


def test_onnx_encoding_does_not_import_torch(export, model):
    code = (
        "import sys\n"
        "from quotecheck.embed_onnx import OnnxEncoder, encoder_for\n"
        f"encoder = encoder_for({str(model)!r})\n"
        "assert isinstance(encoder, OnnxEncoder), type(encoder)\n"
        "assert encoder.encode(['x']).shape == (1, 384)\n"
        "print('torch' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ENCODER_ENV} | {ONNX_DIR_ENV: str(export), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
