"""The errors of authentication and access control, each with a stable `code` for the API and CLI."""

from __future__ import annotations

from typing import Any

from switchboard.errors import Problem, SwitchboardError


class Unauthenticated(SwitchboardError):
    """No valid API token: missing, unknown or revoked (HTTP 401)."""

    code = "unauthenticated"


class PermissionDenied(SwitchboardError):
    """The user is known but their role or ownership does not allow this (HTTP 403)."""

    code = "permission_denied"


class Conflict(SwitchboardError):
    """The name is already taken where it must be unique (HTTP 409)."""

    code = "conflict"


class UserInvalid(SwitchboardError):
    """A user name or role that cannot be accepted (HTTP 422)."""

    code = "user_invalid"


class AuthenticationInvalid(SwitchboardError):
    """Authentication fields that do not fit the connector's model; lists every problem with its path."""

    code = "authentication_invalid"

    def __init__(self, problems: list[Problem], *, subject: str = "the authentication") -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{subject} is invalid:\n{lines}" if len(problems) > 1 else f"{problems[0]}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.code,
            "message": self.message,
            "details": [{"path": p.path, "message": p.message} for p in self.problems],
        }


class SecretKeyInvalid(SwitchboardError):
    """`SWITCHBOARD_SECRET_KEY` or the key file holds something that is not a Fernet key."""

    code = "secret_key_invalid"


class SecretsUnreadable(SwitchboardError):
    """Stored secrets that none of the configured keys can decrypt: the key was changed or lost."""

    code = "secrets_unreadable"
