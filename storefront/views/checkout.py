"""Checkout in the browser: details with field-level errors, a review with the totals, then
the same `checkout_place` service as the public API (guest or signed in), and the live order
page for whoever holds its link."""

from __future__ import annotations

import secrets
from uuid import UUID

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.checkout.selectors import checkout_problems
from shop.checkout.services import checkout_place
from shop.core.errors import ShopError
from shop.customers.forms import COUNTRY_NAMES
from shop.customers.selectors import customer_addresses, customer_of_user
from shop.orders.models import Order
from shop.orders.rules import COUNTRIES, line_tax
from shop.orders.selectors import order_for_customer_link
from storefront.session import forget_cart, remember_order, session_cart, session_cart_ref
from storefront.views.cart import cart_context, is_htmx, money, shopper_message

app_name = "checkout"
KEY_LENGTH = 40

PAYMENT_LABELS = {
    "tok_sandbox_ok": gettext_lazy("Test card: approved"),
    "tok_sandbox_declined": gettext_lazy("Test card: declined"),
    "tok_sandbox_error": gettext_lazy("Test card: the provider does not answer"),
    "tok_sandbox_capture_fails": gettext_lazy("Test card: approved, then the charge fails"),
}
STATUS_LABELS = {
    "pending": gettext_lazy("Pending: we are confirming your payment…"),
    "confirmed": gettext_lazy("Confirmed"), "shipped": gettext_lazy("Shipped"),
    "delivered": gettext_lazy("Delivered"), "cancelled": gettext_lazy("Cancelled"),
    "refunded": gettext_lazy("Refunded"),
}
# The service's sentences for a field (English, from shop.checkout.rules), translated here.
PROBLEM_MESSAGES = (
    gettext_lazy("This field is required."), gettext_lazy("At most 200 characters."),
    gettext_lazy("Enter a valid postal code."), gettext_lazy("Choose a country we ship to."),
    gettext_lazy("Enter a valid e-mail address."), gettext_lazy("Choose a shipping method."),
    gettext_lazy("Choose a payment method."),
)


def _text(max_length: int, autocomplete: str, **kwargs) -> forms.CharField:
    return forms.CharField(**kwargs, widget=forms.TextInput(
        attrs={"maxlength": max_length, "autocomplete": autocomplete}))


class CheckoutForm(forms.Form):
    """Renders the fields; what is valid is the service's rule (`checkout_problems`), and a
    field that Django already refused (empty) gets no second message: each error shows once,
    beside its field. Choices sit on the widgets only, so Django adds no "invalid choice"
    error of its own either."""

    email = forms.CharField(label=gettext_lazy("E-mail"), widget=forms.EmailInput(
        attrs={"maxlength": 320, "autocomplete": "email"}))
    name = _text(200, "name", label=gettext_lazy("Full name"))
    line1 = _text(200, "address-line1", label=gettext_lazy("Address"))
    line2 = _text(200, "address-line2", label=gettext_lazy("Address line 2"), required=False)
    city = _text(200, "address-level2", label=gettext_lazy("City"))
    postal_code = _text(10, "postal-code", label=gettext_lazy("Postal code"))
    country = forms.CharField(label=gettext_lazy("Country"), widget=forms.Select(
        choices=[(code, COUNTRY_NAMES[code]) for code in COUNTRIES],
        attrs={"autocomplete": "country"}))
    shipping_method = forms.CharField(label=gettext_lazy("Shipping method"),
                                      widget=forms.RadioSelect)
    payment_token = forms.CharField(label=gettext_lazy("Test card"),
                                    widget=forms.Select(choices=list(PAYMENT_LABELS.items())))

    def __init__(self, *args, quotes: list[dict] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].widget.choices = [
            (q["code"], f"{q['label']} — {q['price']}") for q in quotes or []]

    def clean(self) -> dict:
        data = {name: str(self.data.get(name) or "").strip()[:320] for name in self.fields}
        for field, message in checkout_problems(data).items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, _(message))
        return {**data, **self.cleaned_data}

    def address(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("name", "line1", "line2", "city", "postal_code", "country")}


def _initial(request: HttpRequest) -> dict:
    initial = {"country": "ES", "shipping_method": "standard", "payment_token": "tok_sandbox_ok"}
    customer = customer_of_user(user=request.user)
    if customer is not None:
        initial["email"] = customer.email
        saved = customer_addresses(customer=customer).first()
        if saved is not None:
            initial.update(name=saved.name, line1=saved.line1, line2=saved.line2,
                           city=saved.city, postal_code=saved.postal_code,
                           country=saved.country)
    return initial


def _details_page(request: HttpRequest, form: CheckoutForm, context: dict, *, status: int = 200,
                  error: str | None = None) -> HttpResponse:
    return render(request, "storefront/checkout.html",
                  {"form": form, "error": error, **context}, status=status)


@require_http_methods(["GET", "POST"])
def checkout_page(request: HttpRequest) -> HttpResponse:
    """GET: the details form; POST: those details checked, then the review."""
    return review(request) if request.method == "POST" else details(request)


def details(request: HttpRequest) -> HttpResponse:
    context = cart_context(session_cart(request))
    if not context["lines"]:
        return redirect("/cart")
    form = CheckoutForm(initial=_initial(request), quotes=context["quotes"])
    return _details_page(request, form, context)


def review(request: HttpRequest) -> HttpResponse:
    context = cart_context(session_cart(request))
    if not context["lines"]:
        return redirect("/cart")
    form = CheckoutForm(request.POST, quotes=context["quotes"])
    if not form.is_valid():
        return _details_page(request, form, context, status=422)
    return render(request, "storefront/review.html", {
        "form": form, "fields": form.cleaned_data, "key": secrets.token_urlsafe(16),
        "country_name": COUNTRY_NAMES[form.cleaned_data["country"]],
        "totals": _review_totals(context, form.cleaned_data["shipping_method"]), **context})


def _review_totals(context: dict, method: str) -> dict:
    summary = context["summary"]
    shipping = summary.shipping_quotes[method]
    total = summary.subtotal_minor + shipping
    return {"subtotal": money(summary.subtotal_minor, summary.currency),
            "shipping": money(shipping, summary.currency) if shipping else _("free"),
            "tax": money(line_tax(total, settings.SHOP_TAX_RATE_BP), summary.currency),
            "total": money(total, summary.currency), "total_minor": total}


def _expected_total(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 15 else None


@require_POST
def place(request: HttpRequest) -> HttpResponse:
    ref = session_cart_ref(request)
    context = cart_context(session_cart(request))
    form = CheckoutForm(request.POST, quotes=context["quotes"])
    if ref is None:
        return _details_page(request, form, context, status=422, error=_("Your cart is empty."))
    if not form.is_valid():
        return _details_page(request, form, context, status=422)
    data = form.cleaned_data
    try:
        placed = checkout_place(
            cart_id=ref[0], token=ref[1], email=data["email"], shipping_address=form.address(),
            shipping_method=data["shipping_method"], payment_token=data["payment_token"],
            locale=translation.get_language() or "es", channel="web",
            idempotency_key=request.POST.get("key", "")[:KEY_LENGTH] or None,
            customer=customer_of_user(user=request.user),
            expected_total_minor=_expected_total(request.POST.get("expected_total", "")))
    except ShopError as error:
        return _details_page(request, form, cart_context(session_cart(request)), status=422,
                             error=shopper_message(error))
    remember_order(request, placed.order.pk)
    forget_cart(request)
    return redirect(f"/orders/{placed.order.pk}?access_token={placed.access_token}")


def _linked_order(order_id: UUID, request: HttpRequest) -> Order:
    """The order for whoever holds its link; a wrong token reads as a missing page."""
    try:
        return order_for_customer_link(order_id=order_id,
                                       token=request.GET.get("access_token", "")[:80])
    except ShopError:
        raise Http404 from None


def _order_context(order: Order, request: HttpRequest) -> dict:
    return {"order": order, "access_token": request.GET.get("access_token", "")[:80],
            "status_label": STATUS_LABELS.get(order.status, order.status),
            "polling": order.status == "pending"}


@require_GET
def order_page(request: HttpRequest, order_id: UUID) -> HttpResponse:
    order = _linked_order(order_id, request)
    lines = [{"name": line.product_name, "sku": line.sku, "quantity": line.quantity,
              "total": money(line.total_minor, order.currency)} for line in order.lines.all()]
    address = order.shipping_address
    return render(request, "storefront/order.html", {
        **_order_context(order, request), "lines": lines, "address": address,
        "placed_at": order.placed_at, "store_timezone": settings.STORE_TIMEZONE,
        "country_name": COUNTRY_NAMES.get(address.get("country"), address.get("country")),
        "subtotal": money(order.subtotal_minor, order.currency),
        "shipping": money(order.shipping_minor, order.currency),
        "tax": money(order.tax_minor, order.currency),
        "total": money(order.total_minor, order.currency)})


@require_GET
def order_status(request: HttpRequest, order_id: UUID) -> HttpResponse:
    try:
        order = _linked_order(order_id, request)
    except Http404:
        return HttpResponse("", status=404)
    return render(request, "storefront/_order_status.html", _order_context(order, request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form posted without this session's token (an old tab, a
    session that ended, another site) is refused before anything runs."""
    message = _("This form has expired. Please reload the page and try again.")
    if is_htmx(request):
        # Whatever the request targeted stays as it is; the header's cart status says why.
        response = render(request, "storefront/_cart_status.html",
                          {"oob": True, "ok": False, "message": message}, status=403)
        response["HX-Reswap"] = "none"
        return response
    return render(request, "storefront/shopping/form_expired.html", {"message": message},
                  status=403)


urlpatterns = [
    path("checkout", checkout_page, name="details"),
    path("checkout/place", place, name="place"),
    path("orders/<uuid:order_id>", order_page, name="order"),
    path("orders/<uuid:order_id>/status", order_status, name="order-status"),
]
