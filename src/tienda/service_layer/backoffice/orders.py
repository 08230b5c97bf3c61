"""Order administration: search, detail with its timeline and notes, the staff's transitions
(through the fulfilment use cases, so stock and payments follow), and CSV export rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tienda.domain.orders import IllegalTransition, Order
from tienda.service_layer import fulfilment
from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.errors import Conflict, InvalidInput, NotFound
from tienda.service_layer.backoffice.ports import OrderFilters, Page, PageRequest, Row

MAX_NOTE = 4000


def list_orders(bo: Backoffice, filters: OrderFilters, page: PageRequest) -> Page:
    _check_filters(filters)
    return bo.orders.orders(filters, page)


def export_orders(bo: Backoffice, filters: OrderFilters, sort: str | None) -> Iterator[Row]:
    _check_filters(filters)
    return bo.orders.export(filters, sort)


def _check_filters(filters: OrderFilters) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("'from' must not be after 'to'")
    if (filters.min_total is not None and filters.max_total is not None
            and filters.min_total > filters.max_total):
        raise InvalidInput("min_total must not be above max_total")


def order_detail(bo: Backoffice, order_id: str) -> Row:
    detail = bo.orders.order_detail(order_id)
    if detail is None:
        raise NotFound(f"there is no order {order_id}")
    key = detail.pop("invoice_blob_key", None)
    detail["invoice_url"] = (bo.blobs.signed_url(bo.config.container_invoices, key,
                                                 bo.config.sas_ttl_seconds) if key else None)
    return detail


def ship(bo: Backoffice, actor: str, order_id: str, tracking_number: str) -> Row:
    tracking = tracking_number.strip()
    if not tracking:
        raise InvalidInput("a tracking number is needed to ship")
    _transition(bo, actor, order_id, "order.ship",
                lambda: fulfilment.ship_order(bo.fulfilment, order_id, actor, tracking),
                {"tracking_number": tracking})
    return order_detail(bo, order_id)


def cancel(bo: Backoffice, actor: str, order_id: str, reason: str) -> Row:
    return _transition(bo, actor, order_id, "order.cancel",
                       lambda: fulfilment.cancel_order(bo.fulfilment, order_id, actor,
                                                       reason.strip()),
                       {"reason": reason.strip()})


def refund(bo: Backoffice, actor: str, order_id: str, reason: str) -> Row:
    return _transition(bo, actor, order_id, "order.refund",
                       lambda: fulfilment.refund_order(bo.fulfilment, order_id, actor,
                                                       reason.strip()),
                       {"reason": reason.strip()})


def deliver(bo: Backoffice, actor: str, order_id: str) -> Row:
    return _transition(bo, actor, order_id, "order.deliver",
                       lambda: fulfilment.deliver_order(bo.fulfilment, order_id, actor), {})


def _transition(bo: Backoffice, actor: str, order_id: str, action: str,
                change: Callable[[], Order], extra: Row) -> Row:
    """Run a fulfilment transition (it commits its own transaction, stock and payment
    included), then record it in the audit log."""
    try:
        before = bo.orders.order_detail(order_id)
        if before is None:
            raise NotFound(f"there is no order {order_id}")
        order = change()
    except fulfilment.OrderNotFound as exc:
        raise NotFound(str(exc)) from None
    except IllegalTransition as exc:
        raise Conflict(str(exc)) from None
    with bo.uows() as uow:
        uow.audit.record(actor, action, "order", order_id, {"status": before["status"]},
                         {"status": order.status.value, **extra})
        uow.commit()
    return order_detail(bo, order_id)


def add_note(bo: Backoffice, actor: str, order_id: str, text: str) -> Row:
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidInput(f"a note needs between 1 and {MAX_NOTE} characters")
    with bo.uows() as uow:
        if not uow.notes.order_exists(order_id):
            raise NotFound(f"there is no order {order_id}")
        note = uow.notes.add(order_id, actor, text)
        uow.audit.record(actor, "order.note", "order", order_id, None, {"note": text})
        uow.commit()
    return note
