"""Checkout in the browser: details with field-level errors, a review, then the same
``checkout`` use case as the public API (guest or signed in), and the live order page."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from tienda.adapters.payments.sandbox import TEST_TOKENS
from tienda.domain.orders import Order
from tienda.entrypoints.frontoffice.pages.cart import cart_context, current_cart
from tienda.entrypoints.frontoffice.pages.context import customer_of, locale_of, render, shop
from tienda.entrypoints.frontoffice.pages.errors import SHOPPER_ERRORS, shopper_message
from tienda.entrypoints.frontoffice.pages.session import require_csrf, session_of
from tienda.entrypoints.frontoffice.publishing import PublishAfterResponse
from tienda.service_layer import checkout
from tienda.service_layer.storefront import (
    ADDRESS_FIELDS,
    COUNTRIES,
    address_of,
    checkout_problems,
)

router = APIRouter()
FIELDS = ("email", *ADDRESS_FIELDS, "shipping_method", "payment_token")


def _prefilled(request: Request) -> dict[str, str]:
    fields = {name: "" for name in FIELDS}
    fields.update(country="ES", shipping_method="standard", payment_token=TEST_TOKENS[0])
    customer = customer_of(request)
    if customer is not None:
        fields["email"] = customer.email
        saved = shop(request).accounts.store.addresses(customer.id)
        if saved:
            a = saved[0].address
            fields.update(name=a.name, line1=a.line1, line2=a.line2, city=a.city,
                          postal_code=a.postal_code, country=a.country)
    return fields


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:320] for name in FIELDS}


def _form(request: Request, fields: dict[str, str], errors: dict[str, str] | None = None,
          error: str | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "checkout.html", status_code=status_code, fields=fields,
                  errors=errors or {}, error=error, countries=COUNTRIES,
                  payment_tokens=TEST_TOKENS, **cart_context(request, current_cart(request)))


@router.get("/checkout", response_class=HTMLResponse)
def details(request: Request) -> Response:
    cart = current_cart(request)
    if cart is None or not cart.lines:
        return RedirectResponse("/cart", status_code=303)
    return _form(request, _prefilled(request))


@router.post("/checkout", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
async def review(request: Request) -> Response:
    fields = await _posted(request)
    problems = checkout_problems(fields, shop(request).tienda.policy)
    if problems:
        return _form(request, fields, problems, status_code=422)
    context = cart_context(request, current_cart(request))
    if not context["cart"]:
        return RedirectResponse("/cart", status_code=303)
    return render(request, "review.html", fields=fields, key=secrets.token_urlsafe(16),
                  **context)


@router.post("/checkout/place", dependencies=[Depends(require_csrf)])
async def place(request: Request, after_response: BackgroundTasks) -> Response:
    fields = await _posted(request)
    key = str((await request.form()).get("key") or "")[:40] or None
    tienda = shop(request).tienda
    problems = checkout_problems(fields, tienda.policy)
    session = session_of(request)
    if problems or session.cart is None:
        return _form(request, fields, problems, status_code=422)
    customer = customer_of(request)
    try:
        # The use case blocks (database, payment provider): off the event loop.
        placed = await run_in_threadpool(
            checkout.checkout, tienda.uows, tienda.payments,
            PublishAfterResponse(tienda.relay, after_response), tienda.policy, *session.cart,
            checkout.CheckoutRequest(
                email=fields["email"], address=address_of(fields),
                shipping_method=fields["shipping_method"],
                payment_token=fields["payment_token"], locale=locale_of(request),
                channel="web", customer_id=customer.id if customer else None,
                idempotency_key=key))
    except SHOPPER_ERRORS as error:
        return _form(request, fields, error=shopper_message(request, error), status_code=422)
    session.remember_order(placed.order_id)
    session.set("cart", None)
    session.set("n", None)
    return RedirectResponse(f"/orders/{placed.order_id}?access_token={placed.access_token}",
                            status_code=303)


def _order(request: Request, order_id: str, access_token: str) -> Order | None:
    tienda = shop(request).tienda
    try:
        return checkout.view_order(tienda.uows, tienda.policy, order_id, access_token)
    except checkout.OrderAccessDenied:
        return None


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, order_id: str, access_token: str = "") -> HTMLResponse:
    order = _order(request, order_id[:40], access_token[:80])
    if order is None:
        return render(request, "error.html", status_code=404, status=404,
                      heading="We could not find that page",
                      message="This link does not open an order.")
    return render(request, "order.html", order=order, access_token=access_token)


@router.get("/orders/{order_id}/status", response_class=HTMLResponse)
def order_status(request: Request, order_id: str, access_token: str = "") -> HTMLResponse:
    order = _order(request, order_id[:40], access_token[:80])
    if order is None:
        return HTMLResponse("", status_code=404)
    return render(request, "_order_status.html", order=order, access_token=access_token)
