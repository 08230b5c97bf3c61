"""Carts and checkout: every write about a cart, and placing an order from it.

A checkout prices the cart once, authorizes the payment (outside the transaction, as with a
remote provider), then in one transaction: writes the order, reserves the stock
(shop.inventory.services, fixed locking order), records the payment, queues the confirmation
(outbox row) and marks the cart checked out — by one conditional UPDATE, which takes the cart's
row lock last and applies only if the cart is still the one priced and not checked out (every
write of its lines moves `updated_at` under that same lock). Anything failing after the
authorization voids it."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

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
        found = list(Cart.objects.filter(pk=uuid.UUID(str(cart_id)))[:1])
    except ValueError:
        found = []
    if not found:
        raise NotFound(f"there is no cart {cart_id}")
    cart = found[0]
    if not same(cart.token_hash, token_hash(str(token or ""))):
        raise Forbidden("the cart token does not match this cart")
    return cart


def _editable(cart: Cart) -> Cart:
    """Lock the cart for a change of its lines and mark it changed, in one UPDATE (it takes
    the row lock a checkout's final UPDATE also needs); Conflict once it is checked out."""
    now = timezone.now()
    if not Cart.objects.filter(pk=cart.pk, checked_out_order__isnull=True).update(
            updated_at=now):
        raise Conflict(CHECKED_OUT)
    cart.updated_at = now
    return cart


def _sellable(sku: str) -> tuple[int, str]:
    """(variant id, SKU) of a variant on sale."""
    found = list(Variant.objects.filter(sku=sku, is_published=True, product__is_published=True)
                 .values_list("pk", "sku")[:1])
    if not found:
        raise ShopError(f"there is no product with SKU {sku!r} on sale")
    return found[0]


def _check_available(variant_id: int, sku: str, quantity: int) -> None:
    available = variant_availability(variant_ids=[variant_id])[variant_id]
    if quantity > available:
        raise Conflict(f"only {available} of {sku} left")


@transaction.atomic
def cart_line_add(*, cart: Cart, sku: str, quantity: int) -> Cart:
    """Add `quantity` of `sku` to what the cart already holds of it."""
    wanted = check_quantity(quantity)
    cart = _editable(cart)
    variant_id, sku = _sellable(sku)
    held = dict(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity"))
    total = check_quantity(wanted + held.get(variant_id, 0))
    _check_available(variant_id, sku, total)
    if variant_id not in held:
        if len(held) >= MAX_LINES:
            raise Conflict(f"a cart holds at most {MAX_LINES} different items")
        CartLine.objects.create(cart=cart, variant_id=variant_id, quantity=total)
    else:
        CartLine.objects.filter(cart=cart, variant_id=variant_id).update(quantity=total)
    return cart


@transaction.atomic
def cart_line_set(*, cart: Cart, sku: str, quantity: int) -> Cart:
    wanted = check_quantity(quantity)
    cart = _editable(cart)
    variant_id, sku = _sellable(sku)
    _check_available(variant_id, sku, wanted)
    if not CartLine.objects.filter(cart=cart, variant_id=variant_id).update(quantity=wanted):
        raise NotFound(f"{sku} is not in the cart")
    return cart


@transaction.atomic
def cart_line_remove(*, cart: Cart, sku: str) -> Cart:
    cart = _editable(cart)
    deleted, _ = CartLine.objects.filter(cart=cart, variant__sku=sku).delete()
    if not deleted:
        raise NotFound(f"{sku} is not in the cart")
    return cart


# --- checkout ------------------------------------------------------------------------------

def _placed_for_key(key: str, cart: Cart) -> PlacedOrder | None:
    """The order an earlier request with this key placed *from this cart*. A key used with
    another cart is refused without a word about that other order."""
    found = list(Order.objects.filter(idempotency_key=key)[:1])
    if not found:
        return None
    order = found[0]
    if order.cart_id != cart.pk:
        raise Conflict("this Idempotency-Key was used for another cart")
    return PlacedOrder(order, order_access_token(order.pk), created=False)


def _priced_lines(cart: Cart, locale: str) -> list[PricedLine]:
    name = "variant__product__name_en" if locale == "en" else "variant__product__name_es"
    lines = []
    for variant_id, sku, product_name, quantity, price, cost, on_sale, product_on_sale in (
            CartLine.objects.filter(cart=cart).order_by("variant_id").values_list(
                "variant_id", "variant__sku", name, "quantity", "variant__price_minor",
                "variant__cost_minor", "variant__is_published",
                "variant__product__is_published")):
        if not (on_sale and product_on_sale):
            raise Conflict(f"{sku} is no longer on sale; remove it from the cart")
        lines.append(PricedLine(variant_id, sku, product_name, quantity, price, cost))
    return lines


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


def _check_out(cart: Cart, order: Order) -> None:
    """Mark the cart checked out by `order` if it is still the cart that was priced: the
    UPDATE waits for any write of its lines in flight and applies only if none committed
    since `cart` was read and no other checkout of it won."""
    if Cart.objects.filter(pk=cart.pk, checked_out_order__isnull=True,
                           updated_at=cart.updated_at).update(
            checked_out_order=order, updated_at=timezone.now()):
        return
    if Cart.objects.filter(pk=cart.pk, checked_out_order__isnull=False).exists():
        raise Conflict(CHECKED_OUT)
    raise Conflict("the cart changed during checkout; please review it again")


def _place(cart: Cart, req: _Request, lines: list[PricedLine], totals: Totals,
           reference: str) -> Order:
    with transaction.atomic():
        order = _write_order(cart, req, lines, totals)
        Payment.objects.create(order=order, provider=payment_provider().name,
                               reference=reference, status=PaymentStatus.AUTHORIZED,
                               amount_minor=totals.total_minor, currency=totals.currency)
        confirm_order_task.enqueue(order_id=str(order.pk))
        _check_out(cart, order)
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


