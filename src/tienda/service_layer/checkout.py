"""Carts and checkout: the shopper's path from a first item to a pending order."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tienda.domain.cart import Cart, NotInCart, check_quantity, check_sellable
from tienda.domain.customers import InvalidEmail, normalize_email
from tienda.domain.orders import (
    Address,
    Order,
    OrderStatus,
    PricedLine,
    price_order,
    shipping_methods,
)
from tienda.service_layer.policy import ShopPolicy
from tienda.service_layer.ports import (
    OutboxRelay,
    PaymentProvider,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)


class CartNotFound(LookupError):
    pass


class CartAccessDenied(PermissionError):
    pass


class CheckoutRefused(Exception):
    """The checkout cannot go ahead as asked (HTTP 409); the message says why."""


class InvalidCheckout(ValueError):
    """The checkout request itself is wrong (HTTP 422)."""


class OrderAccessDenied(PermissionError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _open_cart(uow: UnitOfWork, cart_id: str, token: str) -> Cart:
    found = uow.carts.get(cart_id)
    if found is None:
        raise CartNotFound(f"there is no cart {cart_id}")
    cart, expected = found
    if not hmac.compare_digest(expected, token_hash(token or "")):
        raise CartAccessDenied("the cart token does not match this cart")
    return cart


def create_cart(uows: UnitOfWorkFactory, policy: ShopPolicy) -> tuple[str, str]:
    cart_id, token = str(uuid.uuid4()), secrets.token_urlsafe(24)
    with uows() as uow:
        uow.carts.create(cart_id, token_hash(token), policy.currency)
        uow.commit()
    return cart_id, token


def get_cart(uows: UnitOfWorkFactory, cart_id: str, token: str) -> Cart:
    with uows() as uow:
        return _open_cart(uow, cart_id, token)


def add_to_cart(uows: UnitOfWorkFactory, cart_id: str, token: str, sku: str,
                quantity: object) -> Cart:
    wanted = check_quantity(quantity)
    with uows() as uow:
        cart = _editable(uow, cart_id, token)
        variant = uow.variants.by_sku(sku)
        total = wanted + (cart.quantity_of(variant.id) if variant else 0)
        variant = check_sellable(variant, sku, check_quantity(total))
        uow.carts.set_line(cart_id, variant.id, total)
        uow.commit()
    return cart.with_line(variant, total)


def change_quantity(uows: UnitOfWorkFactory, cart_id: str, token: str, sku: str,
                    quantity: object) -> Cart:
    wanted = check_quantity(quantity)
    with uows() as uow:
        cart = _editable(uow, cart_id, token)
        variant = check_sellable(uow.variants.by_sku(sku), sku, wanted)
        if not cart.quantity_of(variant.id):
            raise NotInCart(f"{sku} is not in the cart")
        uow.carts.set_line(cart_id, variant.id, wanted)
        uow.commit()
    return cart.with_line(variant, wanted)


def remove_from_cart(uows: UnitOfWorkFactory, cart_id: str, token: str, sku: str) -> Cart:
    with uows() as uow:
        cart = _editable(uow, cart_id, token)
        variant = uow.variants.by_sku(sku)
        if variant is None or not uow.carts.remove_line(cart_id, variant.id):
            raise NotInCart(f"{sku} is not in the cart")
        uow.commit()
    return cart.without(variant.id)


def _editable(uow: UnitOfWork, cart_id: str, token: str) -> Cart:
    cart = _open_cart(uow, cart_id, token)
    if cart.checked_out_order_id:
        raise CheckoutRefused("this cart has already been checked out; start a new cart")
    return cart


@dataclass(frozen=True)
class CheckoutRequest:
    email: str
    address: Address
    shipping_method: str
    payment_token: str
    locale: str = "es"
    channel: str = "api"
    customer_id: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class PlacedOrder:
    order_id: str
    number: str
    status: str
    access_token: str | None


def checkout(uows: UnitOfWorkFactory, payments: PaymentProvider, relay: OutboxRelay,
             policy: ShopPolicy, cart_id: str, token: str, request: CheckoutRequest
             ) -> PlacedOrder:
    email = _valid_email(request.email)
    method = shipping_methods(policy.currency).get(request.shipping_method)
    if method is None:
        raise InvalidCheckout(f"unknown shipping method {request.shipping_method!r}; "
                              f"choose one of {', '.join(shipping_methods(policy.currency))}")
    if request.idempotency_key and (done := _already_placed(uows, request.idempotency_key)):
        return _with_token(policy, done)
    with uows() as uow:
        cart = _editable(uow, cart_id, token)
    if not cart.lines:
        raise CheckoutRefused("the cart is empty")
    lines = [PricedLine(line.variant.id, line.variant.sku, line.variant.product_name,
                        line.quantity, line.variant.price, line.variant.cost)
             for line in sorted(cart.lines, key=lambda line: line.variant.id)]
    totals = price_order(lines, method, policy.tax_rate_bp)
    reference = payments.authorize(request.payment_token, totals.total.minor,
                                   totals.total.currency)
    order = Order(
        id=str(uuid.uuid4()), number=_order_number(), email=email, status=OrderStatus.PENDING,
        locale=request.locale, channel=request.channel, shipping_method=method.code,
        shipping_address=request.address, totals=totals, lines=lines,
        customer_id=request.customer_id,
    )
    access_token = policy.order_access_token(order.id)
    try:
        order, message_ids = _place(uows, policy, cart, order, access_token, reference,
                                    payments.name, request.idempotency_key)
    except Exception:
        payments.void(reference)
        if request.idempotency_key and (done := _already_placed(uows, request.idempotency_key)):
            return _with_token(policy, done)
        raise
    publish_now(relay, message_ids)
    return PlacedOrder(order.id, order.number, order.status.value, access_token)


def _place(uows: UnitOfWorkFactory, policy: ShopPolicy, cart: Cart, order: Order,
           access_token: str, reference: str, provider: str, key: str | None
           ) -> tuple[Order, list[str]]:
    with uows() as uow:
        current = uow.carts.get(cart.id, for_update=True)
        if current is None or _contents(current[0]) != _contents(cart):
            raise CheckoutRefused("the cart changed during checkout; please review it again")
        for _ in range(NUMBER_ATTEMPTS):
            if uow.orders.add(order, token_hash(access_token), key):
                break
            order = replace(order, number=_order_number())
        else:
            raise RuntimeError(f"no free order number in {NUMBER_ATTEMPTS} draws")
        for line in order.lines:
            uow.stock.reserve(line.variant_id, line.sku, line.quantity, order.id)
        uow.payments.add(order.id, provider, reference, "authorized", order.totals.total.minor,
                         order.totals.total.currency)
        uow.outbox.add(policy.queue_order_confirmation, {"order_id": order.id})
        uow.carts.mark_checked_out(cart.id, order.id)
        uow.commit()
        return order, list(uow.outbox.added)


def _contents(cart: Cart) -> list[tuple[int, int, int]]:
    return [(line.variant.id, line.quantity, line.variant.price.minor) for line in cart.lines]


def _with_token(policy: ShopPolicy, placed: PlacedOrder) -> PlacedOrder:
    return PlacedOrder(placed.order_id, placed.number, placed.status,
                       policy.order_access_token(placed.order_id))


def _already_placed(uows: UnitOfWorkFactory, key: str) -> PlacedOrder | None:
    with uows() as uow:
        order = uow.orders.by_idempotency_key(key)
    if order is None:
        return None
    return PlacedOrder(order.id, order.number, order.status.value, None)


def _valid_email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidEmail as exc:
        raise InvalidCheckout(str(exc)) from None


NUMBER_ATTEMPTS = 5  # 16.7 M numbers a day: a second draw is rare, a fifth unheard of


def _order_number() -> str:
    return f"T-{datetime.now(UTC):%y%m%d}-{secrets.token_hex(3).upper()}"


def publish_now(relay: OutboxRelay, message_ids: list[str]) -> None:
    """Best effort: if the queue is down the outbox sweep publishes these later."""
    try:
        relay.publish(message_ids)
    except Exception as exc:
        log.warning("outbox: publishing after commit failed (%s); the sweep will retry", exc)


def view_order(uows: UnitOfWorkFactory, policy: ShopPolicy, order_id: str, access_token: str
               ) -> Order:
    """The order for whoever holds its access token; a wrong token looks like no order."""
    expected = policy.order_access_token(order_id)
    if not hmac.compare_digest(expected, access_token or ""):
        raise OrderAccessDenied("this link or token does not open that order")
    with uows() as uow:
        order = uow.orders.get(order_id)
    if order is None:
        raise OrderAccessDenied("this link or token does not open that order")
    return order
