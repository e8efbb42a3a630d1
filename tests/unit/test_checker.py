"""The public API: one obvious entry point, same answers from the module and from a Checker, no torch on import."""

import subprocess
import sys

import pytest

import quotecheck
from quotecheck import Checker, InputError


def test_checker_module_function_equals_checker_method(fake_checker, seed_text):
    via_module = quotecheck.analyze(seed_text, checker=fake_checker)
    assert via_module.model_dump_json() == fake_checker.analyze(seed_text).model_dump_json()


def test_checker_rejects_non_text():
    with pytest.raises(InputError, match=r"\[E016\]"):
        Checker().extract_quotes(b"bytes")  # type: ignore[arg-type]


def test_checker_import_and_quotes_do_not_load_torch(seed_text):
    code = (
        "import sys, time; t = time.time(); import quotecheck; c = quotecheck.Checker(); "
        "quotecheck.extract_quotes(open(sys.argv[1]).read()); "
        "bad = [m for m in ('torch', 'sentence_transformers', 'faiss', 'transformers') if m in sys.modules]; "
        "print(bad)"
    )
    from tests.conftest import SEED

    out = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_checker_pipe_keeps_order_and_context(fake_checker):
    texts = [("Acme vowed to close the plant.", {"doc_id": "a"}), ("Nothing here.", {"doc_id": "b"})]
    out = list(fake_checker.pipe(texts, as_tuples=True))
    assert [(a.doc_id, ctx["doc_id"]) for a, ctx in out] == [("a", "a"), ("b", "b")]


def test_checker_compare_intentions_in_a_against_actions_in_b(tiny_checker):
    c = tiny_checker.compare("Acme said it would close the Leeds plant in March.", "Acme closed the Leeds plant in March.")
    assert [(f.verdict, f.actor_name) for f in c.findings] == [("consistent", "Acme")]
    assert {e.doc_id for e in c.findings[0].evidence} == {c.a.doc_id, c.b.doc_id}


def test_checker_compare_same_text_twice_keeps_ids_unique(fake_checker):
    text = "Acme said it would close the plant. Acme closed the plant."
    c = fake_checker.compare(text, text)
    assert c.a.doc_id != c.b.doc_id
