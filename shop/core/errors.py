"""Refusals a user can cause. Plain Python (rules raise them too); each interface turns one
into its own answer in one place: a 4xx JSON `detail` (shop/core/api_errors.py), a form or page
message, a one-line command error."""

from __future__ import annotations


class ShopError(Exception):
    """`code` names the kind of refusal; the message says what is wrong in plain words."""

    code = "invalid"


class NotFound(ShopError):
    code = "not_found"


class Conflict(ShopError):
    code = "conflict"


class Forbidden(ShopError):
    code = "forbidden"


class PaymentDeclined(ShopError):
    code = "payment_declined"


class PaymentUnavailable(ShopError):
    code = "payment_unavailable"


class PreconditionRequired(ShopError):
    code = "precondition_required"


class StaleEdit(ShopError):
    code = "precondition_failed"

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class TooManyAttempts(ShopError):
    code = "too_many"


class AccountLocked(ShopError):
    code = "locked"


class TooLarge(ShopError):
    code = "too_large"


class UnsupportedMedia(ShopError):
    code = "unsupported_media"
