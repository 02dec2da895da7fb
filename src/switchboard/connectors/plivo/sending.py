"""What a send request says: the input of ``send_sms`` and ``send_mms`` and Plivo's answer to it.

Everything Plivo would refuse is checked here, before any request (see ``addresses`` for the rule on
numbers): a step fails with ``input.<field>: ...`` naming the bad value, and the workflow checker reports
the same problems for literal values before the workflow ever runs.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from switchboard.connectors.base import Input, Output

from . import addresses
from .limiter import MessageKind
from .segments import check_text_length

MAX_MEDIA = 10
"""Plivo attaches at most 10 media to one MMS."""


def _fits_plivo(text: str) -> str:
    check_text_length(text)
    return text


def _log_value(value: Any) -> Any:
    return str(value).lower() if isinstance(value, bool) else value


Destinations = Annotated[
    list[str],
    BeforeValidator(addresses.as_list),
    AfterValidator(addresses.destinations),
    addresses.ONE_OR_MANY,
]
"""One or many numbers, as a list or joined with ``<``; checked by ``addresses.destinations``."""

Sender = Annotated[str, AfterValidator(addresses.sender)]
SmsText = Annotated[str, Field(min_length=1), AfterValidator(_fits_plivo)]
CallbackUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]
LogPolicy = Annotated[Literal["true", "false", "number_only", "content_only"], BeforeValidator(_log_value)]


class SendFields(Input):
    """What every send takes, SMS or MMS."""

    src: Sender | None = Field(
        default=None,
        description="The sender: one of your Plivo numbers in E.164 (+14155550100), a short code, or an "
        "alphanumeric sender ID where the country allows it. Give src or powerpack_uuid, not both.",
    )
    powerpack_uuid: str | None = Field(
        default=None, description="Send from a Powerpack (number pool) instead of a single src number."
    )
    dst: Destinations = Field(
        description="The destination number in E.164 (+14155550101), or several as a list or joined with '<' "
        "(+14155550101<+14155550102). With several, numbers Plivo finds invalid are listed in "
        "invalid_number and the others are still sent."
    )
    url: CallbackUrl | None = Field(
        default=None,
        description="Where Plivo reports each status change (queued, sent, delivered...): e.g. the "
        "trigger_url of a workflow started by plivo.message_status.",
    )
    method: Literal["GET", "POST"] = Field(default="POST", description="How Plivo calls url.")
    log: LogPolicy | None = Field(
        default=None,
        description="What Plivo keeps in its logs: true (number and content), false (neither), number_only, "
        "content_only. Plivo's default is true.",
    )
    trackable: bool | None = Field(default=None, description="Let Plivo track conversions for this message.")
    message_expiry: int | None = Field(
        default=None,
        ge=5,
        le=10_800,
        description="Seconds the message may wait in Plivo's queue before failing (error 420); default 3 h.",
    )
    dlt_entity_id: str | None = Field(default=None, description="India DLT: your registered entity id.")
    dlt_template_id: str | None = Field(default=None, description="India DLT: the registered template id.")
    dlt_template_category: str | None = Field(
        default=None, description="India DLT: the template category (transactional, promotional...)."
    )

    @model_validator(mode="after")
    def _one_sender(self) -> SendFields:
        if self.src and self.powerpack_uuid:
            raise ValueError("give src or powerpack_uuid, not both")
        if not self.src and not self.powerpack_uuid:
            raise ValueError("src or powerpack_uuid is required: who sends the message?")
        if self.src is not None and self.dst == [self.src]:
            raise ValueError(
                f"dst is the same number as src ({self.src}): Plivo refuses to send to the sender"
            )
        return self

    @property
    def kind(self) -> MessageKind:
        """Whether Plivo paces and bills this as an SMS or an MMS."""
        return "sms"

    def to_api(self) -> dict[str, Any]:
        """The body of ``POST Message/``, leaving out what was not given so Plivo's defaults apply."""
        body: dict[str, Any] = {
            "src": self.src,
            "powerpack_uuid": self.powerpack_uuid,
            "dst": addresses.joined(self.dst),
            "type": self.kind,
            "url": self.url,
            "method": self.method if self.url else None,
            "log": self.log,
            "trackable": self.trackable,
            "message_expiry": self.message_expiry,
            "dlt_entity_id": self.dlt_entity_id,
            "dlt_template_id": self.dlt_template_id,
            "dlt_template_category": self.dlt_template_category,
        }
        return {name: value for name, value in body.items() if value is not None}


class SendSms(SendFields):
    """An SMS to one or many numbers."""

    text: SmsText = Field(
        description="The message. GSM-7 text may be 1600 characters long, text with any other character 737; "
        "over 160 (or 70) characters it is sent and billed as several units."
    )

    @model_validator(mode="before")
    @classmethod
    def _no_media(cls, given: Any) -> Any:
        if isinstance(given, dict):
            for name in ("media_urls", "media_ids"):
                if name in given:
                    raise ValueError(f"{name}: an SMS carries no media; send it with send_mms")
        return given

    def to_api(self) -> dict[str, Any]:
        return {**super().to_api(), "text": self.text}


class SendMms(SendFields):
    """An MMS: pictures, video or other files, with an optional text."""

    text: str = Field(default="", description="The text sent with the media (optional).")
    media_urls: list[CallbackUrl] = Field(
        default_factory=list,
        max_length=MAX_MEDIA,
        description="Public URLs of the files to attach (at most 10, 5 MB in all).",
    )
    media_ids: list[str] = Field(
        default_factory=list,
        max_length=MAX_MEDIA,
        description="Ids of files uploaded to Plivo's Media API, instead of or besides media_urls.",
    )

    @model_validator(mode="after")
    def _some_media(self) -> SendMms:
        attached = len(self.media_urls) + len(self.media_ids)
        if attached == 0:
            raise ValueError("media_urls or media_ids is required: an MMS carries at least one file")
        if attached > MAX_MEDIA:
            raise ValueError(f"at most {MAX_MEDIA} media in all (media_urls and media_ids), not {attached}")
        return self

    @property
    def kind(self) -> MessageKind:
        return "mms"

    def to_api(self) -> dict[str, Any]:
        body = super().to_api()
        if self.text:
            body["text"] = self.text
        if self.media_urls:
            body["media_urls"] = self.media_urls
        if self.media_ids:
            body["media_ids"] = self.media_ids
        return body


class MessageQueued(Output):
    """Plivo's answer to a send: one message uuid per destination it accepted."""

    api_id: str | None = Field(default=None, description="Plivo's id for this request (quote it to support).")
    message: str = Field(default="", description="Plivo's summary, e.g. 'message(s) queued'.")
    message_uuid: list[str] = Field(
        default_factory=list,
        description="One uuid per accepted destination, in order; [0] for a single send.",
    )
    invalid_number: list[str] = Field(
        default_factory=list,
        description="Destinations Plivo refused as invalid (without '+'); the others were sent.",
    )
    reconciled: bool = Field(
        default=False,
        description="True when this output was found in Plivo's message list after the step was "
        "interrupted, rather than received as the answer to the send.",
    )
