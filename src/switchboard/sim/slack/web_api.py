"""``/api/<method>``: the simulated Slack Web API, answering as ``https://slack.com/api/`` does.

Every call goes through the same steps Slack applies: read the arguments (query, JSON or form),
authenticate the token (``not_authed``, ``invalid_auth``), apply the method's rate limit (HTTP 429
with ``Retry-After`` and ``ratelimited``), then run the method. Errors are HTTP 200 with
``{"ok": false, "error": ...}``. Every call is recorded in the workspace's call log.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .arguments import Arguments, read_call
from .errors import SlackError
from .file_hosting import RequestLinks
from .methods import WEB_API_METHODS, MethodCall
from .state import JsonObject, SlackSimState, User


def _caller(workspace: SlackSimState, token: str | None) -> User:
    if not token:
        raise SlackError("not_authed")
    caller = workspace.user_for_token(token)
    if caller is None:
        raise SlackError("invalid_auth")
    return caller


def _channel_key(workspace: SlackSimState, arguments: Arguments) -> str | None:
    """The channel a per-channel limit counts against: its id however the call named it."""
    reference = arguments.text("channel")
    channel = workspace.find_channel(reference) if reference else None
    return channel.id if channel is not None else reference


async def answer_call(workspace: SlackSimState, method_name: str, request: Request) -> JSONResponse:
    """Answer one Web API request as Slack would, and log it."""
    status_code, headers, logged = 200, {}, {}
    try:
        method = WEB_API_METHODS.get(method_name)
        if method is None:
            raise SlackError("unknown_method", req_method=method_name)
        token, arguments = await read_call(request)
        logged = arguments.as_logged()
        caller = _caller(workspace, token)
        retry_after = workspace.rate_limiter.retry_after(
            method_name, str(token), _channel_key(workspace, arguments)
        )
        if retry_after is not None:
            status_code, headers = 429, {"Retry-After": str(retry_after)}
            raise SlackError("ratelimited")
        body: JsonObject = {
            "ok": True,
            **method(workspace, MethodCall(arguments, caller, RequestLinks(request))),
        }
    except SlackError as refusal:
        body = refusal.to_api()
    workspace.record_call(method_name, status_code, body, logged)
    return JSONResponse(body, status_code=status_code, headers=headers)


def web_api_router(workspace: SlackSimState) -> APIRouter:
    """The ``/api/<method>`` route, bound to one workspace."""
    router = APIRouter(tags=["Slack Web API (simulated)"])

    async def call_method(method_name: str, request: Request) -> JSONResponse:
        """Call a Slack Web API method, e.g. ``POST /api/chat.postMessage``."""
        return await answer_call(workspace, method_name, request)

    for http_method in ("POST", "GET"):
        router.add_api_route(
            "/api/{method_name}",
            call_method,
            methods=[http_method],
            response_model=None,
            operation_id=f"slack_web_api_{http_method.lower()}",
        )
    return router
