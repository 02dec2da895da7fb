"""Secrets are replaced wherever they appear, however the data around them is shaped."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from switchboard.engine.redaction import REDACTED, Redactor

secrets = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=6, max_size=30)
documents = st.recursive(
    st.none() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


def plant(document: Any, secret: str) -> Any:
    """Put the secret inside every string of the document, and as a key."""
    if isinstance(document, str):
        return f"{document}{secret}{document}"
    if isinstance(document, list):
        return [plant(item, secret) for item in document] + [f"Bearer {secret}"]
    if isinstance(document, dict):
        return {**{k: plant(v, secret) for k, v in document.items()}, secret: "key"}
    return document


def strings(value: Any) -> list[str]:
    """Every text in the data, keys included: where a secret could be (numbers hold none)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *strings(item)]]
    return []


@given(documents, secrets)
def test_no_secret_survives_redaction(document: Any, secret: str) -> None:
    redacted = Redactor([secret]).data(plant(document, secret))
    assert not [text for text in strings(redacted) if secret in text]


@given(documents, secrets)
def test_data_without_secrets_is_left_as_it_was(document: Any, secret: str) -> None:
    assume(not any(secret in text for text in strings(document)))
    assert Redactor([secret]).data(document) == document


def test_a_longer_secret_containing_a_shorter_one_is_redacted_whole() -> None:
    redactor = Redactor(["abc123", "abc123-extended"])
    assert redactor.text("token=abc123-extended") == f"token={REDACTED}"
