"""Carts and checkout: every write about a cart, and placing an order from it.

A checkout authorizes the payment first (outside the transaction, as with a remote
provider), then in one transaction: locks the cart, checks it is unchanged and not checked out,
writes the order, reserves the stock (shop.inventory.services, fixed locking order), records
the payment, queues the confirmation (outbox row) and marks the cart checked out. Anything
failing after the authorization voids it."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from shop.catalog.models import Variant
from shop.checkout.models import Cart, CartLine
from shop.checkout.rules import clean_address, normalize_email, request_problem
from shop.core.errors import Conflict, Forbidden, NotFound, ShopError
from shop.core.tokens import new_token, same, token_hash
from shop.inventory.selectors import variant_availability
from shop.inventory.services import WantedLine, stock_reserve
from shop.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from shop.orders.rules import (
    MAX_LINES,
    PricedLine,
    Totals,
    check_quantity,
    line_tax,
    price_order,
    shipping_methods,
)
from shop.orders.tasks import confirm_order_task
from shop.orders.tokens import order_access_token
from shop.payments.models import Payment, PaymentStatus
from shop.payments.sandbox import payment_provider

NUMBER_ATTEMPTS = 5  # 16.7 M numbers a day: a second draw is rare, a fifth unheard of
CHECKED_OUT = "this cart has already been checked out; start a new cart"


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    access_token: str
    created: bool


# --- carts ---------------------------------------------------------------------------------

def cart_create(*, currency: str | None = None) -> tuple[Cart, str]:
    token = new_token()
    cart = Cart.objects.create(token_hash=token_hash(token),
                               currency=currency or settings.SHOP_CURRENCY)
    return cart, token


def cart_open(*, cart_id, token: str) -> Cart:
    """The cart for whoever holds its token: NotFound for no such cart, Forbidden otherwise."""
    try:
        cart = Cart.objects.filter(pk=uuid.UUID(str(cart_id))).first()
    except ValueError:
        cart = None
    if cart is None:
        raise NotFound(f"there is no cart {cart_id}")
    if not same(cart.token_hash, token_hash(str(token or ""))):
        raise Forbidden("the cart token does not match this cart")
    return cart


def _editable(cart: Cart) -> Cart:
    locked = Cart.objects.select_for_update().get(pk=cart.pk)
    if locked.checked_out_order_id:
        raise Conflict(CHECKED_OUT)
    return locked


def _sellable(sku: str) -> Variant:
    variant = (Variant.objects.select_related("product")
               .filter(sku=sku, is_published=True, product__is_published=True).first())
    if variant is None:
        raise ShopError(f"there is no product with SKU {sku!r} on sale")
    return variant


def _check_available(variant: Variant, quantity: int) -> None:
    available = variant_availability(variant_ids=[variant.pk])[variant.pk]
    if quantity > available:
        raise Conflict(f"only {available} of {variant.sku} left")


def _touch(cart: Cart) -> Cart:
    cart.save(update_fields=["updated_at"])
    return cart


@transaction.atomic
def cart_line_add(*, cart: Cart, sku: str, quantity: int) -> Cart:
    """Add `quantity` of `sku` to what the cart already holds of it."""
    wanted = check_quantity(quantity)
    cart = _editable(cart)
    variant = _sellable(sku)
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    total = check_quantity(wanted + (line.quantity if line else 0))
    _check_available(variant, total)
    if line is None:
        if CartLine.objects.filter(cart=cart).count() >= MAX_LINES:
            raise Conflict(f"a cart holds at most {MAX_LINES} different items")
        CartLine.objects.create(cart=cart, variant=variant, quantity=total)
    else:
        CartLine.objects.filter(pk=line.pk).update(quantity=total)
    return _touch(cart)


@transaction.atomic
def cart_line_set(*, cart: Cart, sku: str, quantity: int) -> Cart:
    wanted = check_quantity(quantity)
    cart = _editable(cart)
    variant = _sellable(sku)
    _check_available(variant, wanted)
    if not CartLine.objects.filter(cart=cart, variant=variant).update(quantity=wanted):
        raise NotFound(f"{sku} is not in the cart")
    return _touch(cart)


@transaction.atomic
def cart_line_remove(*, cart: Cart, sku: str) -> Cart:
    cart = _editable(cart)
    deleted, _ = CartLine.objects.filter(cart=cart, variant__sku=sku).delete()
    if not deleted:
        raise NotFound(f"{sku} is not in the cart")
    return _touch(cart)


# --- checkout ------------------------------------------------------------------------------

def _placed_for_key(key: str, cart: Cart) -> PlacedOrder | None:
    """The order an earlier request with this key placed *from this cart*. A key used with
    another cart is refused without a word about that other order."""
    order = Order.objects.filter(idempotency_key=key).first()
    if order is None:
        return None
    if order.cart_id != cart.pk:
        raise Conflict("this Idempotency-Key was used for another cart")
    return PlacedOrder(order, order_access_token(order.pk), created=False)


def _priced_lines(cart: Cart, locale: str) -> list[PricedLine]:
    lines = []
    for line in (CartLine.objects.filter(cart=cart).select_related("variant__product")
                 .order_by("variant_id")):
        variant, product = line.variant, line.variant.product
        if not (variant.is_published and product.is_published):
            raise Conflict(f"{variant.sku} is no longer on sale; remove it from the cart")
        name = product.name_en if locale == "en" else product.name_es
        lines.append(PricedLine(variant.pk, variant.sku, name, line.quantity,
                                variant.price_minor, variant.cost_minor))
    return lines


def _contents(lines: list[PricedLine]) -> list[tuple[int, int, int]]:
    return [(line.variant_id, line.quantity, line.unit_price_minor) for line in lines]


def _order_number() -> str:
    return f"T-{datetime.now(UTC):%y%m%d}-{secrets.token_hex(3).upper()}"


def _insert_order(fields: dict) -> Order:
    """A random order number, drawn again if taken (the savepoint keeps the transaction
    usable after the unique index refuses one)."""
    for _ in range(NUMBER_ATTEMPTS):
        number = _order_number()
        try:
            with transaction.atomic():
                return Order.objects.create(number=number, **fields)
        except IntegrityError:
            if not Order.objects.filter(number=number).exists():
                raise  # another unique value (the Idempotency-Key): the caller decides
    raise Conflict(f"no free order number in {NUMBER_ATTEMPTS} draws; please try again")


@dataclass(frozen=True)
class _Request:
    email: str
    address: dict
    method: str
    locale: str
    channel: str
    key: str | None
    customer: object


def _write_order(cart: Cart, req: _Request, lines: list[PricedLine], totals: Totals) -> Order:
    order = _insert_order({
        "customer": req.customer, "cart_id": cart.pk, "email": req.email,
        "status": OrderStatus.PENDING, "channel": req.channel, "locale": req.locale,
        "currency": totals.currency, "subtotal_minor": totals.subtotal_minor,
        "discount_minor": totals.discount_minor, "shipping_minor": totals.shipping_minor,
        "tax_minor": totals.tax_minor, "total_minor": totals.total_minor,
        "shipping_method": req.method, "shipping_address": req.address,
        "idempotency_key": req.key})
    warehouses = stock_reserve(order=order, lines=[
        WantedLine(line.variant_id, line.sku, line.quantity) for line in lines])
    tax_bp = settings.SHOP_TAX_RATE_BP
    OrderLine.objects.bulk_create([OrderLine(
        order=order, variant_id=line.variant_id, warehouse_id=warehouses.get(line.variant_id),
        sku=line.sku, product_name=line.name[:200], quantity=line.quantity,
        unit_price_minor=line.unit_price_minor, unit_cost_minor=line.unit_cost_minor,
        tax_minor=line_tax(line.total_minor, tax_bp), total_minor=line.total_minor)
        for line in lines])
    OrderEvent.objects.create(order=order, status_from=None, status_to=OrderStatus.PENDING,
                              actor="checkout")
    return order


def _place(cart: Cart, req: _Request, lines: list[PricedLine], totals: Totals,
           reference: str) -> Order:
    with transaction.atomic():
        locked = _editable(cart)
        if _contents(_priced_lines(locked, req.locale)) != _contents(lines):
            raise Conflict("the cart changed during checkout; please review it again")
        order = _write_order(locked, req, lines, totals)
        Payment.objects.create(order=order, provider=payment_provider().name,
                               reference=reference, status=PaymentStatus.AUTHORIZED,
                               amount_minor=totals.total_minor, currency=totals.currency)
        confirm_order_task.enqueue(order_id=str(order.pk))
        locked.checked_out_order = order
        locked.save(update_fields=["checked_out_order", "updated_at"])
        return order


def _validated(*, email, shipping_address, shipping_method, payment_token, locale, channel,
               idempotency_key, customer, currency) -> _Request:
    problem = request_problem(email=email, shipping_address=shipping_address,
                              shipping_method=shipping_method, payment_token=payment_token,
                              locale=locale, currency=currency)
    if problem:
        raise ShopError(problem)
    if idempotency_key is not None and not 0 < len(idempotency_key) <= 100:
        raise ShopError("Idempotency-Key: 1 to 100 characters")
    return _Request(normalize_email(email), clean_address(shipping_address), shipping_method,
                    locale, channel, idempotency_key, customer)


def checkout_place(*, cart_id, token: str, email: str, shipping_address: dict,
                   shipping_method: str, payment_token: str, locale: str, channel: str = "web",
                   idempotency_key: str | None = None, customer=None,
                   expected_total_minor: int | None = None) -> PlacedOrder:
    cart = cart_open(cart_id=cart_id, token=token)  # the cart and its token come first
    if idempotency_key and (done := _placed_for_key(idempotency_key, cart)):
        return done
    req = _validated(email=email, shipping_address=shipping_address,
                     shipping_method=shipping_method, payment_token=payment_token,
                     locale=locale, channel=channel, idempotency_key=idempotency_key,
                     customer=customer, currency=cart.currency)
    if cart.checked_out_order_id:
        raise Conflict(CHECKED_OUT)
    lines = _priced_lines(cart, req.locale)
    if not lines:
        raise Conflict("the cart is empty")
    totals = price_order(lines, shipping_methods(cart.currency)[req.method],
                         settings.SHOP_TAX_RATE_BP)
    if expected_total_minor is not None and expected_total_minor != totals.total_minor:
        raise Conflict("cart changed: its total is not the one you reviewed; please review it")
    provider = payment_provider()
    reference = provider.authorize(payment_token, totals.total_minor, totals.currency)
    try:
        order = _place(cart, req, lines, totals, reference)
    except Exception:
        provider.void(reference)
        if idempotency_key and (done := _placed_for_key(idempotency_key, cart)):
            return done
        raise
    return PlacedOrder(order, order_access_token(order.pk), created=True)


