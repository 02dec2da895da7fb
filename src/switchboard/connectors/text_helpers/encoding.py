"""Base64 and URL encodings of UTF-8 text, with errors that say what is wrong with the input."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from switchboard.errors import OperationFailed


def base64_encode(text: str, *, url_safe: bool = False) -> str:
    """The base64 of the text's UTF-8 bytes, padded with `=`."""
    data = text.encode("utf-8")
    return (base64.urlsafe_b64encode(data) if url_safe else base64.b64encode(data)).decode("ascii")


def base64_decode(text: str, *, url_safe: bool = False, where: str = "input.text") -> str:
    """The UTF-8 text that `text` encodes; line breaks are ignored and missing padding is added."""
    compact = "".join(text.split())
    if not url_safe and ("-" in compact or "_" in compact):
        raise OperationFailed(
            f"{where}: is URL-safe base64 (it has '-' or '_'); set url_safe: true to decode it"
        )
    padded = compact + "=" * (-len(compact) % 4)
    try:
        data = base64.b64decode(padded, altchars=b"-_" if url_safe else None, validate=True)
    except binascii.Error as exc:
        raise OperationFailed(f"{where}: {_preview(text)} is not valid base64 ({exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OperationFailed(
            f"{where}: decodes to bytes that are not UTF-8 text "
            f"(byte 0x{data[exc.start]:02x} at position {exc.start}); it is probably a binary file"
        ) from None


def url_encode(text: str, *, plus_for_spaces: bool = False, safe: str = "") -> str:
    """Percent-encode the text's UTF-8 bytes, except letters, digits, `-._~` and `safe`."""
    return quote_plus(text, safe=safe) if plus_for_spaces else quote(text, safe=safe)


def url_decode(text: str, *, plus_as_space: bool = False, where: str = "input.text") -> str:
    """Undo percent-encoding; `%` sequences that are not UTF-8 text are an error."""
    try:
        if plus_as_space:
            return unquote_plus(text, errors="strict")
        return unquote(text, errors="strict")
    except UnicodeDecodeError as exc:
        raise OperationFailed(
            f"{where}: its percent-encoded bytes are not UTF-8 text ({exc.reason} in {_preview(text)})"
        ) from None


def _preview(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
