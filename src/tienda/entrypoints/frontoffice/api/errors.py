"""Use-case errors to HTTP: a status and a JSON ``detail`` a person can read."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tienda.domain.cart import CartError, InvalidQuantity, NotInCart, UnknownSku
from tienda.domain.inventory import InsufficientStock
from tienda.domain.orders import IllegalTransition
from tienda.service_layer.checkout import (
    CartAccessDenied,
    CartNotFound,
    CheckoutRefused,
    InvalidCheckout,
    OrderAccessDenied,
)
from tienda.service_layer.ports import PaymentDeclined, PaymentUnavailable

STATUS_BY_ERROR: list[tuple[type[Exception], int]] = [
    (InvalidQuantity, 422), (UnknownSku, 422), (InvalidCheckout, 422), (NotInCart, 404),
    (CartError, 409), (InsufficientStock, 409), (CheckoutRefused, 409),
    (IllegalTransition, 409), (CartNotFound, 404),
    (CartAccessDenied, 403), (OrderAccessDenied, 404), (PaymentDeclined, 402),
    (PaymentUnavailable, 503),
]


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        detail = str(exc)
        if isinstance(exc, InsufficientStock):
            detail = f"not enough stock: {exc}"
        if isinstance(exc, PaymentDeclined):
            detail = f"payment declined: {exc}"
        return JSONResponse({"detail": detail}, status_code=status)

    return handle


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"] if part != "body")
        problems.append(f"{where}: {error['msg']}")
    return JSONResponse({"detail": "; ".join(problems) or "invalid request",
                         "errors": [{"loc": list(e["loc"]), "msg": e["msg"]}
                                    for e in exc.errors()]}, status_code=422)


def install_api_errors(app: FastAPI) -> None:
    for error, status in STATUS_BY_ERROR:
        app.add_exception_handler(error, _handler(status))
    app.add_exception_handler(RequestValidationError, _invalid_request)
