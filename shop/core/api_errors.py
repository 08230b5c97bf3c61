"""One exception handler for both DRF APIs: every error is `{"detail": "..."}`; validation
errors add `errors: [{"loc": [...], "msg": "..."}]`; a stale edit adds `current_version`."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shop.core import errors

STATUS_BY_CODE = {
    "invalid": status.HTTP_422_UNPROCESSABLE_ENTITY,
    "not_found": status.HTTP_404_NOT_FOUND,
    "conflict": status.HTTP_409_CONFLICT,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "payment_declined": status.HTTP_402_PAYMENT_REQUIRED,
    "payment_unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
    "precondition_required": status.HTTP_428_PRECONDITION_REQUIRED,
    "precondition_failed": status.HTTP_412_PRECONDITION_FAILED,
    "too_many": status.HTTP_429_TOO_MANY_REQUESTS,
    "locked": status.HTTP_423_LOCKED,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "unsupported_media": status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
}


def _flatten(detail: Any, loc: list[str | int]) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        return [item for key, value in detail.items() for item in _flatten(value, [*loc, key])]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"loc": loc, "msg": str(item)} for item in detail]
        return [item for index, value in enumerate(detail)
                for item in _flatten(value, [*loc, index])]
    return [{"loc": loc, "msg": str(detail)}]


def _summary(problems: list[dict[str, Any]]) -> str:
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"][1:])
    return f"{where}: {first['msg']}" if where else first["msg"]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, errors.ShopError):
        body: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, errors.StaleEdit):
            body["current_version"] = exc.current_version
        return Response(body, status=STATUS_BY_CODE[exc.code])
    if isinstance(exc, exceptions.ValidationError):
        problems = _flatten(exc.detail, ["body"]) or [{"loc": ["body"], "msg": "invalid input"}]
        return Response({"detail": _summary(problems), "errors": problems},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, exceptions.ParseError):
        return Response({"detail": f"the request body is not valid JSON: {exc.detail}"},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
