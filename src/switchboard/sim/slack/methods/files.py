"""The files upload v2 flow, as slack_sdk's ``files_upload_v2`` performs it.

1. ``files.getUploadURLExternal`` reserves a file id and answers an ``upload_url`` (here, back into
   the simulator; an unguessable ticket in the URL stands in for authentication, as on Slack);
2. the client POSTs the bytes to that URL (raw, or as multipart), and gets ``200 OK - <size>``;
3. ``files.completeUploadExternal`` titles the files and shares them in channels, as a message.
"""

import secrets
from typing import Any

from ..arguments import media_type_of, read_multipart
from ..errors import SlackError
from ..state import Channel, FileShare, JsonObject, Message, SlackSimState, UploadedFile, User
from .access import visible_channel
from .call import MethodCall


def get_upload_url(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Reserve a file and say where to upload its bytes."""
    arguments = call.arguments
    filename = arguments.required("filename", error="invalid_arguments")
    length = arguments.integer("length", default=0, error="invalid_arguments")
    if length <= 0:
        raise SlackError("missing_argument")
    file_id = workspace.new_id("F")
    ticket = secrets.token_urlsafe(24)
    workspace.files[file_id] = UploadedFile(
        id=file_id,
        team_id=workspace.team.id,
        user=call.caller.id,
        name=filename,
        title=filename,
        declared_length=length,
        upload_ticket=ticket,
        download_url=call.links.download_url(file_id),
        created=workspace.now(),
        alt_txt=arguments.text("alt_txt"),
        snippet_type=arguments.text("snippet_type"),
    )
    return {"upload_url": call.links.upload_url(ticket), "file_id": file_id}


def receive_upload(
    workspace: SlackSimState, ticket: str, content_type: str, body: bytes
) -> UploadedFile | None:
    """Store the bytes POSTed to an upload URL; ``None`` if no reserved file has that ticket."""
    uploaded = next((file for file in workspace.files.values() if file.upload_ticket == ticket), None)
    if uploaded is None:
        return None
    if media_type_of(content_type) == "multipart/form-data":
        parts = read_multipart(content_type, body)
        body = next(
            (part.content for part in parts if part.filename is not None), parts[0].content if parts else b""
        )
    uploaded.content = body
    return uploaded


def _requested_files(workspace: SlackSimState, value: Any) -> list[tuple[UploadedFile, str | None]]:
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        raise SlackError("invalid_arguments")
    requested: list[tuple[UploadedFile, str | None]] = []
    for item in value:
        uploaded = workspace.files.get(str(item.get("id", "")))
        if uploaded is None or uploaded.content is None:
            raise SlackError("file_not_found")
        title = item.get("title")
        requested.append((uploaded, str(title) if title else None))
    return requested


def _share_targets(workspace: SlackSimState, caller: User, channel_ids: list[str]) -> list[Channel]:
    targets: list[Channel] = []
    for channel_id in channel_ids:
        try:
            channel = visible_channel(workspace, caller, channel_id)
        except SlackError:
            raise SlackError("invalid_channel") from None
        if channel.is_archived or not channel.has_member(caller.id):
            raise SlackError("posting_to_channel_denied")
        targets.append(channel)
    return targets


def complete_upload(workspace: SlackSimState, call: MethodCall) -> JsonObject:
    """Finish uploads: set titles, and share the files in the given channels with an optional comment."""
    arguments = call.arguments
    requested = _requested_files(workspace, arguments.json("files", error="invalid_arguments"))
    channel_ids = arguments.id_list("channels") or arguments.id_list("channel_id")
    targets = _share_targets(workspace, call.caller, channel_ids)
    files = [uploaded for uploaded, _ in requested]
    for uploaded, title in requested:
        uploaded.title = title or uploaded.name
        uploaded.completed = True
    for channel in targets:
        message = Message(
            ts=workspace.next_ts(),
            channel_id=channel.id,
            team_id=workspace.team.id,
            user=call.caller.id,
            text=arguments.text("initial_comment") or "",
            thread_ts=arguments.text("thread_ts") or None,
            bot_id=call.caller.bot_id,
            app_id=call.caller.app_id,
            files=files,
        )
        channel.messages.append(message)
        for uploaded in files:
            uploaded.shares.append(FileShare(channel.id, channel.name, channel.is_private, message.ts))
    return {"files": [uploaded.to_api() for uploaded in files]}
