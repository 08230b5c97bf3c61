"""Order writes: the background confirmation and the staff's and the clock's transitions.

Every transition locks the order row, checks the state machine (shop.orders.rules), records an
OrderEvent, an audit entry when staff act, and queues the customer's e-mail (an outbox row) in
the same transaction: nothing leaves the process until it commits, and a redelivered message or
a race between two actors changes an order once."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.audit.services import audit_record
from shop.core.errors import NotFound, PaymentDeclined, ShopError
from shop.inventory.services import (
    actor_label,
    stock_release_order,
    stock_restock_order,
    stock_ship_order,
)
from shop.notifications.tasks import send_order_email_task
from shop.orders.invoice import InvoiceDocument, InvoiceLine, render_invoice
from shop.orders.models import InvoiceSequence, Order, OrderEvent, OrderNote, OrderStatus
from shop.orders.rules import IllegalTransition, check_transition
from shop.payments.models import Payment, PaymentStatus
from shop.payments.sandbox import payment_provider

log = logging.getLogger(__name__)
MAX_NOTE = 2000


def _order_uuid(order_id) -> uuid.UUID:
    try:
        return order_id if isinstance(order_id, uuid.UUID) else uuid.UUID(str(order_id))
    except ValueError:
        raise NotFound(f"there is no order {order_id}") from None


def _locked(order_id) -> Order:
    order = Order.objects.select_for_update().filter(pk=_order_uuid(order_id)).first()
    if order is None:
        raise NotFound(f"there is no order {order_id}")
    return order


def _snapshot(order: Order) -> dict:
    return {"status": order.status, "tracking_number": order.tracking_number}


def _change(order: Order, wanted: str, actor, note: str = "", **fields) -> dict:
    """Move a locked order to `wanted` (checked) and record the event; returns the before."""
    check_transition(order.status, wanted)
    before = _snapshot(order)
    order.status = wanted
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields, "updated_at"])
    OrderEvent.objects.create(order=order, status_from=before["status"], status_to=wanted,
                              actor=actor_label(actor), note=note)
    return before


def _audit(actor, action: str, order: Order, before: dict, after: dict | None = None) -> None:
    """Staff actions are audited; the clock's and the worker's ("system") are events only."""
    if isinstance(actor, str):
        return
    audit_record(actor=actor_label(actor), action=action, entity="order", entity_id=order.pk,
                 before=before, after=after if after is not None else _snapshot(order))


def _notify(order: Order, kind: str) -> None:
    send_order_email_task.enqueue(order_id=str(order.pk), kind=kind)


# --- the confirmation (background) ----------------------------------------------------------

def _payment_of(order: Order) -> Payment | None:
    return Payment.objects.filter(order=order).first()


def _next_invoice_number(year: int) -> str:
    # The row lock taken by the UPDATE serialises confirmations for the year; rolled back
    # with them, so the series has no gaps. The year's row is created by its first number.
    if not InvoiceSequence.objects.filter(year=year).update(last=F("last") + 1):
        InvoiceSequence.objects.get_or_create(year=year)
        InvoiceSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = InvoiceSequence.objects.filter(year=year).values_list("last", flat=True)[0]
    return f"F{year}-{last:06d}"


def invoice_document(order: Order) -> InvoiceDocument:
    a = order.shipping_address
    return InvoiceDocument(
        number=order.invoice_number or "", order_number=order.number, locale=order.locale,
        issued_on=timezone.localtime(order.invoiced_at or timezone.now(),
                                     ZoneInfo(settings.STORE_TIMEZONE)).date(),
        currency=order.currency, seller=dict(settings.SHOP_SELLER),
        buyer_name=a.get("name", ""), buyer_email=order.email,
        buyer_address=[part for part in (a.get("line1"), a.get("line2"),
                                         f"{a.get('postal_code', '')} {a.get('city', '')}",
                                         a.get("country")) if part],
        lines=[InvoiceLine(line.sku, line.product_name, line.quantity, line.unit_price_minor,
                           line.total_minor) for line in order.lines.order_by("id")],
        shipping_minor=order.shipping_minor, tax_rate_bp=settings.SHOP_TAX_RATE_BP,
        tax_minor=order.tax_minor, total_minor=order.total_minor)


def _invoice(order: Order) -> str:
    """Number and date the invoice once, and store its PDF under the order's id (a retry
    overwrites the same key)."""
    if not order.invoice_number:
        order.invoiced_at = timezone.now()
        year = timezone.localtime(order.invoiced_at, ZoneInfo(settings.STORE_TIMEZONE)).year
        order.invoice_number = _next_invoice_number(year)
    key = f"{order.pk}.pdf"
    storages["invoices"].save(key, ContentFile(render_invoice(invoice_document(order))))
    return key


def _confirm_captured(order_id) -> bool:
    # The PDF goes up inside the transaction (it needs the number, taken under the year's
    # lock, and a confirmed order must have its invoice even if the worker dies right after
    # the commit): a rollback leaves at most a blob that the retry overwrites under the same
    # key. The number is taken last, so the year's lock is held for the PDF, the order's
    # UPDATE and the commit only, not for the stock and payment writes.
    with transaction.atomic():
        order = _locked(order_id)
        if order.status != OrderStatus.PENDING:
            return False
        stock_ship_order(order=order)
        Payment.objects.filter(order=order).update(status=PaymentStatus.CAPTURED,
                                                   updated_at=timezone.now())
        _notify(order, "order_confirmed")
        key = _invoice(order)
        _change(order, OrderStatus.CONFIRMED, "system", "payment captured",
                invoice_blob_key=key, invoice_number=order.invoice_number,
                invoiced_at=order.invoiced_at)
        return True


def order_confirm(*, order_id) -> str:
    """Capture, invoice, allocate, confirm and queue the customer's e-mail. Safe to repeat:
    capture is idempotent per reference and the status change is conditional."""
    found = list(Order.objects.select_related("payment").filter(pk=_order_uuid(order_id))[:1])
    if not found:
        raise NotFound(f"there is no order {order_id}")
    order = found[0]
    try:
        payment = order.payment
    except Payment.DoesNotExist:
        payment = None
    if order.status != OrderStatus.PENDING or payment is None:
        return _settle_if_cancelled(order, payment)
    try:
        payment_provider(payment.provider).capture(payment.reference)
    except PaymentDeclined as exc:
        try:
            _cancel(order.pk, OrderStatus.CANCELLED, "system",
                    f"payment capture declined: {exc}", only_from=OrderStatus.PENDING)
        except IllegalTransition:
            return "already handled"
        return "cancelled: capture declined"
    if _confirm_captured(order.pk):
        return "confirmed"
    return _settle_if_cancelled(Order.objects.get(pk=order.pk), payment)


def _settle_if_cancelled(order: Order, payment: Payment | None) -> str:
    """The order left `pending` while (or after) its payment was captured, e.g. it expired:
    give the money back."""
    if order.status != OrderStatus.CANCELLED or payment is None:
        return "already handled"
    if payment_provider(payment.provider).status(payment.reference) != "captured":
        return "already handled"
    _give_money_back(payment)
    return "refunded: order was cancelled meanwhile"


# --- cancel and refund --------------------------------------------------------------------

def _give_money_back(payment: Payment) -> str:
    """Void an authorization, refund a capture; records what happened on the payment."""
    provider = payment_provider(payment.provider)
    captured = provider.status(payment.reference) in ("captured", "refunded")
    try:
        (provider.refund if captured else provider.void)(payment.reference)
    except PaymentDeclined as exc:  # e.g. nothing left to give back
        log.info("payment %s: nothing to give back (%s)", payment.reference, exc)
    status = PaymentStatus.REFUNDED if captured else PaymentStatus.VOIDED
    Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=timezone.now())
    return status


def _cancel(order_id, wanted: str, actor, note: str, only_from: str | None = None) -> Order:
    """Pending: release the reservation and void. Later: restock and refund."""
    with transaction.atomic():
        order = _locked(order_id)
        if only_from is not None and order.status != only_from:
            raise IllegalTransition(order.status, wanted)
        before = _change(order, wanted, actor, note)
        if before["status"] == OrderStatus.PENDING:
            stock_release_order(order=order, actor=actor_label(actor))
        else:
            stock_restock_order(order=order, actor=actor_label(actor))
        payment = _payment_of(order)
        if payment is not None:
            _give_money_back(payment)
        _audit(actor, f"order.{'cancel' if wanted == OrderStatus.CANCELLED else 'refund'}",
               order, before, {**_snapshot(order), "reason": note})
        _notify(order, f"order_{wanted}")
        return order


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ShopError("the reason is at most 500 characters")
    return reason


def order_cancel(*, order_id, reason: str, actor) -> Order:
    return _cancel(order_id, OrderStatus.CANCELLED, actor, _reason(reason))


def order_refund(*, order_id, reason: str, actor) -> Order:
    return _cancel(order_id, OrderStatus.REFUNDED, actor, _reason(reason))


# --- ship, deliver, notes -------------------------------------------------------------------

@transaction.atomic
def order_ship(*, order_id, tracking_number: str, actor) -> Order:
    tracking_number = (tracking_number or "").strip()
    if not 0 < len(tracking_number) <= 100:
        raise ShopError("a tracking number of 1 to 100 characters is required")
    order = _locked(order_id)
    # The tracking number commits with the status, so the e-mail always carries it.
    before = _change(order, OrderStatus.SHIPPED, actor, f"tracking {tracking_number}",
                     tracking_number=tracking_number)
    _audit(actor, "order.ship", order, before)
    _notify(order, "order_shipped")
    return order


@transaction.atomic
def order_deliver(*, order_id, actor) -> Order:
    order = _locked(order_id)
    before = _change(order, OrderStatus.DELIVERED, actor)
    _audit(actor, "order.deliver", order, before)
    return order


@transaction.atomic
def order_note_add(*, order_id, text: str, actor) -> OrderNote:
    text = (text or "").strip()
    if not 0 < len(text) <= MAX_NOTE:
        raise ShopError(f"a note of 1 to {MAX_NOTE} characters is required")
    order = _locked(order_id)
    note = OrderNote.objects.create(order=order, author=actor_label(actor), text=text)
    _audit(actor, "order.note", order, {}, {"note": text})
    return note


def orders_cancel_stale(*, older_than_minutes: int | None = None, limit: int = 200) -> int:
    """Cancel orders left pending too long (settings.PENDING_ORDER_TTL_MINUTES), releasing
    their stock and voiding their payment; each in its own transaction."""
    minutes = settings.PENDING_ORDER_TTL_MINUTES if older_than_minutes is None \
        else older_than_minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stale = list(Order.objects.filter(status=OrderStatus.PENDING, placed_at__lt=cutoff)
                 .order_by("placed_at").values_list("pk", flat=True)[:limit])
    cancelled = 0
    for order_id in stale:
        try:
            _cancel(order_id, OrderStatus.CANCELLED, "system", "not confirmed in time",
                    only_from=OrderStatus.PENDING)
            cancelled += 1
        except IllegalTransition:
            continue  # confirmed meanwhile
    return cancelled
