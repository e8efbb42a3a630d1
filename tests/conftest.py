"""Shared fixtures: no network, one real model per session, a fake encoder for everything else."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from hypothesis import settings  # noqa: E402

from quotecheck import Checker  # noqa: E402
from quotecheck.config import default_model_path  # noqa: E402
from quotecheck.testing.fakes import FakeEncoder  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_77f9f5edfd3afcc6.txt"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open an internet connection fails the test."""

    def refuse(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise RuntimeError(f"network access attempted: {address}")
        return real_connect(self, address, *args, **kwargs)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="session")
def model_checker() -> Checker:
    """A Checker with the real packaged model, loaded once per session (read-only)."""
    path = default_model_path()
    if not path or not Path(path).is_dir():
        pytest.skip("local sentence-transformers model not installed")
    return Checker().load()


@pytest.fixture
def fake_checker() -> Checker:
    """A Checker whose encoder is a hashed bag of words: fast, deterministic, no model."""
    return Checker(encoder=FakeEncoder())


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_saydo_model(tmp_path_factory) -> Path:
    """A said/did model trained on the tiny corpus of tests/saydo_tiny.py (seconds, fake encoder):
    it pairs "X said it would V the O in M" with "X Ved the O in M2", so tests of what comes after
    the said/did stage know what to expect whatever the shipped model does."""
    from tests.saydo_tiny import train_tiny

    return train_tiny(tmp_path_factory.mktemp("tiny-saydo"))


@pytest.fixture
def tiny_checker(tiny_saydo_model) -> Checker:
    """A Checker with the tiny said/did model and the fake encoder (no real model loaded)."""
    from quotecheck.config import Config

    return Checker(encoder=FakeEncoder(), config=Config(saydo_model=str(tiny_saydo_model)))


@pytest.fixture
def tiny_saydo_env(tiny_saydo_model, monkeypatch) -> Path:
    """Point every Checker created in the test (and its worker processes) at the tiny model."""
    monkeypatch.setenv("QUOTECHECK_SAYDO_MODEL", str(tiny_saydo_model))
    return tiny_saydo_model
