"""What a checkout must be given, in plain Python (no Django): one rule for the checkout page
and the API. Messages are English; the pages translate them."""

from __future__ import annotations

import re

from shop.orders.rules import COUNTRIES, shipping_methods

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country")
LOCALES = ("es", "en")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_POSTAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$")
REQUIRED = "This field is required."
TOO_LONG = "At most 200 characters."


def normalize_email(raw: object) -> str | None:
    """The address in lower case, or None when it is not an e-mail address."""
    email = str(raw or "").strip().lower()
    return email if len(email) <= 320 and _EMAIL.match(email) else None


def address_problems(fields: dict) -> dict[str, str]:
    """Field name → what is wrong with it."""
    problems: dict[str, str] = {}
    for name in ("name", "line1", "city"):
        value = str(fields.get(name) or "")
        if not value.strip():
            problems[name] = REQUIRED
        elif len(value) > 200:
            problems[name] = TOO_LONG
    if len(str(fields.get("line2") or "")) > 200:
        problems["line2"] = TOO_LONG
    if not _POSTAL.match(str(fields.get("postal_code") or "").strip()):
        problems["postal_code"] = "Enter a valid postal code."
    if fields.get("country") not in COUNTRIES:
        problems["country"] = "Choose a country we ship to."
    return problems


def form_problems(fields: dict, currency: str) -> dict[str, str]:
    """The checkout form's fields (flat: e-mail, address, method, payment) → problems."""
    problems = address_problems(fields)
    if normalize_email(fields.get("email")) is None:
        problems["email"] = "Enter a valid e-mail address."
    if fields.get("shipping_method") not in shipping_methods(currency):
        problems["shipping_method"] = "Choose a shipping method."
    if not str(fields.get("payment_token") or "").startswith("tok_"):
        problems["payment_token"] = "Choose a payment method."
    return problems


def clean_address(fields: dict) -> dict[str, str]:
    """The address as stored on the order."""
    return {"name": str(fields["name"]).strip(), "line1": str(fields["line1"]).strip(),
            "line2": str(fields.get("line2") or "").strip(), "city": str(fields["city"]).strip(),
            "postal_code": str(fields["postal_code"]).strip().upper(),
            "country": str(fields["country"])}


def request_problem(*, email: object, shipping_address: object, shipping_method: object,
                    payment_token: object, locale: object, currency: str) -> str | None:
    """The first thing wrong with a checkout request, named as the API names fields."""
    if normalize_email(email) is None:
        return f"email: {email!r} is not an e-mail address"
    methods = shipping_methods(currency)
    if shipping_method not in methods:
        return (f"unknown shipping method {shipping_method!r}; "
                f"choose one of {', '.join(methods)}")
    if not isinstance(shipping_address, dict):
        return "shipping_address: must be an object with name, line1, city, postal_code, country"
    for field, message in address_problems(shipping_address).items():
        return f"shipping_address.{field}: {message}"
    if not str(payment_token or "").strip():
        return "payment_token: choose a payment method"
    if locale not in LOCALES:
        return f"locale: must be one of {', '.join(LOCALES)}"
    return None
