"""The simulator's stand-in for ``files.slack.com``: upload URLs, and reading files back.

URLs are built from the incoming request (``url_for``), so they point at the simulator however it is
served: on its own port, or mounted beside the Plivo simulator in ``switchboard sim``.
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from .methods import receive_upload
from .state import SlackSimState

UPLOAD_ROUTE = "slack_sim_upload_file"
DOWNLOAD_ROUTE = "slack_sim_download_file"


@dataclass(frozen=True)
class RequestLinks:
    """URLs back into the simulator, relative to the request being answered."""

    request: Request

    def upload_url(self, ticket: str) -> str:
        """Where the bytes of a reserved file are POSTed."""
        return str(self.request.url_for(UPLOAD_ROUTE, ticket=ticket))

    def download_url(self, file_id: str) -> str:
        """Where a file's content is read back."""
        return str(self.request.url_for(DOWNLOAD_ROUTE, file_id=file_id))


def file_hosting_router(workspace: SlackSimState) -> APIRouter:
    """Routes that receive uploaded bytes and serve them back."""
    router = APIRouter(tags=["Slack simulator: files"])

    @router.post("/sim/slack/upload/v1/{ticket}", name=UPLOAD_ROUTE, response_class=PlainTextResponse)
    async def upload_file(ticket: str, request: Request) -> PlainTextResponse:
        """Receive a file's bytes, answering ``OK - <size>`` in plain text as Slack's upload host does."""
        body = await request.body()
        uploaded = receive_upload(workspace, ticket, request.headers.get("content-type", ""), body)
        if uploaded is None or uploaded.content is None:
            return PlainTextResponse("upload ticket not found or expired", status_code=404)
        return PlainTextResponse(f"OK - {len(uploaded.content)}")

    @router.get("/sim/slack/files/{file_id}/content", name=DOWNLOAD_ROUTE)
    async def download_file(file_id: str) -> Response:
        """A file's bytes, with its media type: the target of ``url_private``."""
        uploaded = workspace.files.get(file_id)
        if uploaded is None or uploaded.content is None:
            return PlainTextResponse(f"no uploaded file {file_id}", status_code=404)
        return Response(uploaded.content, media_type=uploaded.mimetype)

    return router
