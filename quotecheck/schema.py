"""JSON Schemas generated from the pydantic models: ``quotecheck schema NAME``.

The fixture schema is also shipped as ``quotecheck/testing/fixture.schema.json`` (for editors
and CI linters); a test keeps the shipped file equal to the generated one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SCHEMA_NAMES", "json_schema"]

SCHEMA_NAMES = ("fixture", "analysis", "comparison")


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (one of :data:`SCHEMA_NAMES`)."""
    from quotecheck.errors import Errors, InputError

    if name == "fixture":
        from quotecheck.testing.model import fixture_schema

        return fixture_schema()
    if name in ("analysis", "comparison"):
        from quotecheck.models import Analysis, Comparison

        model = Analysis if name == "analysis" else Comparison
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"urn:quotecheck:schema:{name}", **model.model_json_schema()}
    raise InputError(Errors.E043.format(name=name, choices=", ".join(SCHEMA_NAMES)))
