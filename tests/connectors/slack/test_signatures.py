"""Slack v0 signatures: Slack's own worked example, the ways a request is refused, and properties."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from switchboard.connectors.slack.signatures import (
    InvalidSlackSignature,
    SignatureProblem,
    sign_v0,
    verify_v0,
)

# The worked example in Slack's "Verifying requests from Slack" guide (a slash command's form body).
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = "1531420618"
DOC_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

SECRET = "sim-signing-secret"
NOW = 1_760_000_000
BODY = b'{"type":"event_callback","event_id":"Ev0001","event":{"type":"message","text":"STOP"}}'

secrets = st.text(min_size=1, max_size=64)
bodies = st.binary(max_size=2048)
timestamps = st.integers(min_value=1_000_000_000, max_value=4_000_000_000)


def problem_of(
    signing_secret: str, timestamp: str | None, signature: str | None, body: bytes
) -> SignatureProblem:
    with pytest.raises(InvalidSlackSignature) as refused:
        verify_v0(signing_secret, timestamp, signature, body, now=NOW)
    return refused.value.problem


def test_signing_slacks_documented_example_gives_slacks_signature() -> None:
    assert sign_v0(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY) == DOC_SIGNATURE


def test_slacks_documented_example_verifies_within_its_window() -> None:
    verify_v0(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY.encode(), now=int(DOC_TIMESTAMP) + 60)


def test_slacks_documented_example_is_refused_as_stale_today() -> None:
    with pytest.raises(InvalidSlackSignature, match="outside the 300 s window") as refused:
        verify_v0(DOC_SECRET, DOC_TIMESTAMP, DOC_SIGNATURE, DOC_BODY)
    assert refused.value.problem is SignatureProblem.STALE_TIMESTAMP


def test_a_signature_agrees_with_slack_sdks_verifier() -> None:
    verifier = SignatureVerifier(SECRET)
    assert verifier.generate_signature(timestamp=str(NOW), body=BODY) == sign_v0(SECRET, NOW, BODY)


def test_a_str_body_is_signed_as_its_utf8_bytes() -> None:
    assert sign_v0(SECRET, NOW, "héllo ✓") == sign_v0(SECRET, NOW, "héllo ✓".encode())


def test_the_invalid_signature_error_is_a_value_error() -> None:
    assert issubclass(InvalidSlackSignature, ValueError)


@pytest.mark.parametrize("timestamp", [None, "", "   "])
def test_a_missing_timestamp_header_is_named(timestamp: str | None) -> None:
    with pytest.raises(InvalidSlackSignature, match="X-Slack-Request-Timestamp header is missing"):
        verify_v0(SECRET, timestamp, sign_v0(SECRET, NOW, BODY), BODY, now=NOW)


@pytest.mark.parametrize("signature", [None, ""])
def test_a_missing_signature_header_is_named(signature: str | None) -> None:
    with pytest.raises(InvalidSlackSignature, match="X-Slack-Signature header is missing"):
        verify_v0(SECRET, str(NOW), signature, BODY, now=NOW)


@pytest.mark.parametrize("timestamp", ["yesterday", "1.5e9", "-1760000000", "١٧٦٠٠٠٠٠٠٠"])
def test_a_timestamp_that_is_not_unix_seconds_is_malformed(timestamp: str) -> None:
    assert problem_of(SECRET, timestamp, "v0=00", BODY) is SignatureProblem.MALFORMED_TIMESTAMP


def test_a_timestamp_from_the_future_is_refused() -> None:
    timestamp = NOW + 301
    with pytest.raises(InvalidSlackSignature, match="in the future"):
        verify_v0(SECRET, str(timestamp), sign_v0(SECRET, timestamp, BODY), BODY, now=NOW)


def test_a_signature_made_with_another_secret_is_refused_with_advice() -> None:
    signature = sign_v0("another-secret", NOW, BODY)
    with pytest.raises(InvalidSlackSignature, match="check the authentication's Slack signing secret"):
        verify_v0(SECRET, str(NOW), signature, BODY, now=NOW)


def test_a_signature_without_its_version_prefix_is_refused() -> None:
    signature = sign_v0(SECRET, NOW, BODY).removeprefix("v0=")
    assert problem_of(SECRET, str(NOW), signature, BODY) is SignatureProblem.BAD_SIGNATURE


def test_headers_with_surrounding_whitespace_still_verify() -> None:
    verify_v0(SECRET, f" {NOW} ", f"{sign_v0(SECRET, NOW, BODY)} ", BODY, now=NOW)


def test_a_non_ascii_signature_header_is_refused_not_crashed_on() -> None:
    assert problem_of(SECRET, str(NOW), "v0=é", BODY) is SignatureProblem.BAD_SIGNATURE


@given(secret=secrets, timestamp=timestamps, body=bodies)
def test_what_is_signed_verifies(secret: str, timestamp: int, body: bytes) -> None:
    verify_v0(secret, str(timestamp), sign_v0(secret, timestamp, body), body, now=timestamp)


@given(secret=secrets, timestamp=timestamps, body=bodies, other_body=bodies)
def test_any_change_to_the_body_breaks_the_signature(
    secret: str, timestamp: int, body: bytes, other_body: bytes
) -> None:
    assume(body != other_body)
    signature = sign_v0(secret, timestamp, body)
    with pytest.raises(InvalidSlackSignature) as refused:
        verify_v0(secret, str(timestamp), signature, other_body, now=timestamp)
    assert refused.value.problem is SignatureProblem.BAD_SIGNATURE


@given(
    secret=secrets,
    timestamp=timestamps,
    body=bodies,
    skew=st.integers(min_value=301, max_value=10**7),
    sign=st.sampled_from([1, -1]),
)
def test_a_timestamp_outside_the_window_fails_even_when_signed(
    secret: str, timestamp: int, body: bytes, skew: int, sign: int
) -> None:
    signature = sign_v0(secret, timestamp, body)
    with pytest.raises(InvalidSlackSignature) as refused:
        verify_v0(secret, str(timestamp), signature, body, now=timestamp + sign * skew)
    assert refused.value.problem is SignatureProblem.STALE_TIMESTAMP


@given(secret=secrets, timestamp=timestamps, body=bodies, skew=st.integers(min_value=-300, max_value=300))
def test_a_timestamp_inside_the_window_verifies(secret: str, timestamp: int, body: bytes, skew: int) -> None:
    verify_v0(secret, str(timestamp), sign_v0(secret, timestamp, body), body, now=timestamp + skew)


@given(timestamp=timestamps, tolerance=st.integers(min_value=0, max_value=3600))
def test_the_window_is_configurable(timestamp: int, tolerance: int) -> None:
    signature = sign_v0(SECRET, timestamp, BODY)
    verify_v0(SECRET, str(timestamp), signature, BODY, now=timestamp + tolerance, tolerance=tolerance)
    with pytest.raises(InvalidSlackSignature):
        verify_v0(SECRET, str(timestamp), signature, BODY, now=timestamp + tolerance + 1, tolerance=tolerance)
