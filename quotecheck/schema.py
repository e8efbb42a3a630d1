"""JSON Schemas generated from the pydantic models: ``quotecheck schema NAME``.

``finding`` is one record of ``--format jsonl --per finding`` (a CSV row holds the same fields);
``promises`` is the output of ``quotecheck promises --format json``.

The fixture schema is also shipped as ``quotecheck/testing/fixture.schema.json`` (for editors
and CI linters); a test keeps the shipped file equal to the generated one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SCHEMA_NAMES", "json_schema"]

SCHEMA_NAMES = ("fixture", "analysis", "comparison", "finding", "promises")


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (one of :data:`SCHEMA_NAMES`)."""
    from quotecheck.errors import Errors, InputError

    if name == "fixture":
        from quotecheck.testing.model import fixture_schema

        return fixture_schema()
    if name in SCHEMA_NAMES:
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"urn:quotecheck:schema:{name}", **_model(name).model_json_schema()}
    raise InputError(Errors.E043.format(name=name, choices=", ".join(SCHEMA_NAMES)))


def _model(name: str):
    """The pydantic model whose JSON Schema is published as ``name``."""
    if name == "finding":
        from quotecheck.io.records import FindingRecord

        return FindingRecord
    if name == "promises":
        from quotecheck.tracker import PromiseReport

        return PromiseReport
    from quotecheck.models import Analysis, Comparison

    return {"analysis": Analysis, "comparison": Comparison}[name]
