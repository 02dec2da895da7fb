"""Uploading a file with Slack's current three-step upload (``files_upload_v2``).

The content comes from the workflow as text (a CSV report, a log) or as base64 (an image, a PDF
fetched by an earlier step), since a step's input is JSON.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Self

from pydantic import Field, field_validator, model_validator

from switchboard.connectors.base import Context, Input, Output

from .answers import answer_as
from .auth import SlackAuth
from .channels import channel_id
from .client import SlackClient, settle
from .connector import connector


class UploadFile(Input):
    """A file's content (text or base64), its name, and where to share it."""

    content: str | None = Field(default=None, description="The file's content as text.")
    content_base64: str | None = Field(default=None, description="The file's bytes, base64-encoded.")
    filename: str = Field(min_length=1, description="e.g. report.csv; Slack guesses the type from it.")
    title: str | None = None
    channel: str | None = Field(default=None, description="Channel ID or #name to share it in; else private.")
    initial_comment: str | None = Field(default=None, description="A message posted with the file.")
    thread_ts: str | None = Field(default=None, description="Share it as a reply in this thread.")

    @field_validator("content_base64")
    @classmethod
    def _is_base64(cls, value: str | None) -> str | None:
        # A field validator, not a model one: the workflow checker skips fields whose value is a
        # jsonpath, and checks them at run time once resolved.
        if value is not None:
            try:
                base64.b64decode(value, validate=True)
            except binascii.Error:
                raise ValueError("not valid base64") from None
        return value

    @model_validator(mode="after")
    def _has_one_content(self) -> Self:
        if (self.content is None) == (self.content_base64 is None):
            raise ValueError("give exactly one of content and content_base64")
        return self

    def file_bytes(self) -> bytes:
        """The bytes to upload."""
        if self.content is not None:
            return self.content.encode()
        return base64.b64decode(self.content_base64 or "", validate=True)


class FileUploaded(Output):
    """Slack's file object (id, name, title, mimetype, size, permalink, shares...)."""

    ok: bool = True
    file: dict[str, Any]
    files: list[dict[str, Any]] = Field(default_factory=list)


@connector.operation("upload_file", title="Upload file", repeat_safe=False)
async def upload_file(data: UploadFile, ctx: Context[SlackAuth]) -> FileUploaded:
    """Upload a file and optionally share it in a channel with a comment."""
    channel = await channel_id(ctx, data.channel) if data.channel else None
    web = ctx.client(SlackClient).api()
    pending = web.files_upload_v2(
        content=data.file_bytes(),
        filename=data.filename,
        title=data.title,
        channel=channel,
        initial_comment=data.initial_comment,
        thread_ts=data.thread_ts,
    )
    answer = await settle(ctx, "files_upload_v2", pending, repeat_safe=False)
    return answer_as(FileUploaded, answer, "files.completeUploadExternal")
