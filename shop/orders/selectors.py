"""Order reads."""

from __future__ import annotations

import uuid

from django.core.files.storage import storages
from django.db.models import Prefetch

from shop.core.errors import NotFound
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.orders.tokens import order_access_allowed

NO_SUCH_ORDER = "there is no such order, or the link is not valid"


def _as_uuid(order_id) -> uuid.UUID | None:
    try:
        return order_id if isinstance(order_id, uuid.UUID) else uuid.UUID(str(order_id))
    except ValueError:
        return None


def order_detail(*, order_id) -> Order:
    """The order with its lines, events and payment (`order.payment` raises
    Payment.DoesNotExist for an order without one)."""
    pk = _as_uuid(order_id)
    order = (Order.objects.select_related("customer", "payment")
             .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
                               Prefetch("events", queryset=OrderEvent.objects.order_by(
                                   "created_at", "id")))
             .filter(pk=pk).first()) if pk else None
    if order is None:
        raise NotFound(f"there is no order {order_id}")
    return order


def order_for_customer_link(*, order_id, token) -> Order:
    """The order for whoever holds its access token; a wrong token reads like no order, so
    the answer says nothing about which orders exist."""
    if _as_uuid(order_id) is None or not order_access_allowed(order_id, token):
        raise NotFound(NO_SUCH_ORDER)
    try:
        return order_detail(order_id=order_id)
    except NotFound:
        raise NotFound(NO_SUCH_ORDER) from None


def order_invoice_url(*, order: Order) -> str | None:
    """A short-lived read-only SAS link to the invoice PDF, once the order has one."""
    if not order.invoice_blob_key:
        return None
    return storages["invoices"].url(order.invoice_blob_key)
