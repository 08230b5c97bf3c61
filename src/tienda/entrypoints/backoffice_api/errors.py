"""Backoffice refusals to HTTP: one status per kind, a readable JSON ``detail`` always."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from tienda.service_layer.backoffice import errors

STATUS_BY_ERROR: list[tuple[type[errors.BackofficeError], int]] = [
    (errors.NotFound, 404), (errors.InvalidInput, 422), (errors.Conflict, 409),
    (errors.PreconditionRequired, 428), (errors.StaleEdit, 412),
    (errors.BadCredentials, 401), (errors.AccountLocked, 423),
    (errors.UnsupportedMedia, 415), (errors.TooLarge, 413),
]


def _status(exc: Exception) -> int:
    for kind, status in STATUS_BY_ERROR:
        if isinstance(exc, kind):
            return status
    return 400


async def _refusal(_request: Request, exc: Exception) -> JSONResponse:
    body: dict[str, object] = {"detail": str(exc)}
    status = _status(exc)
    if isinstance(exc, errors.StaleEdit):
        body["current_version"] = exc.current_version
    if status == 422:
        body["errors"] = [{"loc": [], "msg": str(exc)}]
    return JSONResponse(body, status_code=status)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}"
                for e in exc.errors()]
    return JSONResponse({"detail": "; ".join(problems) or "invalid request",
                         "errors": [{"loc": list(e["loc"]), "msg": e["msg"]}
                                    for e in exc.errors()]}, status_code=422)


async def _unstorable(_request: Request, exc: Exception) -> JSONResponse:
    # e.g. a NUL character or an out-of-range number PostgreSQL refuses to store or compare.
    message = "a value cannot be stored or searched for (unusual characters or out of range)"
    return JSONResponse({"detail": message, "errors": [{"loc": [], "msg": message}]},
                        status_code=422)


def install_errors(app: FastAPI) -> None:
    app.add_exception_handler(errors.BackofficeError, _refusal)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(DataError, _unstorable)
