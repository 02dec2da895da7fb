"""The Account and Subaccount APIs (reference/plivo.md §1 and §6).

``GET /v1/Account/{auth_id}/`` is what a connector's "test this authentication" calls. Subaccounts have
their own credentials, start disabled unless ``enabled`` is true, and only main accounts manage them.
"""

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from switchboard.sim.plivo import params
from switchboard.sim.plivo.access import PlivoRoute, authenticator
from switchboard.sim.plivo.errors import PlivoApiError, new_api_id, not_found
from switchboard.sim.plivo.paging import Page
from switchboard.sim.plivo.params import body_params
from switchboard.sim.plivo.records import Account, now
from switchboard.sim.plivo.state import PlivoSimState

PREFIX = "/v1/Account/{auth_id}"


def account_routes(state: PlivoSimState) -> APIRouter:
    """Routes of ``/v1/Account/{auth_id}/`` and ``…/Subaccount/…``."""
    router = APIRouter(prefix=PREFIX, route_class=PlivoRoute)
    authenticate = authenticator(state)

    async def main_account(caller: Account = Depends(authenticate)) -> Account:
        if caller.parent_auth_id is not None:
            raise PlivoApiError(403, "subaccounts cannot manage subaccounts")
        return caller

    def child(caller: Account, subauth_id: str) -> Account:
        account = state.accounts.get(subauth_id)
        if account is None or account.parent_auth_id != caller.auth_id:
            raise not_found()
        return account

    @router.get("/")
    async def get_account(caller: Account = Depends(authenticate)) -> JSONResponse:
        return JSONResponse({"api_id": new_api_id(), **caller.account_body()})

    @router.post("/")
    async def update_account(request: Request, caller: Account = Depends(authenticate)) -> JSONResponse:
        body = await body_params(request)
        caller.name = params.text(body, "name", caller.name) or caller.name
        caller.modified = now().date()
        return JSONResponse({"api_id": new_api_id(), "message": "changed"}, status_code=202)

    @router.post("/Subaccount/")
    async def create_subaccount(request: Request, caller: Account = Depends(main_account)) -> JSONResponse:
        body = await body_params(request)
        account = state.add_subaccount(
            caller, params.required_text(body, "name"), params.flag(body, "enabled")
        )
        return JSONResponse(
            {
                "api_id": new_api_id(),
                "auth_id": account.auth_id,
                "auth_token": account.auth_token,
                "message": "created",
            },
            status_code=201,
        )

    @router.get("/Subaccount/")
    async def list_subaccounts(request: Request, caller: Account = Depends(main_account)) -> JSONResponse:
        query = dict(request.query_params)
        children = [
            account for account in state.accounts.values() if account.parent_auth_id == caller.auth_id
        ]
        objects = [account.subaccount_body() for account in children]
        return JSONResponse(Page.from_query(query).body(objects, request.url.path, query))

    @router.get("/Subaccount/{subauth_id}/")
    async def get_subaccount(subauth_id: str, caller: Account = Depends(main_account)) -> JSONResponse:
        return JSONResponse({"api_id": new_api_id(), **child(caller, subauth_id).subaccount_body()})

    @router.post("/Subaccount/{subauth_id}/")
    async def update_subaccount(
        request: Request, subauth_id: str, caller: Account = Depends(main_account)
    ) -> JSONResponse:
        account = child(caller, subauth_id)
        body = await body_params(request)
        account.name = params.text(body, "name", account.name) or account.name
        account.enabled = params.flag(body, "enabled", account.enabled)
        account.modified = now().date()
        return JSONResponse({"api_id": new_api_id(), "message": "changed"}, status_code=202)

    @router.delete("/Subaccount/{subauth_id}/")
    async def delete_subaccount(
        request: Request, subauth_id: str, caller: Account = Depends(main_account)
    ) -> Response:
        account = child(caller, subauth_id)
        cascade = params.flag(dict(request.query_params), "cascade")
        _release_resources(state, account, cascade)
        del state.accounts[account.auth_id]
        return Response(status_code=204)

    return router


def _release_resources(state: PlivoSimState, subaccount: Account, cascade: bool) -> None:
    """Delete a subaccount's numbers and applications, or hand them back to the main account."""
    for number in list(state.numbers.values()):
        if number.subaccount == subaccount.auth_id:
            if cascade:
                del state.numbers[number.number]
            else:
                number.subaccount = None
    for application in list(state.applications.values()):
        if application.subaccount == subaccount.auth_id:
            if cascade:
                del state.applications[application.app_id]
            else:
                application.subaccount = None
