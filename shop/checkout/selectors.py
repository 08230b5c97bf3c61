"""Reads about carts: the summary every cart view shows, and the checkout form's problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from shop.catalog.models import AttributeLabel
from shop.checkout.models import Cart, CartLine
from shop.checkout.rules import form_problems
from shop.inventory.selectors import variant_availability
from shop.orders.rules import shipping_methods


@dataclass(frozen=True)
class CartSummaryLine:
    sku: str
    variant_id: int
    product_name: str
    product_slug: str
    options: list[tuple[str, str]]   # (attribute, value as shoppers read it in the locale)
    unit_price_minor: int
    quantity: int
    total_minor: int
    available: int


@dataclass(frozen=True)
class CartSummary:
    cart_id: str
    currency: str
    lines: list[CartSummaryLine]
    subtotal_minor: int
    shipping_quotes: dict[str, int] = field(default_factory=dict)  # method → shipping cost
    total_minor: int = 0        # with standard shipping
    count: int = 0              # units


# What a summary shows of a line, read in one query without building model instances.
_LINE_FIELDS = ("variant_id", "variant__sku", "variant__attributes", "variant__price_minor",
                "variant__product__name_es", "variant__product__name_en",
                "variant__product__slug", "quantity")


def _labels(attribute_sets: list[dict], locale: str) -> dict[tuple[str, str], str]:
    pairs = {(name, str(value)) for attributes in attribute_sets
             for name, value in (attributes or {}).items()}
    if not pairs:
        return {}
    rows = AttributeLabel.objects.filter(
        locale=locale, attribute__in={name for name, _ in pairs},
        value__in={value for _, value in pairs}).values_list("attribute", "value", "label")
    return {(attribute, value): label for attribute, value, label in rows}


def _summary_line(row: tuple, locale: str, labels: dict, available: int) -> CartSummaryLine:
    variant_id, sku, attributes, price, name_es, name_en, slug, quantity = row
    options = [(name, labels.get((name, str(value)), str(value)))
               for name, value in sorted((attributes or {}).items())]
    return CartSummaryLine(
        sku=sku, variant_id=variant_id, product_name=name_en if locale == "en" else name_es,
        product_slug=slug, options=options, unit_price_minor=price, quantity=quantity,
        total_minor=price * quantity, available=available)


def cart_summary(*, cart: Cart, locale: str, with_labels: bool = True) -> CartSummary:
    """`with_labels=False` leaves option values as stored (the public API does not show
    them), saving the labels' query."""
    rows = list(CartLine.objects.filter(cart=cart).order_by("added_at", "id")
                .values_list(*_LINE_FIELDS))
    labels = _labels([row[2] for row in rows], locale) if with_labels else {}
    available = variant_availability(variant_ids=[row[0] for row in rows])
    summary_lines = [_summary_line(row, locale, labels, available[row[0]]) for row in rows]
    subtotal = sum(line.total_minor for line in summary_lines)
    quotes = {code: method.cost_for(subtotal)
              for code, method in shipping_methods(cart.currency).items()}
    return CartSummary(cart_id=str(cart.pk), currency=cart.currency, lines=summary_lines,
                       subtotal_minor=subtotal, shipping_quotes=quotes,
                       total_minor=subtotal + quotes["standard"] if summary_lines else 0,
                       count=sum(line.quantity for line in summary_lines))


def checkout_problems(data: dict) -> dict[str, str]:
    """Field → what is wrong with it, for the checkout page (English sentences from
    shop.checkout.rules; the page translates them)."""
    return form_problems(data, settings.SHOP_CURRENCY)
