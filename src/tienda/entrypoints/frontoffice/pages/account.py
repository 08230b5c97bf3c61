"""Customer account pages: register, sign in and out, password reset, order history,
saved addresses, language and marketing consent, one-click unsubscribe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tienda.domain.catalog import LOCALES
from tienda.entrypoints.frontoffice.pages.context import customer_of, locale_of, render, shop
from tienda.entrypoints.frontoffice.pages.errors import shopper_message
from tienda.entrypoints.frontoffice.pages.session import require_csrf, session_of
from tienda.entrypoints.frontoffice.rendering import LOCALE_COOKIE
from tienda.service_layer.accounts import AccountError, Customer
from tienda.service_layer.storefront import ADDRESS_FIELDS, COUNTRIES, address_of, address_problems

router = APIRouter(prefix="/account")
unsubscribe_router = APIRouter()
Email = Annotated[str, Form(max_length=320)]
Password = Annotated[str, Form(max_length=200)]
CSRF = [Depends(require_csrf)]


def _signed_in(request: Request, token: str) -> Response:
    session = session_of(request)
    session.set("auth", token)
    accounts = shop(request).accounts
    customer = accounts.current(token)
    if customer is not None:
        accounts.claim_orders(customer, session.orders)
    return RedirectResponse("/account", status_code=303)


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request) -> HTMLResponse:
    return render(request, "account/register.html", fields={}, error=None)


@router.post("/register", response_class=HTMLResponse, dependencies=CSRF)
def register(request: Request, email: Email, password: Password,
             name: Annotated[str, Form(max_length=200)] = "",
             marketing: Annotated[str, Form(max_length=5)] = "") -> Response:
    try:
        token = shop(request).accounts.register(email, password, name, locale_of(request),
                                                marketing == "1")
    except AccountError as error:
        return render(request, "account/register.html", status_code=422,
                      fields={"email": email, "name": name},
                      error=shopper_message(request, error))
    return _signed_in(request, token)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request) -> HTMLResponse:
    return render(request, "account/signin.html", email="", error=None)


@router.post("/signin", response_class=HTMLResponse, dependencies=CSRF)
def sign_in(request: Request, email: Email, password: Password) -> Response:
    client = request.client.host if request.client else "unknown"
    try:
        token = shop(request).accounts.sign_in(email, password, client)
    except AccountError as error:
        status = 429 if "too many" in str(error) else 422
        return render(request, "account/signin.html", status_code=status, email=email,
                      error=shopper_message(request, error))
    return _signed_in(request, token)


@router.post("/signout", dependencies=CSRF)
def sign_out(request: Request) -> Response:
    session = session_of(request)
    if session.auth:
        shop(request).accounts.sign_out(session.auth)
    session.set("auth", None)
    session.set("notice", "You have signed out.")
    return RedirectResponse("/", status_code=303)


@router.get("/reset", response_class=HTMLResponse)
def reset_request_form(request: Request) -> HTMLResponse:
    return render(request, "account/reset_request.html", sent=False)


@router.post("/reset", response_class=HTMLResponse, dependencies=CSRF)
def reset_request(request: Request, email: Email) -> HTMLResponse:
    shop(request).accounts.request_reset(email, locale_of(request))
    return render(request, "account/reset_request.html", sent=True)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str) -> HTMLResponse:
    return render(request, "account/reset.html", token=token[:100], error=None)


@router.post("/reset/{token}", response_class=HTMLResponse, dependencies=CSRF)
def reset(request: Request, token: str, password: Password) -> Response:
    try:
        shop(request).accounts.reset_password(token[:100], password)
    except AccountError as error:
        return render(request, "account/reset.html", status_code=422, token=token[:100],
                      error=shopper_message(request, error))
    session_of(request).set("notice", "Your password was changed. Please sign in.")
    return RedirectResponse("/account/signin", status_code=303)


def _require(request: Request) -> Customer | None:
    return customer_of(request)


@router.get("", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    customer = _require(request)
    if customer is None:
        return RedirectResponse("/account/signin", status_code=303)
    store = shop(request).accounts.store
    return render(request, "account/overview.html", me=customer,
                  orders=store.orders_of(customer.id), addresses=store.addresses(customer.id),
                  countries=COUNTRIES, errors={}, fields={})


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_detail(request: Request, number: str) -> Response:
    customer = _require(request)
    if customer is None:
        return RedirectResponse("/account/signin", status_code=303)
    order = shop(request).accounts.store.order_of(customer.id, number[:20])
    if order is None:
        return render(request, "error.html", status_code=404, status=404,
                      heading="We could not find that page",
                      message="This link does not open an order.")
    token = shop(request).tienda.policy.order_access_token(order.id)
    return render(request, "order.html", order=order, access_token=token)


@router.post("/addresses", response_class=HTMLResponse, dependencies=CSRF)
async def add_address(request: Request) -> Response:
    customer = _require(request)
    if customer is None:
        return RedirectResponse("/account/signin", status_code=303)
    form = await request.form()
    fields = {name: str(form.get(name) or "")[:300] for name in ADDRESS_FIELDS}
    problems = address_problems(fields)
    accounts = shop(request).accounts
    if not problems:
        try:
            accounts.add_address(customer, address_of(fields))
        except AccountError as error:
            problems = {"name": shopper_message(request, error)}
    if problems:
        return render(request, "account/overview.html", status_code=422, me=customer,
                      orders=accounts.store.orders_of(customer.id),
                      addresses=accounts.store.addresses(customer.id), countries=COUNTRIES,
                      errors=problems, fields=fields)
    return RedirectResponse("/account", status_code=303)


@router.post("/addresses/{address_id}/delete", dependencies=CSRF)
def delete_address(request: Request, address_id: int) -> Response:
    customer = _require(request)
    if customer is not None:
        shop(request).accounts.store.delete_address(customer.id, address_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/preferences", dependencies=CSRF)
def preferences(request: Request, locale: Annotated[str, Form(max_length=5)],
                marketing: Annotated[str, Form(max_length=5)] = "") -> Response:
    customer = _require(request)
    if customer is None:
        return RedirectResponse("/account/signin", status_code=303)
    chosen = locale if locale in LOCALES else locale_of(request)
    shop(request).accounts.set_preferences(customer, chosen, marketing == "1")
    session_of(request).set("notice", "Your preferences were saved.")
    response = RedirectResponse("/account", status_code=303)
    response.set_cookie(LOCALE_COOKIE, chosen, max_age=31536000, samesite="lax",
                        httponly=True, secure=request.url.scheme == "https")
    return response


@unsubscribe_router.get("/unsubscribe/{customer_id}/{token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, customer_id: int, token: str) -> HTMLResponse:
    return render(request, "account/unsubscribe.html", customer_id=customer_id,
                  token=token[:64], done=False)


# RFC 8058 one-click: mail clients POST here without a session, so no CSRF token; the
# HMAC in the URL is the proof, and the only possible effect is to stop marketing e-mail.
@unsubscribe_router.post("/unsubscribe/{customer_id}/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, customer_id: int, token: str) -> HTMLResponse:
    done = shop(request).accounts.unsubscribe(customer_id, token[:64])
    return render(request, "account/unsubscribe.html", status_code=200 if done else 404,
                  customer_id=customer_id, token=token[:64], done=done, failed=not done)
