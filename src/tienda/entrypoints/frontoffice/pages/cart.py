"""The cart page and its changes, through the same checkout use cases as the public API.
With htmx a change answers with the fragment it changed; without, with a redirect."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tienda.domain.cart import Cart
from tienda.entrypoints.frontoffice.pages.context import is_htmx, render, shop, t
from tienda.entrypoints.frontoffice.pages.errors import SHOPPER_ERRORS, shopper_message
from tienda.entrypoints.frontoffice.pages.session import require_csrf, session_of
from tienda.service_layer import checkout
from tienda.service_layer.storefront import cart_names, quotes

router = APIRouter()
Sku = Annotated[str, Form(max_length=64)]
Quantity = Annotated[str, Form(max_length=12)]


def current_cart(request: Request) -> Cart | None:
    """The session's open cart; a cart that cannot be opened is forgotten, not an error."""
    session = session_of(request)
    if session.cart is None:
        return None
    tienda = shop(request).tienda
    try:
        cart = checkout.get_cart(tienda.uows, *session.cart)
    except (checkout.CartNotFound, checkout.CartAccessDenied):
        cart = None
    if cart is None or cart.checked_out_order_id:
        session.set("cart", None)
        session.set("n", None)
        return None
    return cart


def _open_cart(request: Request) -> tuple[str, str]:
    session = session_of(request)
    if current_cart(request) is None:
        tienda = shop(request).tienda
        session.set("cart", list(checkout.create_cart(tienda.uows, tienda.policy)))
    assert session.cart is not None
    return session.cart


def _quantity(raw: str) -> object:
    """A whole number if it looks like one; anything else goes to the use case as is, which
    refuses it with the same message the API gives."""
    return int(raw) if re.fullmatch(r"-?\d{1,6}", raw.strip()) else raw


def _remember_count(request: Request, cart: Cart) -> None:
    session_of(request).set("n", sum(line.quantity for line in cart.lines) or None)


def cart_context(request: Request, cart: Cart | None) -> dict[str, Any]:
    s = shop(request)
    return {"cart": cart,
            "names": cart_names(s.storefront, cart) if cart else {},
            "quotes": quotes(cart, s.tienda.policy) if cart and cart.lines else {}}


@router.get("/cart", response_class=HTMLResponse)
def cart_page(request: Request) -> HTMLResponse:
    return render(request, "cart.html", **cart_context(request, current_cart(request)))


@router.post("/cart/lines", dependencies=[Depends(require_csrf)])
def add_line(request: Request, sku: Sku, quantity: Quantity = "1") -> Response:
    tienda = shop(request).tienda
    try:
        cart = checkout.add_to_cart(tienda.uows, *_open_cart(request), sku.strip(),
                                    _quantity(quantity))
    except SHOPPER_ERRORS as error:
        return _refused(request, error, "_cart_status.html")
    _remember_count(request, cart)
    message = t(request, "Added to your cart.")
    if is_htmx(request):
        return render(request, "_cart_status.html", cart_count=session_of(request).cart_count,
                      message=message, ok=True)
    session_of(request).set("notice", "Added to your cart.")
    return RedirectResponse("/cart", status_code=303)


@router.post("/cart/lines/{sku}", dependencies=[Depends(require_csrf)])
def change_line(request: Request, sku: str, quantity: Quantity) -> Response:
    return _change(request, lambda cart_id, token: checkout.change_quantity(
        shop(request).tienda.uows, cart_id, token, sku, _quantity(quantity)))


@router.post("/cart/lines/{sku}/remove", dependencies=[Depends(require_csrf)])
def remove_line(request: Request, sku: str) -> Response:
    return _change(request, lambda cart_id, token: checkout.remove_from_cart(
        shop(request).tienda.uows, cart_id, token, sku))


def _change(request: Request, change: object) -> Response:
    if current_cart(request) is None:
        return _refused(request, checkout.CartNotFound("no cart"), "_cart.html")
    session = session_of(request)
    assert session.cart is not None and callable(change)
    try:
        cart = change(*session.cart)
    except SHOPPER_ERRORS as error:
        return _refused(request, error, "_cart.html")
    _remember_count(request, cart)
    if is_htmx(request):
        return render(request, "_cart.html", oob=True, **cart_context(request, cart))
    return RedirectResponse("/cart", status_code=303)


def _refused(request: Request, error: Exception, fragment: str) -> HTMLResponse:
    """The change is refused with a sentence; nothing was changed."""
    message = shopper_message(request, error)
    context = cart_context(request, current_cart(request))
    template = fragment if is_htmx(request) else "cart.html"
    return render(request, template, status_code=422, error=message, message=message,
                  oob=is_htmx(request) and fragment == "_cart.html",
                  ok=False, **context)
