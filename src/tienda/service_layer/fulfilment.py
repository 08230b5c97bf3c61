"""What happens to an order after checkout: confirmation in the background, then the staff's
and the clock's transitions. Every transition is conditional on the status it starts from, so
a redelivered message or a race between two actors changes an order once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tienda.domain.inventory import Movement, MovementKind
from tienda.domain.orders import IllegalTransition, Order, OrderStatus, check_transition
from tienda.service_layer.checkout import publish_now
from tienda.service_layer.policy import ShopPolicy
from tienda.service_layer.ports import (
    BlobStore,
    OutboxRelay,
    PaymentDeclined,
    PaymentProvider,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)


class OrderNotFound(LookupError):
    pass


class InvoiceRenderer(Protocol):
    def render(self, order: Order) -> bytes: ...


@dataclass(frozen=True)
class Fulfilment:
    """The collaborators every order transition needs."""

    uows: UnitOfWorkFactory
    payments: PaymentProvider
    relay: OutboxRelay
    policy: ShopPolicy


def confirm_order(f: Fulfilment, blobs: BlobStore, invoices: InvoiceRenderer,
                  order_id: str) -> str:
    """Capture, invoice, allocate, confirm, and queue the customer's e-mail. Safe to repeat."""
    order, reference = _pending_order(f, order_id)
    if order is None:
        return "already handled"
    try:
        f.payments.capture(reference)
    except PaymentDeclined as exc:
        _cancel(f, order_id, OrderStatus.PENDING, "system", f"payment capture declined: {exc}")
        return "cancelled: capture declined"
    key = f"{order.id}.pdf"
    blobs.put(f.policy.container_invoices, key, invoices.render(order), "application/pdf")
    with f.uows() as uow:
        if not uow.orders.change_status(order_id, OrderStatus.PENDING, OrderStatus.CONFIRMED,
                                        "system", "payment captured"):
            uow.commit()
            return _captured_but_not_pending(f, order_id, reference)
        _move_allocations(uow, order_id, MovementKind.SHIPMENT, on_hand=-1, reserved=-1)
        uow.payments.set_status(order_id, "captured")
        uow.orders.set_invoice(order_id, key)
        _notify(uow, f.policy, "order_confirmed", order_id)
        uow.commit()
        added = list(uow.outbox.added)
    publish_now(f.relay, added)
    return "confirmed"


def _pending_order(f: Fulfilment, order_id: str) -> tuple[Order | None, str]:
    with f.uows() as uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise OrderNotFound(f"there is no order {order_id}")
        payment = uow.payments.get(order_id)
    if order.status is not OrderStatus.PENDING or payment is None:
        return None, ""
    return order, payment[0]


def _captured_but_not_pending(f: Fulfilment, order_id: str, reference: str) -> str:
    """The order left ``pending`` while we captured (e.g. expired): give the money back."""
    with f.uows() as uow:
        order = uow.orders.get(order_id)
    if order is not None and order.status is OrderStatus.CANCELLED:
        f.payments.refund(reference)
        return "refunded: order was cancelled meanwhile"
    return "already handled"


def cancel_order(f: Fulfilment, order_id: str, actor: str, note: str = "") -> Order:
    return _transition(f, order_id, OrderStatus.CANCELLED, actor, note)


def refund_order(f: Fulfilment, order_id: str, actor: str, note: str = "") -> Order:
    return _transition(f, order_id, OrderStatus.REFUNDED, actor, note)


def ship_order(f: Fulfilment, order_id: str, actor: str, tracking_number: str) -> Order:
    return _transition(f, order_id, OrderStatus.SHIPPED, actor, f"tracking {tracking_number}",
                       tracking_number=tracking_number)


def deliver_order(f: Fulfilment, order_id: str, actor: str) -> Order:
    return _transition(f, order_id, OrderStatus.DELIVERED, actor)


def _transition(f: Fulfilment, order_id: str, wanted: OrderStatus, actor: str,
                note: str = "", tracking_number: str | None = None) -> Order:
    with f.uows() as uow:
        order = uow.orders.get(order_id)
    if order is None:
        raise OrderNotFound(f"there is no order {order_id}")
    check_transition(order.status, wanted)
    if wanted in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        _cancel(f, order_id, order.status, actor, note, wanted)
    elif not _simple_change(f, order_id, order.status, wanted, actor, note, tracking_number):
        raise IllegalTransition(order.status, wanted)
    with f.uows() as uow:
        changed = uow.orders.get(order_id)
    assert changed is not None
    return changed


def _simple_change(f: Fulfilment, order_id: str, current: OrderStatus, wanted: OrderStatus,
                   actor: str, note: str, tracking_number: str | None) -> bool:
    with f.uows() as uow:
        changed = uow.orders.change_status(order_id, current, wanted, actor, note)
        if changed and wanted is OrderStatus.SHIPPED:
            # The tracking number commits with the status, so the e-mail always carries it.
            if tracking_number:
                uow.orders.set_tracking(order_id, tracking_number)
            _notify(uow, f.policy, "order_shipped", order_id)
        uow.commit()
        added = list(uow.outbox.added)
    publish_now(f.relay, added)
    return changed


def _cancel(f: Fulfilment, order_id: str, current: OrderStatus, actor: str, note: str,
            wanted: OrderStatus = OrderStatus.CANCELLED) -> None:
    """Pending: release the reservation and void. Confirmed: restock and refund."""
    with f.uows() as uow:
        if not uow.orders.change_status(order_id, current, wanted, actor, note):
            raise IllegalTransition(current, wanted)
        if current is OrderStatus.PENDING:
            _move_allocations(uow, order_id, MovementKind.RELEASE, on_hand=0, reserved=-1)
        else:
            _move_allocations(uow, order_id, MovementKind.RESTOCK, on_hand=1, reserved=0)
        payment = uow.payments.get(order_id)
        uow.payments.set_status(order_id, "voided" if current is OrderStatus.PENDING
                                else "refunded")
        _notify(uow, f.policy, f"order_{wanted.value}", order_id)
        uow.commit()
        added = list(uow.outbox.added)
    if payment is not None:
        _give_money_back(f.payments, payment[0], captured=current is not OrderStatus.PENDING)
    publish_now(f.relay, added)


def _give_money_back(payments: PaymentProvider, reference: str, captured: bool) -> None:
    try:
        payments.refund(reference) if captured else payments.void(reference)
    except PaymentDeclined as exc:  # e.g. a capture that was itself declined: nothing to undo
        log.info("payment %s: nothing to give back (%s)", reference, exc)


def _move_allocations(uow: UnitOfWork, order_id: str, kind: MovementKind, on_hand: int,
                      reserved: int) -> None:
    for allocation in uow.stock.order_allocations(order_id):
        quantity = allocation.reserved_delta
        uow.stock.apply(Movement(allocation.variant_id, allocation.warehouse_id, kind,
                                 on_hand_delta=on_hand * quantity,
                                 reserved_delta=reserved * quantity, order_id=order_id))


def _notify(uow: UnitOfWork, policy: ShopPolicy, kind: str, order_id: str) -> None:
    uow.outbox.add(policy.queue_notifications, {"kind": kind, "order_id": order_id})


def cancel_stale_pending(f: Fulfilment, now: datetime | None = None, limit: int = 200) -> int:
    """Cancel orders left pending past the policy's age, releasing their stock."""
    cutoff = (now or datetime.now(UTC)) - timedelta(minutes=f.policy.pending_order_ttl_minutes)
    with f.uows() as uow:
        stale = uow.orders.pending_placed_before(cutoff, limit)
    cancelled = 0
    for order_id in stale:
        try:
            _cancel(f, order_id, OrderStatus.PENDING, "system", "not confirmed in time")
            cancelled += 1
        except IllegalTransition:
            continue  # confirmed meanwhile
    return cancelled
