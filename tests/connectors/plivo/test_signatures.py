"""Plivo webhook signatures: the official SDK vectors, tampering, token choice, header handling."""

import string
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from switchboard.connectors.plivo.signatures import (
    V2_MAIN_ACCOUNT_SIGNATURE,
    V2_NONCE,
    V2_SIGNATURE,
    V3_MAIN_ACCOUNT_SIGNATURE,
    V3_NONCE,
    V3_SIGNATURE,
    base_url,
    sign_v2,
    sign_v3,
    signature_headers,
    v3_signed_string,
    verify_request,
    verify_v2,
    verify_v3,
)

# Official vectors: plivo-go utils_test.go TestValidateSignatureV3Pass1-4 (same in plivo-ruby), and the
# V2 vector of plivo-python tests/resources/test_signature.py (reference/plivo.md §4).
V3_TOKEN = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4"
V3_NONCE_VALUE = "31627761595286130198"
CALL = "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
V3_PARAMS = {
    "Direction": "outbound",
    "From": "19792014278",
    "ALegUUID": CALL,
    "CallStatus": "in-progress",
    "BillRate": "0.002",
    "ParentAuthID": "MANWVLYTK4ZWU1YTY4QA",
    "To": "sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com",
    "ALegRequestUUID": CALL,
    "CallUUID": CALL,
    "RequestUUID": CALL,
    "SIP-H-To": "<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1",
    "SessionStart": "2020-04-08 11:34:33.238707",
    "Event": "StartApp",
}
WITH_QUERY = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d"
WITHOUT_QUERY = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml"
V3_VECTORS = [
    ("POST", WITH_QUERY, "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c="),
    ("GET", WITH_QUERY, "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ="),
    ("POST", WITHOUT_QUERY, "iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0="),
    ("GET", WITHOUT_QUERY, "i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc="),
]

# Derived messaging example of reference/plivo.md §4 (accepted by the official SDK).
STATUS_URL = "https://example.com/plivo/status"
STATUS_NONCE = "12345678901234567890"
STATUS_PARAMS = {
    "From": "14155550100",
    "To": "14155550101",
    "MessageUUID": "db3ce55a-7f1d-11e1-8ea7-1231380bc196",
    "Status": "delivered",
    "Type": "sms",
    "Units": "1",
    "TotalRate": "0.00500",
    "TotalAmount": "0.00500",
    "ErrorCode": "000",
}


@pytest.mark.parametrize(("method", "url", "expected"), V3_VECTORS)
def test_v3_matches_the_official_vectors(method: str, url: str, expected: str) -> None:
    assert sign_v3(method, url, V3_PARAMS, V3_NONCE_VALUE, V3_TOKEN) == expected
    assert verify_v3(method, url, V3_PARAMS, V3_NONCE_VALUE, expected, V3_TOKEN)


def test_v2_matches_the_official_vector() -> None:
    expected = "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc="
    assert sign_v2("https://answer.url", "12345", "my_auth_token") == expected
    assert verify_v2("https://answer.url", "12345", expected, "my_auth_token")
    assert not verify_v2("https://answer.url", "12345", expected, "my_auth_tokens")


def test_the_derived_messaging_example_signs_as_documented() -> None:
    assert sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "my_auth_token") == (
        "/7EZtTLORYPkaAnjBr1DYwMXiI1IDuqqQ5c3Ou0GEhs="
    )
    assert (
        sign_v2(STATUS_URL, STATUS_NONCE, "my_auth_token") == "kQ84H1b+WPXJiAAy8oGiGDx6BwE1IJY6QuLOPbEVRkE="
    )


def test_v3_post_signs_the_url_then_sorted_keys_and_values_without_separators() -> None:
    signed = v3_signed_string("POST", WITHOUT_QUERY, V3_PARAMS)
    assert signed.startswith(f"{WITHOUT_QUERY}?ALegRequestUUID{CALL}ALegUUID{CALL}BillRate0.002CallStatus")
    assert signed.endswith("Tosip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com")


def test_v3_post_with_a_query_puts_the_sorted_query_then_a_dot_before_the_params() -> None:
    signed = v3_signed_string("POST", "https://h.example/p?c=d&a=b", {"X": "1"})
    assert signed == "https://h.example/p?a=b&c=d.X1"


def test_v3_post_without_params_signs_only_the_query() -> None:
    assert v3_signed_string("POST", "https://h.example/p?c=d&a=b", {}) == "https://h.example/p?a=b&c=d"
    assert v3_signed_string("POST", "https://h.example/p", {}) == "https://h.example/p"


def test_v3_get_merges_params_into_the_query_and_the_url_wins_a_clash() -> None:
    signed = v3_signed_string("get", "https://h.example/p?b=url", {"b": "param", "a": "1"})
    assert signed == "https://h.example/p?a=1&b=url"


def test_repeated_values_are_signed_sorted() -> None:
    assert v3_signed_string("POST", "https://h.example/p", {"k": ["2", "1"]}) == "https://h.example/p?k1k2"
    assert v3_signed_string("GET", "https://h.example/p", {"k": ["2", "1"]}) == "https://h.example/p?k=1&k=2"


def test_base_url_keeps_the_port_and_drops_query_and_fragment() -> None:
    assert base_url("http://127.0.0.1:8080/hooks/x?token=1#frag") == "http://127.0.0.1:8080/hooks/x"


def test_v2_ignores_the_query_string() -> None:
    signature = sign_v2("https://h.example/p?a=1", "1", "token")
    assert verify_v2("https://h.example/p?a=2", "1", signature, "token")


def test_a_changed_parameter_fails_v3() -> None:
    signature = sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "my_auth_token")
    tampered = {**STATUS_PARAMS, "Status": "undelivered"}
    assert not verify_v3("POST", STATUS_URL, tampered, STATUS_NONCE, signature, "my_auth_token")


def test_an_added_parameter_fails_v3() -> None:
    signature = sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "my_auth_token")
    extended = {**STATUS_PARAMS, "Extra": "1"}
    assert not verify_v3("POST", STATUS_URL, extended, STATUS_NONCE, signature, "my_auth_token")


def test_another_nonce_or_url_fails() -> None:
    signature = sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "my_auth_token")
    assert not verify_v3("POST", STATUS_URL, STATUS_PARAMS, "1" + STATUS_NONCE, signature, "my_auth_token")
    assert not verify_v3("POST", STATUS_URL + "x", STATUS_PARAMS, STATUS_NONCE, signature, "my_auth_token")
    assert not verify_v3("GET", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, signature, "my_auth_token")


def test_the_wrong_token_fails_and_any_of_several_tokens_may_match() -> None:
    signature = sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "current")
    assert not verify_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, signature, "other")
    assert verify_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, signature, ["old", "current"])


def test_an_empty_token_never_validates_anything() -> None:
    forged = sign_v2(STATUS_URL, STATUS_NONCE, "")
    assert not verify_v2(STATUS_URL, STATUS_NONCE, forged, "")
    assert not verify_v2(STATUS_URL, STATUS_NONCE, forged, [])


def test_a_comma_separated_header_is_valid_when_any_signature_matches() -> None:
    genuine = sign_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "token")
    header = f"bm90LXRoaXMtb25l, {genuine},YW5vdGhlcg=="
    assert verify_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, header, "token")
    assert verify_v2(STATUS_URL, STATUS_NONCE, "x," + sign_v2(STATUS_URL, STATUS_NONCE, "token"), "token")
    assert not verify_v3("POST", STATUS_URL, STATUS_PARAMS, STATUS_NONCE, "a,b,,", "token")


def test_methods_other_than_get_and_post_are_not_signed() -> None:
    with pytest.raises(ValueError, match="GET and POST"):
        sign_v3("PUT", STATUS_URL, {}, "1", "token")
    assert not verify_v3("PUT", STATUS_URL, {}, "1", "anything", "token")


def test_verify_request_accepts_v3_headers_in_any_case() -> None:
    headers = signature_headers("POST", STATUS_URL, STATUS_PARAMS, "token", versions=["v3"])
    lowered = {name.lower(): value for name, value in headers.items()}
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, lowered, "token")


def test_verify_request_falls_back_to_v2_when_only_v2_is_present() -> None:
    headers = signature_headers("POST", STATUS_URL, STATUS_PARAMS, "token", versions=["v2"])
    assert set(headers) == {V2_SIGNATURE, V2_MAIN_ACCOUNT_SIGNATURE, V2_NONCE}
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, headers, "token")


def test_verify_request_lets_v3_decide_when_both_are_present() -> None:
    headers = signature_headers("POST", STATUS_URL, STATUS_PARAMS, "token")
    tampered = {**STATUS_PARAMS, "Status": "failed"}
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, headers, "token")
    assert not verify_request("POST", STATUS_URL, tampered, headers, "token")  # V2 alone would pass


def test_verify_request_accepts_the_main_account_signature_with_the_main_token() -> None:
    headers = signature_headers("POST", STATUS_URL, STATUS_PARAMS, "sub-token", "main-token")
    only_main = {V3_MAIN_ACCOUNT_SIGNATURE: headers[V3_MAIN_ACCOUNT_SIGNATURE], V3_NONCE: headers[V3_NONCE]}
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, only_main, "main-token")
    assert not verify_request("POST", STATUS_URL, STATUS_PARAMS, only_main, "sub-token")
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, headers, "sub-token")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {V3_SIGNATURE: "abc"},
        {V2_SIGNATURE: "abc"},
        {V3_SIGNATURE: "ñ, \udcff", V3_NONCE: "1"},
        {V2_SIGNATURE: "", V2_NONCE: "1"},
    ],
)
def test_verify_request_says_no_to_missing_or_malformed_headers(headers: dict[str, str]) -> None:
    assert verify_request("POST", STATUS_URL, STATUS_PARAMS, headers, "token") is False


def test_verify_request_says_no_for_an_unsupported_method() -> None:
    headers = signature_headers("POST", STATUS_URL, STATUS_PARAMS, "token")
    assert verify_request("DELETE", STATUS_URL, STATUS_PARAMS, headers, "token") is False


# Properties: whatever the URL and parameters, a signature verifies and any single change breaks it.

safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
keys = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=10)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}(:[1-9][0-9]{1,4})?", fullmatch=True)
paths = st.lists(st.text(alphabet=string.ascii_letters + string.digits + "-_.~", max_size=8), max_size=3)


@st.composite
def signed_requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """A method, a URL (maybe with a query) and parameters whose keys do not clash with the query."""
    method = draw(st.sampled_from(["GET", "POST"]))
    query = draw(st.dictionaries(keys.map(lambda key: "q" + key), safe_text, max_size=3))
    url = f"{draw(st.sampled_from(['http', 'https']))}://{draw(hosts)}/{'/'.join(draw(paths))}"
    if query:
        url += "?" + urlencode(query)
    params = draw(st.dictionaries(keys.map(lambda key: "p" + key), safe_text, max_size=6))
    return method, url, params


@given(signed_requests(), st.text(min_size=1, max_size=40), st.from_regex(r"[0-9]{20}", fullmatch=True))
def test_any_signed_request_verifies(
    request: tuple[str, str, dict[str, str]], token: str, nonce: str
) -> None:
    method, url, params = request
    assert verify_v3(method, url, params, nonce, sign_v3(method, url, params, nonce, token), token)
    assert verify_v2(url, nonce, sign_v2(url, nonce, token), token)
    headers = signature_headers(method, url, params, token)
    assert verify_request(method, url, params, headers, [token])


@given(signed_requests(), st.data())
def test_any_single_character_change_to_a_parameter_breaks_v3(
    request: tuple[str, str, dict[str, str]], data: st.DataObject
) -> None:
    method, url, params = request
    params = {**params, "pValue": params.get("pValue") or "x"}
    signature = sign_v3(method, url, params, "12345", "token")
    key = data.draw(st.sampled_from(sorted(params)))
    value = params[key]
    index = data.draw(st.integers(min_value=0, max_value=len(value) - 1)) if value else 0
    current = value[index : index + 1]
    replacement = data.draw(st.characters(blacklist_categories=("Cs",)).filter(lambda char: char != current))
    changed = {**params, key: value[:index] + replacement + value[index + 1 :]}
    assert not verify_v3(method, url, changed, "12345", signature, "token")
