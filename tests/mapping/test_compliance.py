"""The RFC 9535 compliance suite, every case through Switchboard's own query function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from switchboard.mapping import PathSyntaxError, query

SUITE = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "jsonpath-cts.json"
CASES: list[dict[str, Any]] = json.loads(SUITE.read_text(encoding="utf-8"))["tests"] if SUITE.exists() else []


def test_the_whole_suite_is_here() -> None:
    assert len(CASES) == 703, f"expected the 703 cases of {SUITE}"


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return (
        bool(a == b) and type(a) in (int, float, str, type(None)) and type(b) in (int, float, str, type(None))
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compliance_case(case: dict[str, Any]) -> None:
    if case.get("invalid_selector"):
        with pytest.raises(PathSyntaxError):
            query(case["selector"], case.get("document"))
        return
    found = query(case["selector"], case["document"])
    if "result" in case:
        assert _same(found, case["result"])
    else:
        assert any(_same(found, allowed) for allowed in case["results"])
