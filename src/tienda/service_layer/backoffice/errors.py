"""What a backoffice use case refuses, by kind; the API maps each kind to one HTTP status."""

from __future__ import annotations


class BackofficeError(Exception):
    """Base of every refusal a member of staff can cause; the message is for them."""


class NotFound(BackofficeError):
    pass


class InvalidInput(BackofficeError):
    pass


class Conflict(BackofficeError):
    """The request is valid but the current state forbids it (e.g. stock below reserved)."""


class PreconditionRequired(BackofficeError):
    pass


class StaleEdit(BackofficeError):
    """Someone saved the thing since the editor loaded it; carries the current version."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class BadCredentials(BackofficeError):
    pass


class AccountLocked(BackofficeError):
    pass


class UnsupportedMedia(BackofficeError):
    pass


class TooLarge(BackofficeError):
    pass
