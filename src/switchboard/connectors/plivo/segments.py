"""How an SMS text is encoded and split into billed units, and whether Plivo will accept its length.

Plivo bills every unit ("segment") of a message, so a workflow builder wants to show the count before
sending, and the connector wants to refuse a text Plivo would reject with a clear, local error.

Rules (reference/plivo.md §5, deps.md §4):

* A text made only of GSM 03.38 characters is sent as GSM-7: 160 septets in a single unit, 153 per unit
  once it is split (the rest holds the concatenation header). Extension-table characters
  (``\\f ^ { } \\ [ ~ ] | €``) take two septets (an escape plus the character).
* Any other character makes the *whole* text UCS-2 (really UTF-16): 70 code units in a single unit,
  67 per unit once split; a character outside the BMP (most emoji) is a surrogate pair, two units.
* A split never cuts an escape pair or a surrogate pair: the character moves to the next unit.
* Plivo accepts at most 1600 characters for GSM-7 texts and 737 for UCS-2 texts.

National language shift tables (Turkish, Spanish, Portuguese, Indian) are not modelled.
"""

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 03.38 default alphabet, without the escape code itself (a user never types it)."""

GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
"""Characters reached through the escape code: two septets each."""

GSM7_SINGLE_UNIT = 160
GSM7_PER_UNIT = 153
UCS2_SINGLE_UNIT = 70
UCS2_PER_UNIT = 67

MAX_GSM7_CHARACTERS = 1600
MAX_UCS2_CHARACTERS = 737


class TextTooLong(ValueError):
    """The text is longer than Plivo accepts for its encoding (Plivo would answer 400)."""

    def __init__(self, encoding: Encoding, length: int, limit: int) -> None:
        self.encoding: Encoding = encoding
        self.length = length
        self.limit = limit
        kind = "unicode characters" if encoding == "UCS-2" else "characters"
        super().__init__(
            f"text is {length} {kind} long; Plivo accepts at most {limit} {kind} for {encoding} text"
        )


@dataclass(frozen=True)
class SmsSegments:
    """The encoding of a text and the units it is sent as.

    Lengths are counted in the encoding's own units: septets for GSM-7, UTF-16 code units for UCS-2.
    """

    encoding: Encoding
    parts: tuple[str, ...]
    """The text of each unit, in order; joined they give back the text."""
    length: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2) needed for the whole text."""
    characters: int
    """Characters as Plivo's length limit counts them (see ``plivo_length``)."""
    capacity: int
    """Room in each unit: 160 or 70 for a single unit, 153 or 67 per unit of a split message."""
    remaining: int
    """Septets or code units still free in the last unit before another unit is needed."""

    @property
    def units(self) -> int:
        """Number of units (segments) Plivo bills for this text."""
        return len(self.parts)


def is_gsm7(text: str) -> bool:
    """Tell whether the text can be sent with the GSM 03.38 alphabet (basic or extension table)."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def encoding_of(text: str) -> Encoding:
    """Return the encoding the whole text is sent in: one non-GSM character makes it UCS-2."""
    return "GSM-7" if is_gsm7(text) else "UCS-2"


def cost_of(char: str, encoding: Encoding) -> int:
    """Return how many septets (GSM-7) or UTF-16 code units (UCS-2) one character takes."""
    if encoding == "GSM-7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def plivo_length(text: str) -> int:
    """Return the length Plivo's 1600/737 limit applies to.

    Plivo documents the limits in "characters": a GSM-7 character is one character even when it takes
    an escape septet, and a UCS-2 character is one 16-bit unit, so an emoji (a surrogate pair) counts
    twice; 737 is then exactly eleven 67-unit parts. How the live API counts is not verified
    (plivo-python issue #298 reports a 400-character Cyrillic text being refused).
    """
    if is_gsm7(text):
        return len(text)
    return sum(cost_of(char, "UCS-2") for char in text)


def count_segments(text: str) -> SmsSegments:
    """Split a text into the units Plivo sends and bills, never cutting an escape or surrogate pair."""
    encoding = encoding_of(text)
    single, per_unit = (
        (GSM7_SINGLE_UNIT, GSM7_PER_UNIT) if encoding == "GSM-7" else (UCS2_SINGLE_UNIT, UCS2_PER_UNIT)
    )
    costs = [cost_of(char, encoding) for char in text]
    length = sum(costs)
    if length <= single:
        return SmsSegments(encoding, (text,), length, plivo_length(text), single, single - length)
    parts: list[str] = []
    start = used = 0
    for index, cost in enumerate(costs):
        if used + cost > per_unit:
            parts.append(text[start:index])
            start, used = index, 0
        used += cost
    parts.append(text[start:])
    return SmsSegments(encoding, tuple(parts), length, plivo_length(text), per_unit, per_unit - used)


def check_text_length(text: str) -> SmsSegments:
    """Count the units of a text about to be sent, refusing a text Plivo would reject as too long.

    Raises TextTooLong when a GSM-7 text exceeds 1600 characters or a UCS-2 text 737.
    """
    segments = count_segments(text)
    limit = MAX_GSM7_CHARACTERS if segments.encoding == "GSM-7" else MAX_UCS2_CHARACTERS
    if segments.characters > limit:
        raise TextTooLong(segments.encoding, segments.characters, limit)
    return segments
