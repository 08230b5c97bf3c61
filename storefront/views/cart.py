"""The cart page and its changes, through the same checkout services as the public API.
With htmx a change answers with the fragment it changed; without, with a redirect. A refusal
is a 422 with one translated sentence, and the cart is left as it was."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from shop.checkout.models import Cart
from shop.checkout.selectors import CartSummary, cart_summary
from shop.checkout.services import cart_create, cart_line_add, cart_line_remove, cart_line_set
from shop.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PaymentDeclined,
    PaymentUnavailable,
    ShopError,
)
from shop.orders.money import format_money
from shop.orders.rules import InvalidQuantity
from storefront.session import remember_cart, session_cart, set_cart_count

app_name = "cart"

# What the services say (a fragment of their message) and what the shopper reads instead.
# The services' sentences are for API clients; these are translated and say what to do.
_BY_TEXT = [
    ("already been checked out", gettext_lazy("This cart was already checked out.")),
    ("the cart is empty", gettext_lazy("Your cart is empty.")),
    ("cart changed", gettext_lazy("Your cart changed during checkout; please review it "
                                  "again.")),
    ("there is no product", gettext_lazy("That product is not on sale.")),
    ("Idempotency-Key", gettext_lazy("This order form belongs to another cart. Please review "
                                     "your order again.")),
    ("different items", gettext_lazy("Your cart can hold at most 50 different items.")),
]
_BY_TYPE = [
    (InvalidQuantity, gettext_lazy("The quantity must be a whole number from 1 to 99.")),
    (PaymentDeclined, gettext_lazy("The payment was declined. Please choose another payment "
                                   "method.")),
    (PaymentUnavailable, gettext_lazy("The payment service is not answering. Please try again "
                                      "shortly.")),
    (Forbidden, gettext_lazy("We could not open your cart, so we started a new one.")),
]
_STOCK = re.compile(r"only (\d+) of ")
_WHOLE_NUMBER = re.compile(r"-?\d{1,6}")


def shopper_message(error: ShopError) -> str:
    """One translated sentence for a refusal a shopper caused."""
    text = str(error)
    stock = _STOCK.search(text)
    if stock:
        # "only 0 of TEE-L left" reads badly to a shopper: nothing left is "sold out".
        if stock.group(1) == "0":
            return _("Sorry, that item is sold out.")
        return _("There is not enough stock for that quantity.")
    for kind, message in _BY_TYPE:
        if isinstance(error, kind):
            return str(message)
    for fragment, message in _BY_TEXT:
        if fragment in text:
            return str(message)
    if isinstance(error, NotFound) and "is not in the cart" in text:
        return _("That item is not in your cart.")
    if isinstance(error, NotFound):
        return _("We could not open your cart, so we started a new one.")
    if isinstance(error, Conflict):
        return _("Sorry, an item sold out while you were checking out.")
    return _("Something went wrong. Please try again.")


def money(minor: int, currency: str) -> str:
    """An amount for the shopper's language, e.g. "19,95 €" or "€19.95"."""
    language = "en" if (translation.get_language() or "").startswith("en") else "es"
    return format_money(int(minor), currency, language)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def quantity_of(raw: str) -> object:
    """A whole number if it looks like one; anything else goes to the service as is, which
    refuses it with the same message the API gives."""
    raw = raw.strip()
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else raw


def cart_context(cart: Cart | None) -> dict:
    """What the cart templates show: lines, subtotal, a quote per shipping method."""
    if cart is None:
        return {"summary": None, "lines": [], "quotes": []}
    summary = cart_summary(cart=cart, locale=translation.get_language() or "es")
    return {"summary": summary, "lines": _lines(summary), "quotes": _quotes(summary),
            "subtotal": money(summary.subtotal_minor, summary.currency),
            "total": money(summary.total_minor, summary.currency)}


def _lines(summary: CartSummary) -> list[dict]:
    return [{"sku": line.sku, "name": line.product_name, "slug": line.product_slug,
             "options": " · ".join(label for _name, label in line.options),
             "quantity": line.quantity, "available": line.available,
             "unit_price": money(line.unit_price_minor, summary.currency),
             "total": money(line.total_minor, summary.currency)} for line in summary.lines]


def shipping_label(code: str) -> str:
    labels = {"standard": _("Standard (2 to 4 days)"), "express": _("Express (next day)")}
    return labels.get(code, code)


def _quotes(summary: CartSummary) -> list[dict]:
    return [{"code": code, "label": shipping_label(code), "minor": minor,
             "price": money(minor, summary.currency) if minor else _("free")}
            for code, minor in summary.shipping_quotes.items()]


def _remember_count(request: HttpRequest, cart: Cart) -> None:
    summary = cart_summary(cart=cart, locale=translation.get_language() or "es")
    set_cart_count(request, summary.count)


def _open_or_create(request: HttpRequest) -> Cart:
    cart = session_cart(request)
    if cart is None:
        cart, token = cart_create()
        remember_cart(request, cart, token)
    return cart


@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/cart.html", cart_context(session_cart(request)))


@require_POST
def line_add(request: HttpRequest) -> HttpResponse:
    sku = request.POST.get("sku", "").strip()[:64]
    quantity = quantity_of(request.POST.get("quantity", "1")[:12])
    try:
        cart = cart_line_add(cart=_open_or_create(request), sku=sku, quantity=quantity)
    except ShopError as error:
        return _refused(request, error, "storefront/_cart_status.html")
    _remember_count(request, cart)
    if is_htmx(request):
        return render(request, "storefront/_cart_status.html",
                      {"oob": True, "ok": True, "message": _("Added to your cart.")})
    messages.success(request, _("Added to your cart."))
    return redirect("/cart")


@require_POST
def line_set(request: HttpRequest, sku: str) -> HttpResponse:
    quantity = quantity_of(request.POST.get("quantity", "")[:12])
    return _change(request, lambda cart: cart_line_set(cart=cart, sku=sku, quantity=quantity))


@require_POST
def line_remove(request: HttpRequest, sku: str) -> HttpResponse:
    return _change(request, lambda cart: cart_line_remove(cart=cart, sku=sku))


def _change(request: HttpRequest, change) -> HttpResponse:
    cart = session_cart(request)
    try:
        if cart is None:
            raise NotFound("there is no cart")
        cart = change(cart)
    except ShopError as error:
        return _refused(request, error, "storefront/_cart.html")
    context = cart_context(cart)
    set_cart_count(request, context["summary"].count)
    if is_htmx(request):
        return render(request, "storefront/_cart.html", {"oob": True, **context})
    return redirect("/cart")


def _refused(request: HttpRequest, error: ShopError, fragment: str) -> HttpResponse:
    """The change is refused with a sentence; nothing was changed."""
    message = shopper_message(error)
    context = {"error": message, "ok": False, **cart_context(session_cart(request))}
    if not is_htmx(request):
        return render(request, "storefront/cart.html", context, status=422)
    # The cart-status fragment shows the sentence itself; the cart fragment in its section.
    return render(request, fragment, {**context, "oob": True, "message": message}, status=422)


urlpatterns = [
    path("cart", cart_page, name="page"),
    path("cart/lines", line_add, name="add"),
    path("cart/lines/<str:sku>", line_set, name="set"),
    path("cart/lines/<str:sku>/remove", line_remove, name="remove"),
]
