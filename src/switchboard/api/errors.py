"""Every error as JSON `{"error": {"code", "message", "details"}}` with a fitting status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from switchboard.errors import SwitchboardError

STATUS_BY_CODE = {
    "workflow_invalid": 422,
    "input_invalid": 422,
    "validation_error": 422,
    "not_found": 404,
    "unauthenticated": 401,
    "permission_denied": 403,
    "conflict": 409,
    "payload_too_large": 413,
    "trigger_rejected": 403,
    "user_invalid": 422,
    "authentication_invalid": 422,
    "authentication_unusable": 422,
    "secrets_unreadable": 500,
    "secret_key_invalid": 500,
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SwitchboardError)
    async def switchboard_error(request: Request, error: SwitchboardError) -> JSONResponse:
        data = error.to_dict()
        status = getattr(error, "status", None) if error.code == "trigger_rejected" else None
        headers = {"WWW-Authenticate": "Bearer"} if error.code == "unauthenticated" else None
        return JSONResponse(
            error_body(error.code, error.message, data.get("details")),
            status_code=status or STATUS_BY_CODE.get(error.code, 400),
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": str(e["msg"])} for e in error.errors()
        ]
        return JSONResponse(
            error_body("validation_error", "the request is invalid", details), status_code=422
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            error.status_code, "http_error"
        )
        return JSONResponse(error_body(code, str(error.detail)), status_code=error.status_code)
