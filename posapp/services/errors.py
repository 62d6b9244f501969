"""Errors a user can act on. Their text is already translated and in plain words."""

from __future__ import annotations


class PosError(Exception):
    """Something the user did or asked for cannot be done; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(PosError):
    pass


class InvalidInput(PosError):
    pass


class Conflict(PosError):
    """The database changed under the action (item sold elsewhere, coupon used meanwhile)."""


class PermissionRefused(PosError):
    """The signed-in user's role does not allow this action."""
