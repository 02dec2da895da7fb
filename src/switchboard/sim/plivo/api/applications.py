"""The Application API: create (201), get, list, modify (202), delete (204); reference/plivo.md §6.

An application's ``message_url`` is where inbound messages to its numbers are posted.
"""

import re

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import params
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import bad_request, new_api_id, not_found
from switchboard.sim.plivo.identifiers import new_app_id
from switchboard.sim.plivo.paging import Page
from switchboard.sim.plivo.params import body_params
from switchboard.sim.plivo.records import Account, Application
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"
APP_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
URL_FIELDS = ("answer_url", "hangup_url", "fallback_answer_url", "message_url")
METHOD_FIELDS = ("answer_method", "hangup_method", "fallback_method", "message_method")
FLAG_FIELDS = ("default_number_app", "default_endpoint_app", "public_uri", "log_incoming_messages")


def application_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``…/Application/…``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)

    def visible(caller: Account, app_id: str) -> Application:
        application = state.applications.get(app_id)
        if application is None or not state.can_see(
            caller, application.owner_auth_id, application.subaccount
        ):
            raise not_found()
        return application

    @router.post("/Application/")
    async def create_application(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        body = await body_params(request)
        application = Application(
            app_id=new_app_id(),
            owner_auth_id=caller.main_auth_id,
            app_name=_app_name(body),
            subaccount=caller.auth_id if caller.parent_auth_id else params.text(body, "subaccount"),
        )
        _apply(application, body)
        state.applications[application.app_id] = application
        return JSONResponse(
            {"api_id": new_api_id(), "app_id": application.app_id, "message": "created"}, status_code=201
        )

    @router.get("/Application/")
    async def list_applications(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        query = dict(request.query_params)
        objects = [
            application.body()
            for application in state.applications.values()
            if state.can_see(caller, application.owner_auth_id, application.subaccount)
        ]
        return JSONResponse(Page.from_query(query).body(objects, request.url.path, query))

    @router.get("/Application/{app_id}/")
    async def get_application(app_id: str, caller: Account = Depends(authenticate)) -> JSONResponse:
        return JSONResponse({"api_id": new_api_id(), **visible(caller, app_id).body()})

    @router.post("/Application/{app_id}/")
    async def modify_application(
        request: Request, app_id: str, caller: Account = Depends(authenticate)
    ) -> JSONResponse:
        application = visible(caller, app_id)
        _apply(application, await body_params(request))
        return JSONResponse({"api_id": new_api_id(), "message": "changed"}, status_code=202)

    @router.delete("/Application/{app_id}/")
    async def delete_application(app_id: str, caller: Account = Depends(authenticate)) -> Response:
        application = visible(caller, app_id)
        for number in state.numbers.values():
            if number.app_id == application.app_id:
                number.app_id = None
        del state.applications[application.app_id]
        return Response(status_code=204)

    return router


def _app_name(body: params.Params) -> str:
    name = params.required_text(body, "app_name")
    if not APP_NAME.match(name):
        raise bad_request("app_name may contain only letters, digits, '-' and '_'")
    return name


def _apply(application: Application, body: params.Params) -> None:
    """Copy the fields present in a create or modify request onto the application."""
    if "app_name" in body:
        application.app_name = _app_name(body)
    for name in URL_FIELDS:
        if name in body:
            setattr(application, name, params.url(body, name))
    for name in METHOD_FIELDS:
        if name in body:
            setattr(application, name, params.http_method(body, name))
    for name in FLAG_FIELDS:
        if name in body:
            setattr(application, name, params.flag(body, name))
