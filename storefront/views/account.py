"""Customer account pages: register, sign in and out, password reset, order history, saved
addresses, preferences, and the one-click unsubscribe link of marketing e-mails.

Thin: forms validate fields, shop.customers / shop.users services do the work, and
django.contrib.auth keeps the signed-in state in the Django session."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.core.clients import client_address
from shop.core.errors import AccountLocked, Conflict, Forbidden, NotFound, TooManyAttempts
from shop.customers import selectors, services
from shop.customers.forms import (
    COUNTRY_NAMES,
    AddressForm,
    NewPasswordForm,
    PreferencesForm,
    RegisterForm,
    ResetRequestForm,
    SignInForm,
)
from shop.customers.models import Customer
from shop.orders.tokens import order_access_token
from shop.users.services import sign_in_check, sign_in_failed, sign_in_succeeded
from storefront.session import session_orders

app_name = "account"
GET_POST = require_http_methods(["GET", "POST"])
STATUS_LABELS = {
    "pending": gettext_lazy("Pending"), "confirmed": gettext_lazy("Confirmed"),
    "shipped": gettext_lazy("Shipped"), "delivered": gettext_lazy("Delivered"),
    "cancelled": gettext_lazy("Cancelled"), "refunded": gettext_lazy("Refunded"),
}


def _redirect(to: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(to)
    response.status_code = 303  # after a POST, the browser GETs the next page
    return response


def _posted(request: HttpRequest):
    """The submitted fields for a bound form, or None (an unbound one) on a GET."""
    return request.POST if request.method == "POST" else None


def _signed_in(request: HttpRequest, user) -> HttpResponse:
    """Start the session (Django rotates its key) and claim this browser's guest orders."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    customer = selectors.customer_of_user(user=user)
    if customer is not None:
        services.account_orders_claim(customer=customer, order_ids=session_orders(request))
    return _redirect("/account")


@GET_POST
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_register(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                name=form.cleaned_data["name"], locale=translation.get_language(),
                marketing=form.cleaned_data["marketing"])
        except Conflict as error:
            form.add_error("email", str(error))
        else:
            return _signed_in(request, user)
    status = 422 if request.method == "POST" else 200
    return render(request, "storefront/account/register.html", {"form": form}, status=status)


@GET_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(_posted(request))
    if request.method != "POST":
        return _sign_in_page(request, form, status=200)
    if not form.is_valid():
        return _sign_in_page(request, form, status=422)
    email, client = form.cleaned_data["email"], client_address(request)
    try:
        sign_in_check(email=email, client=client)
    except TooManyAttempts:
        return _sign_in_page(request, form, status=429, error=_(
            "Too many failed sign-ins. Try again in 15 minutes."))
    user = authenticate(request, email=email, password=form.cleaned_data["password"])
    # Staff accounts sign in at the backoffice; here they read as unknown.
    if user is None or user.is_staff:
        _count_failure(email=email, client=client)
        return _sign_in_page(request, form, status=422,
                             error=_("The e-mail or the password is wrong."))
    sign_in_succeeded(email=email)
    return _signed_in(request, user)


def _count_failure(*, email: str, client: str) -> None:
    # A staff lock-out is the backoffice's answer; the shop answers as for anyone.
    with suppress(AccountLocked):
        sign_in_failed(email=email, client=client)


def _sign_in_page(request: HttpRequest, form: SignInForm, *, status: int,
                  error: str | None = None) -> HttpResponse:
    return render(request, "storefront/account/signin.html",
                  {"form": form, "error": error}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return _redirect("/")


@GET_POST
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(_posted(request))
    sent = request.method == "POST" and form.is_valid()
    if sent:
        services.password_reset_request(email=form.cleaned_data["email"],
                                        locale=translation.get_language())
    return render(request, "storefront/account/reset_request.html",
                  {"form": form, "sent": sent})


@GET_POST
def reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.password_reset_user(uidb64=uidb64, token=token)
    except Forbidden as error:
        status = 422 if request.method == "POST" else 404
        return render(request, "storefront/account/reset.html",
                      {"form": None, "error": str(error)}, status=status)
    form = NewPasswordForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(uidb64=uidb64, token=token,
                                            password=form.cleaned_data["password"])
        except Forbidden as error:
            return render(request, "storefront/account/reset.html",
                          {"form": None, "error": str(error)}, status=422)
        messages.success(request, _("Your password was changed. Please sign in."))
        return _redirect("/account/signin")
    status = 422 if request.method == "POST" else 200
    return render(request, "storefront/account/reset.html", {"form": form, "error": None},
                  status=status)


def customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Give the view the signed-in shopper's customer record; others go to sign in."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        customer = selectors.customer_of_user(user=request.user)
        if customer is None:
            return _redirect("/account/signin")
        return view(request, customer, *args, **kwargs)
    return wrapper


@require_GET
@customer_required
def overview(request: HttpRequest, customer: Customer) -> HttpResponse:
    return _overview_page(request, customer, AddressForm(), status=200)


def _overview_page(request: HttpRequest, customer: Customer, address_form: AddressForm, *,
                   status: int) -> HttpResponse:
    preferences = PreferencesForm(initial={"locale": customer.locale,
                                           "marketing": customer.marketing_consent})
    return render(request, "storefront/account/overview.html", {
        "me": customer,
        "orders": selectors.customer_orders(customer=customer),
        "status_labels": STATUS_LABELS,
        "store_timezone": settings.STORE_TIMEZONE,
        "addresses": selectors.customer_addresses(customer=customer),
        "address_form": address_form,
        "preferences_form": preferences,
    }, status=status)


@require_GET
@customer_required
def order_detail(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    try:
        order = selectors.customer_order(customer=customer, number=number)
    except NotFound:
        return render(request, "storefront/account/order.html", {"order": None}, status=404)
    return render(request, "storefront/account/order.html", _order_context(order))


def _order_context(order) -> dict[str, object]:
    address = order.shipping_address if isinstance(order.shipping_address, dict) else {}
    return {
        "order": order, "status": STATUS_LABELS.get(order.status, order.status),
        "country": COUNTRY_NAMES.get(address.get("country", ""), address.get("country", "")),
        "store_timezone": settings.STORE_TIMEZONE,
        # The order's own page (live status, invoice) opens with its bearer token.
        "order_page": f"/orders/{order.pk}?access_token={order_access_token(order.pk)}",
    }


@require_POST
@customer_required
def address_add(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            services.address_add(customer=customer, **form.cleaned_data)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The address was saved."))
            return _redirect("/account")
    return _overview_page(request, customer, form, status=422)


@require_POST
@customer_required
def address_delete(request: HttpRequest, customer: Customer, address_id: int) -> HttpResponse:
    services.address_delete(customer=customer, address_id=address_id)
    return _redirect("/account")


@require_POST
@customer_required
def preferences(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _redirect("/account")
    chosen = form.cleaned_data["locale"]
    services.customer_preferences_set(customer=customer, locale=chosen,
                                      marketing=form.cleaned_data["marketing"])
    with translation.override(chosen):
        messages.success(request, _("Your preferences were saved."))
    response = _redirect("/account")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen,
                        max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response


# RFC 8058 one-click: mail clients POST here without a session, so there is no CSRF token;
# the HMAC in the URL is the proof, and the only possible effect is to stop marketing e-mail.
@csrf_exempt
@GET_POST
def unsubscribe(request: HttpRequest, customer_id: int, token: str) -> HttpResponse:
    context = {"customer_id": customer_id, "token": token[:64], "done": False,
               "failed": False}
    if request.method == "POST":
        done = services.customer_unsubscribe(customer_id=customer_id, token=token[:64])
        context.update(done=done, failed=not done)
        status = 200 if done else 404
        return render(request, "storefront/account/unsubscribe.html", context, status=status)
    return render(request, "storefront/account/unsubscribe.html", context)


urlpatterns = [
    path("account", overview, name="overview"),
    path("account/register", register, name="register"),
    path("account/signin", sign_in, name="signin"),
    path("account/signout", sign_out, name="signout"),
    path("account/reset", reset_request, name="reset_request"),
    path("account/reset/<str:uidb64>/<str:token>", reset, name="reset"),
    path("account/orders/<str:number>", order_detail, name="order"),
    path("account/addresses", address_add, name="address_add"),
    path("account/addresses/<int:address_id>/delete", address_delete, name="address_delete"),
    path("account/preferences", preferences, name="preferences"),
    path("unsubscribe/<int:customer_id>/<str:token>", unsubscribe, name="unsubscribe"),
]
