"""Applications: where Plivo sends the calls and messages of the numbers attached to them.

``connect_number_to_trigger`` is the shortcut a workflow started by ``plivo.incoming_message`` needs: it
points an application's ``message_url`` at the workflow's trigger URL and attaches the number to it, as
Pipedream's Plivo source does.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from switchboard.connectors.base import Context, Input, Output

from .acknowledgements import Changed
from .auth import PlivoAuth
from .client import PlivoApi, path_segment, plivo_api
from .connector import connector
from .numbers_api import PlivoNumber
from .paging import Paging, collect
from .sending import CallbackUrl

HttpMethod = Literal["GET", "POST"]
METHOD = "How Plivo calls the URL above (default POST)."
AppName = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=100, description="Letters, digits, '-' and '_'.")
]


class ApplicationSettings(Input):
    """What an application does with calls and messages; fields left out keep Plivo's defaults."""

    answer_url: CallbackUrl | None = Field(default=None, description="The XML that answers incoming calls.")
    answer_method: HttpMethod | None = Field(default=None, description=METHOD)
    hangup_url: CallbackUrl | None = Field(default=None, description="Notified when a call ends.")
    hangup_method: HttpMethod | None = Field(default=None, description=METHOD)
    fallback_answer_url: CallbackUrl | None = Field(default=None, description="Used when answer_url fails.")
    fallback_method: HttpMethod | None = Field(default=None, description=METHOD)
    message_url: CallbackUrl | None = Field(
        default=None,
        description="Where incoming messages are posted, e.g. a plivo.incoming_message trigger_url.",
    )
    message_method: HttpMethod | None = Field(default=None, description=METHOD)
    default_number_app: bool | None = Field(default=None, description="Attach new numbers to it by default.")
    default_endpoint_app: bool | None = Field(
        default=None, description="Attach new endpoints to it by default."
    )
    subaccount: str | None = Field(default=None, description="The subaccount (Auth ID) it belongs to.")
    log_incoming_messages: bool | None = Field(
        default=None, description="Keep the text of incoming messages."
    )
    public_uri: bool | None = Field(default=None, description="Let anyone call its SIP URI.")

    def to_api(self) -> dict[str, Any]:
        return self.model_dump(exclude={"app_id"}, exclude_none=True)


class CreateApplication(ApplicationSettings):
    """A new application."""

    app_name: AppName


class ApplicationCreated(Output):
    """The new application's id."""

    api_id: str | None = None
    app_id: str
    message: str = ""


@connector.operation("create_application", title="Create an application", repeat_safe=False)
async def create_application(data: CreateApplication, ctx: Context[PlivoAuth]) -> ApplicationCreated:
    """Create an application; attach numbers to it with update_number (app_id)."""
    return ApplicationCreated.model_validate(await plivo_api(ctx).post("Application/", data.to_api()))


class Application(Output):
    """An application and its URLs."""

    app_id: str
    app_name: str | None = None
    answer_url: str | None = None
    answer_method: str | None = None
    hangup_url: str | None = None
    hangup_method: str | None = None
    fallback_answer_url: str | None = None
    fallback_method: str | None = None
    message_url: str | None = None
    message_method: str | None = None
    default_app: bool | None = None
    default_endpoint_app: bool | None = None
    log_incoming_messages: bool | None = None
    public_uri: bool | None = None
    sub_account: str | None = None
    sip_uri: str | None = None
    resource_uri: str | None = None


class ApplicationId(Input):
    """Which application."""

    app_id: str = Field(min_length=1, description="The application's id (from create or list).")


@connector.operation("get_application", title="Get an application", repeat_safe=True)
async def get_application(data: ApplicationId, ctx: Context[PlivoAuth]) -> Application:
    """Read an application's URLs and settings."""
    return Application.model_validate(await plivo_api(ctx).get(f"Application/{path_segment(data.app_id)}/"))


class ListApplications(Paging):
    """Plivo's filters for applications."""

    app_name: str | None = Field(default=None, description="Only the application with this name.")
    subaccount: str | None = Field(default=None, description="Only this subaccount's applications.")


class ApplicationList(Output):
    """Applications of the account."""

    applications: list[Application]
    count: int
    total_count: int | None = None
    has_more: bool


@connector.operation("list_applications", title="List applications", repeat_safe=True)
async def list_applications(data: ListApplications, ctx: Context[PlivoAuth]) -> ApplicationList:
    """List the account's applications."""
    found = await collect(plivo_api(ctx), "Application/", data)
    applications = [Application.model_validate(record) for record in found.objects]
    return ApplicationList(
        applications=applications,
        count=len(applications),
        total_count=found.total_count,
        has_more=found.has_more,
    )


class UpdateApplication(ApplicationSettings):
    """What to change about an application; fields left out stay as they are."""

    app_id: str = Field(min_length=1, description="The application's id.")
    app_name: AppName | None = Field(default=None, description="A new name.")


@connector.operation("update_application", title="Update an application", repeat_safe=False)
async def update_application(data: UpdateApplication, ctx: Context[PlivoAuth]) -> Changed:
    """Change an application's URLs or settings."""
    answer = await plivo_api(ctx).post(f"Application/{path_segment(data.app_id)}/", data.to_api())
    return Changed.model_validate(answer)


class DeleteApplication(ApplicationId):
    """Which application to delete, and what becomes of what uses it."""

    cascade: bool | None = Field(default=None, description="Also delete the endpoints attached to it.")
    new_endpoint_application: str | None = Field(
        default=None, description="Move its endpoints to this application instead."
    )


class ApplicationDeleted(Output):
    """The application that was deleted."""

    app_id: str
    deleted: bool = True


@connector.operation("delete_application", title="Delete an application", repeat_safe=False)
async def delete_application(data: DeleteApplication, ctx: Context[PlivoAuth]) -> ApplicationDeleted:
    """Delete an application; its numbers keep working but no longer forward calls or messages."""
    params = data.model_dump(exclude={"app_id"}, exclude_none=True)
    await plivo_api(ctx).delete(f"Application/{path_segment(data.app_id)}/", params or None)
    return ApplicationDeleted(app_id=data.app_id)


class ConnectNumber(Input):
    """Which number should start which workflow."""

    number: PlivoNumber
    trigger_url: CallbackUrl = Field(
        description="The trigger_url of a workflow started by plivo.incoming_message (shown on the workflow "
        "resource, GET /api/v1/workflows/{id}); the server passes it when it wires a workflow up."
    )
    app_name: AppName = Field(
        default="switchboard", description="The application to create, or to update when it exists."
    )
    message_method: HttpMethod = Field(default="POST", description="How Plivo calls trigger_url.")


class NumberConnected(Output):
    """The application now forwarding the number's messages to the workflow."""

    number: str
    app_id: str
    app_name: str
    message_url: str
    created: bool = Field(description="True when the application was created, false when it was updated.")


@connector.operation("connect_number_to_trigger", title="Connect a number to a trigger", repeat_safe=True)
async def connect_number_to_trigger(data: ConnectNumber, ctx: Context[PlivoAuth]) -> NumberConnected:
    """Make incoming messages to a number start a workflow: find or create the application named
    app_name, point its message_url at trigger_url, and attach the number to it.

    Safe to repeat: a second run finds the application the first one created, so it never makes two.
    """
    api = plivo_api(ctx)
    settings = {"message_url": data.trigger_url, "message_method": data.message_method}
    app_id = await _application_named(api, data.app_name)
    created = app_id is None
    if app_id is None:
        answer = await api.post("Application/", {"app_name": data.app_name, **settings}, repeat_safe=True)
        app_id = str(answer["app_id"])
    else:
        await api.post(f"Application/{path_segment(app_id)}/", settings, repeat_safe=True)
    await api.post(f"Number/{path_segment(data.number)}/", {"app_id": app_id}, repeat_safe=True)
    return NumberConnected(
        number=data.number,
        app_id=app_id,
        app_name=data.app_name,
        message_url=data.trigger_url,
        created=created,
    )


async def _application_named(api: PlivoApi, name: str) -> str | None:
    """The id of the account's application called ``name``, looking through every page."""
    found = await collect(api, "Application/", ListApplications(app_name=name, max_results=1000))
    for record in found.objects:
        if record.get("app_name") == name:
            return str(record["app_id"])
    return None
