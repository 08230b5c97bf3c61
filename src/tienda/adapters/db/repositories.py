"""Repositories over one connection inside the unit of work's transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from tienda.adapters.db.tables import (
    cart_lines,
    carts,
    order_events,
    order_lines,
    orders,
    outbox,
    payments,
    processed_messages,
    products,
    stock_levels,
    stock_movements,
    variants,
    warehouses,
)
from tienda.domain.cart import Cart, CartLine, SellableVariant
from tienda.domain.inventory import InsufficientStock, Movement, MovementKind
from tienda.domain.money import Money
from tienda.domain.orders import (
    Address,
    Order,
    OrderEvent,
    OrderStatus,
    PricedLine,
    Totals,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _per_dialect(build: Callable[[Any], Any]) -> dict[str, Any]:
    """An upsert-style statement for each database, by dialect name (``build`` gets the
    dialect's module: both have ``insert`` with ``on_conflict_do_nothing``)."""
    return {"postgresql": build(postgresql), "sqlite": build(sqlite)}


# Statements on the checkout and confirmation paths are built once: building a select costs
# several times more CPU than running it (SQLAlchemy then caches the compiled form by its key).
_AVAILABLE = (
    select(func.coalesce(func.sum(stock_levels.c.on_hand - stock_levels.c.reserved), 0))
    .where(stock_levels.c.variant_id == variants.c.id)
    .scalar_subquery()
)
_SELLABLE_COLUMNS = (
    variants.c.id, variants.c.sku, variants.c.price_minor, variants.c.cost_minor,
    variants.c.currency, products.c.name_es, products.c.slug,
    (variants.c.is_published & products.c.is_published).label("published"),
    _AVAILABLE.label("available"),
)
_VARIANT_BY_SKU = (select(*_SELLABLE_COLUMNS)
                   .join(products, products.c.id == variants.c.product_id)
                   .where(variants.c.sku == bindparam("sku")))
# The cart and its lines in one round trip; a cart without lines gives one row of NULLs.
_CART = (
    select(carts.c.id.label("cart_id"), carts.c.token_hash, carts.c.checked_out_order_id,
           carts.c.currency.label("cart_currency"), cart_lines.c.quantity, *_SELLABLE_COLUMNS)
    .select_from(carts.outerjoin(cart_lines, cart_lines.c.cart_id == carts.c.id)
                 .outerjoin(variants, variants.c.id == cart_lines.c.variant_id)
                 .outerjoin(products, products.c.id == variants.c.product_id))
    .where(carts.c.id == bindparam("cart_id"))
    .order_by(cart_lines.c.added_at, variants.c.id)
)
_CART_LOCKED = _CART.with_for_update(of=carts)
_SET_LINE = (cart_lines.update()
             .where(cart_lines.c.cart_id == bindparam("b_cart"),
                    cart_lines.c.variant_id == bindparam("b_variant"))
             .values(quantity=bindparam("b_quantity")))
_REMOVE_LINE = cart_lines.delete().where(cart_lines.c.cart_id == bindparam("b_cart"),
                                         cart_lines.c.variant_id == bindparam("b_variant"))
_UPDATE_CART = (carts.update().where(carts.c.id == bindparam("b_cart"))
                .values(updated_at=bindparam("b_at")))
_CHECK_OUT_CART = _UPDATE_CART.values(checked_out_order_id=bindparam("b_order"))


def _sellable(row: Any) -> SellableVariant:
    return SellableVariant(row.id, row.sku, row.name_es, row.slug,
                           Money(row.price_minor, row.currency),
                           Money(row.cost_minor, row.currency), bool(row.published),
                           int(row.available))


class SqlVariantRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def by_sku(self, sku: str) -> SellableVariant | None:
        row = self._conn.execute(_VARIANT_BY_SKU, {"sku": sku}).first()
        return _sellable(row) if row else None


class SqlCartRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def create(self, cart_id: str, token_hash: str, currency: str) -> None:
        now = utcnow()
        self._conn.execute(_INSERT_CART, {"id": cart_id, "token_hash": token_hash,
                                          "currency": currency, "created_at": now,
                                          "updated_at": now})

    def get(self, cart_id: str, for_update: bool = False) -> tuple[Cart, str] | None:
        rows = self._conn.execute(_CART_LOCKED if for_update else _CART,
                                  {"cart_id": cart_id}).all()
        if not rows:
            return None
        head = rows[0]
        lines = [CartLine(_sellable(r), r.quantity) for r in rows if r.id is not None]
        return (Cart(head.cart_id, head.cart_currency, lines, head.checked_out_order_id),
                head.token_hash)

    def set_line(self, cart_id: str, variant_id: int, quantity: int) -> None:
        now = utcnow()
        changed = self._conn.execute(_SET_LINE, {"b_cart": cart_id, "b_variant": variant_id,
                                                 "b_quantity": quantity}).rowcount
        if not changed:
            self._conn.execute(_INSERT_LINE, {"cart_id": cart_id, "variant_id": variant_id,
                                              "quantity": quantity, "added_at": now})
        self._conn.execute(_UPDATE_CART, {"b_cart": cart_id, "b_at": now})

    def remove_line(self, cart_id: str, variant_id: int) -> bool:
        removed = self._conn.execute(_REMOVE_LINE, {"b_cart": cart_id,
                                                    "b_variant": variant_id}).rowcount
        self._conn.execute(_UPDATE_CART, {"b_cart": cart_id, "b_at": utcnow()})
        return bool(removed)

    def mark_checked_out(self, cart_id: str, order_id: str) -> None:
        self._conn.execute(_CHECK_OUT_CART, {"b_cart": cart_id, "b_order": order_id,
                                             "b_at": utcnow()})


_LEVELS_LOCKED = (
    select(stock_levels.c.warehouse_id, stock_levels.c.on_hand, stock_levels.c.reserved)
    .join(warehouses, warehouses.c.id == stock_levels.c.warehouse_id)
    .where(stock_levels.c.variant_id == bindparam("variant_id"))
    .order_by(warehouses.c.is_default.desc(), warehouses.c.id)
    .with_for_update(of=stock_levels)
)
_ALLOCATIONS = (
    select(stock_movements.c.variant_id, stock_movements.c.warehouse_id,
           func.sum(stock_movements.c.reserved_delta).label("quantity"))
    .where(stock_movements.c.order_id == bindparam("order_id"),
           stock_movements.c.kind == MovementKind.RESERVATION.value)
    .group_by(stock_movements.c.variant_id, stock_movements.c.warehouse_id)
    .order_by(stock_movements.c.variant_id, stock_movements.c.warehouse_id)
)
_MOVE_LEVEL = (
    stock_levels.update()
    .where(stock_levels.c.variant_id == bindparam("b_variant"),
           stock_levels.c.warehouse_id == bindparam("b_warehouse"))
    .values(on_hand=stock_levels.c.on_hand + bindparam("b_on_hand"),
            reserved=stock_levels.c.reserved + bindparam("b_reserved"),
            updated_at=bindparam("b_at"))
)
_INSERT_CART = carts.insert()
_INSERT_LINE = cart_lines.insert()
_INSERT_LEVEL = stock_levels.insert()
_INSERT_MOVEMENT = stock_movements.insert()
# An order number is drawn at random: a number already taken writes nothing (and leaves the
# transaction usable) so that the use case can draw another.
_INSERT_ORDER = _per_dialect(lambda dialect: dialect.insert(orders).on_conflict_do_nothing(
    index_elements=[orders.c.number]).returning(orders.c.id))
_INSERT_ORDER_LINE = order_lines.insert()
_INSERT_EVENT = order_events.insert()
_INSERT_PAYMENT = payments.insert()
_INSERT_OUTBOX = outbox.insert()
_ORDER = select(orders).where(orders.c.id == bindparam("order_id"))
_ORDER_LINES = (select(order_lines).where(order_lines.c.order_id == bindparam("order_id"))
                .order_by(order_lines.c.id))
_ORDER_EVENTS = (select(order_events).where(order_events.c.order_id == bindparam("order_id"))
                 .order_by(order_events.c.id))
_CHANGE_STATUS = (orders.update()
                  .where(orders.c.id == bindparam("b_order"),
                         orders.c.status == bindparam("b_current"))
                  .values(status=bindparam("b_wanted"), updated_at=bindparam("b_at")))
_SET_INVOICE = (orders.update().where(orders.c.id == bindparam("b_order"))
                .values(invoice_blob_key=bindparam("b_key"), updated_at=bindparam("b_at")))
_PAYMENT = (select(payments.c.reference, payments.c.status)
            .where(payments.c.order_id == bindparam("order_id")))
_SET_PAYMENT_STATUS = (payments.update().where(payments.c.order_id == bindparam("b_order"))
                       .values(status=bindparam("b_status"), updated_at=bindparam("b_at")))


class SqlStockRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def reserve(self, variant_id: int, sku: str, quantity: int, order_id: str) -> None:
        # Rows are locked in one fixed order (default warehouse first, then by id), and the
        # use case reserves variants in id order, so concurrent checkouts cannot deadlock.
        levels = self._conn.execute(_LEVELS_LOCKED, {"variant_id": variant_id}).all()
        remaining = quantity
        for level in levels:
            take = min(level.on_hand - level.reserved, remaining)
            if take > 0:
                self.apply(Movement(variant_id, level.warehouse_id, MovementKind.RESERVATION,
                                    reserved_delta=take, order_id=order_id, actor="checkout"))
                remaining -= take
            if remaining == 0:
                return
        raise InsufficientStock(sku, quantity, quantity - remaining)

    def order_allocations(self, order_id: str) -> list[Movement]:
        rows = self._conn.execute(_ALLOCATIONS, {"order_id": order_id}).all()
        return [Movement(r.variant_id, r.warehouse_id, MovementKind.RESERVATION,
                         reserved_delta=int(r.quantity), order_id=order_id) for r in rows]

    def apply(self, movement: Movement) -> None:
        now = utcnow()
        changed = self._conn.execute(_MOVE_LEVEL, {
            "b_variant": movement.variant_id, "b_warehouse": movement.warehouse_id,
            "b_on_hand": movement.on_hand_delta, "b_reserved": movement.reserved_delta,
            "b_at": now}).rowcount
        if not changed:
            self._conn.execute(_INSERT_LEVEL, {
                "variant_id": movement.variant_id, "warehouse_id": movement.warehouse_id,
                "on_hand": movement.on_hand_delta, "reserved": movement.reserved_delta,
                "updated_at": now})
        self._conn.execute(_INSERT_MOVEMENT, {
            "variant_id": movement.variant_id, "warehouse_id": movement.warehouse_id,
            "kind": movement.kind.value, "on_hand_delta": movement.on_hand_delta,
            "reserved_delta": movement.reserved_delta, "reason": movement.reason,
            "order_id": movement.order_id, "actor": movement.actor, "created_at": now})


class SqlOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, order: Order, access_token_hash: str, idempotency_key: str | None) -> bool:
        now = utcnow()
        t = order.totals
        stored = self._conn.execute(_INSERT_ORDER[self._conn.dialect.name], {
            "id": order.id, "number": order.number, "customer_id": order.customer_id,
            "email": order.email, "status": order.status.value, "channel": order.channel,
            "locale": order.locale, "currency": t.total.currency,
            "subtotal_minor": t.subtotal.minor, "discount_minor": t.discount.minor,
            "shipping_minor": t.shipping.minor, "tax_minor": t.tax.minor,
            "total_minor": t.total.minor, "shipping_method": order.shipping_method,
            "shipping_address": _address_dict(order.shipping_address),
            "access_token_hash": access_token_hash, "idempotency_key": idempotency_key,
            "placed_at": now, "updated_at": now}).first()
        if stored is None:
            return False
        self._conn.execute(_INSERT_ORDER_LINE, [
            {"order_id": order.id, "variant_id": line.variant_id, "sku": line.sku,
             "product_name": line.name, "quantity": line.quantity,
             "unit_price_minor": line.unit_price.minor, "unit_cost_minor": line.unit_cost.minor,
             "discount_minor": 0, "tax_minor": 0, "total_minor": line.total.minor}
            for line in order.lines])
        self._event(order.id, None, order.status.value, "customer", "", now)
        return True

    def get(self, order_id: str) -> Order | None:
        row = self._conn.execute(_ORDER, {"order_id": order_id}).first()
        return self._order(row) if row else None

    def by_idempotency_key(self, key: str) -> Order | None:
        row = self._conn.execute(select(orders).where(orders.c.idempotency_key == key)).first()
        return self._order(row) if row else None

    def access_token_hash(self, order_id: str) -> str | None:
        return self._conn.execute(select(orders.c.access_token_hash)
                                  .where(orders.c.id == order_id)).scalar()

    def change_status(self, order_id: str, current: OrderStatus, wanted: OrderStatus,
                      actor: str, note: str = "") -> bool:
        now = utcnow()
        changed = self._conn.execute(_CHANGE_STATUS, {
            "b_order": order_id, "b_current": current.value, "b_wanted": wanted.value,
            "b_at": now}).rowcount
        if changed:
            self._event(order_id, current.value, wanted.value, actor, note, now)
        return bool(changed)

    def set_invoice(self, order_id: str, blob_key: str) -> None:
        self._conn.execute(_SET_INVOICE, {"b_order": order_id, "b_key": blob_key,
                                          "b_at": utcnow()})

    def set_tracking(self, order_id: str, tracking_number: str) -> None:
        self._conn.execute(orders.update().where(orders.c.id == order_id)
                           .values(tracking_number=tracking_number, updated_at=utcnow()))

    def pending_placed_before(self, moment: datetime, limit: int) -> list[str]:
        query = (select(orders.c.id)
                 .where(orders.c.status == OrderStatus.PENDING.value,
                        orders.c.placed_at < moment)
                 .order_by(orders.c.placed_at).limit(limit))
        return list(self._conn.execute(query).scalars())

    def _event(self, order_id: str, status_from: str | None, status_to: str, actor: str,
               note: str, at: datetime) -> None:
        self._conn.execute(_INSERT_EVENT, {
            "order_id": order_id, "status_from": status_from, "status_to": status_to,
            "actor": actor, "note": note, "created_at": at})

    def _order(self, row: Any) -> Order:
        currency = row.currency
        lines = [
            PricedLine(r.variant_id, r.sku, r.product_name, r.quantity,
                       Money(r.unit_price_minor, currency), Money(r.unit_cost_minor, currency))
            for r in self._conn.execute(_ORDER_LINES, {"order_id": row.id})
        ]
        events = [
            OrderEvent(r.status_from, r.status_to, r.actor, r.note, as_utc(r.created_at))
            for r in self._conn.execute(_ORDER_EVENTS, {"order_id": row.id})
        ]
        totals = Totals(*(Money(getattr(row, f"{name}_minor"), currency) for name in
                          ("subtotal", "discount", "shipping", "tax", "total")))
        return Order(
            id=row.id, number=row.number, email=row.email, status=OrderStatus(row.status),
            locale=row.locale, channel=row.channel, shipping_method=row.shipping_method,
            shipping_address=Address(**row.shipping_address), totals=totals, lines=lines,
            placed_at=as_utc(row.placed_at), customer_id=row.customer_id,
            invoice_blob_key=row.invoice_blob_key, tracking_number=row.tracking_number,
            events=events,
        )


def _address_dict(address: Address) -> dict[str, str]:
    return {name: getattr(address, name) for name in Address.__slots__}


class SqlPaymentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, order_id: str, provider: str, reference: str, status: str, amount_minor: int,
            currency: str) -> None:
        now = utcnow()
        self._conn.execute(_INSERT_PAYMENT, {
            "order_id": order_id, "provider": provider, "reference": reference,
            "status": status, "amount_minor": amount_minor, "currency": currency,
            "created_at": now, "updated_at": now})

    def get(self, order_id: str) -> tuple[str, str] | None:
        row = self._conn.execute(_PAYMENT, {"order_id": order_id}).first()
        return (row.reference, row.status) if row else None

    def set_status(self, order_id: str, status: str) -> None:
        self._conn.execute(_SET_PAYMENT_STATUS, {"b_order": order_id, "b_status": status,
                                                 "b_at": utcnow()})


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.added: list[str] = []

    def add(self, queue: str, payload: dict[str, object]) -> str:
        message_id = str(uuid.uuid4())
        body = json.dumps({"message_id": message_id, **payload}, separators=(",", ":"))
        self._conn.execute(_INSERT_OUTBOX, {"message_id": message_id, "queue": queue,
                                            "payload": body, "created_at": utcnow()})
        self.added.append(message_id)
        return message_id


_CLAIM = _per_dialect(lambda dialect: dialect.insert(processed_messages)
                      .on_conflict_do_nothing().returning(processed_messages.c.message_id))


class SqlProcessedMessages:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, handler: str, message_id: str) -> bool:
        statement = _CLAIM[self._conn.dialect.name]
        return self._conn.execute(statement, {"handler": handler, "message_id": message_id,
                                              "processed_at": utcnow()}).first() is not None
