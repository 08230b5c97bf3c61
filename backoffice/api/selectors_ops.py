"""Reads for the operations side of the staff API: orders, customers, stock, the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, QuerySet, Sum

from backoffice.api.base import Page, ordered, paged
from shop.audit.models import AuditEntry
from shop.catalog.models import Variant
from shop.core.errors import NotFound, ShopError
from shop.customers.models import Address, Customer
from shop.inventory.models import StockLevel, StockMovement
from shop.orders.models import Order
from shop.orders.selectors import order_detail, order_invoice_url

ORDER_SORTS = {"placed_at": "placed_at", "total": "total_minor", "number": "number",
               "status": "status", "email": "email"}
ORDER_ROW = ("id", "number", "email", "customer_id", "status", "currency", "total_minor",
             "placed_at", "updated_at", "tracking_number", "shipping_method")
CSV_COLUMNS = ("number", "placed_at", "status", "email", "customer_id", "currency",
               "total_minor", "shipping_method", "tracking_number", "id")
EXPORT_LIMIT = 100_000
CUSTOMER_SORTS = {"created_at": "created_at", "email": "email", "name": "name"}
STOCK_SORTS = {"sku": "variant__sku", "available": "available", "on_hand": "on_hand",
               "warehouse": "warehouse__code"}
LEDGER_SORTS = {"created_at": "created_at"}
AUDIT_SORTS = {"created_at": "created_at", "actor": "actor", "entity": "entity",
               "action": "action"}
LOW_STOCK = 5
RECENT_ORDERS = 20


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _dates(rows: QuerySet[Any], column: str, start: date | None, end: date | None
           ) -> QuerySet[Any]:
    if start and end and start > end:
        raise ShopError("'from' must not be after 'to'")
    if start:
        rows = rows.filter(**{f"{column}__gte": _midnight(start)})
    if end:
        rows = rows.filter(**{f"{column}__lt": _midnight(end + timedelta(days=1))})
    return rows


# --- orders ------------------------------------------------------------------------------------

def _orders(filters: dict[str, Any]) -> QuerySet[Order]:
    low, high = filters.get("min_total"), filters.get("max_total")
    if low is not None and high is not None and low > high:
        raise ShopError("min_total must not be above max_total")
    rows = _dates(Order.objects.all(), "placed_at", filters.get("from"), filters.get("to"))
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("customer"):
        rows = rows.filter(email__icontains=filters["customer"])
    if low is not None:
        rows = rows.filter(total_minor__gte=low)
    if high is not None:
        rows = rows.filter(total_minor__lte=high)
    return rows


def orders_page(*, filters: dict[str, Any], page: Page) -> dict[str, Any]:
    rows = ordered(_orders(filters), page.sort, ORDER_SORTS, "-placed_at", "id")
    return paged(rows.values(*ORDER_ROW), page, _order_row)


def _order_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": str(row["id"])}


def orders_export(*, filters: dict[str, Any], sort: str | None) -> Iterator[dict[str, Any]]:
    """At most EXPORT_LIMIT rows, read in chunks. The sort is checked now (a 422 before any
    byte is streamed); the rows are read as the response is written."""
    rows = ordered(_orders(filters), sort, ORDER_SORTS, "-placed_at", "id")
    return (_order_row(row) for row in
            rows.values(*CSV_COLUMNS)[:EXPORT_LIMIT].iterator(chunk_size=1000))


def order_detail_row(*, order_id: Any) -> dict[str, Any]:
    order = order_detail(order_id=order_id)
    return {
        **{name: getattr(order, name) for name in (
            "number", "email", "customer_id", "status", "channel", "locale", "currency",
            "subtotal_minor", "discount_minor", "shipping_minor", "tax_minor", "total_minor",
            "shipping_method", "shipping_address", "tracking_number", "placed_at",
            "updated_at")},
        "id": str(order.pk),
        "lines": list(order.lines.order_by("id").values(
            "id", "variant_id", "sku", "product_name", "quantity", "unit_price_minor",
            "total_minor")),
        "timeline": list(order.events.order_by("created_at", "id").values(
            "status_from", "status_to", "actor", "note", "created_at")),
        "notes": list(order.notes.order_by("created_at", "id").values(
            "id", "author", "text", "created_at")),
        "payment": _payment(order),
        "invoice_url": order_invoice_url(order=order),
    }


def _payment(order: Order) -> dict[str, Any] | None:
    try:
        payment = order.payment
    except ObjectDoesNotExist:
        return None
    return {name: getattr(payment, name) for name in
            ("provider", "reference", "status", "amount_minor", "currency")}


# --- customers ---------------------------------------------------------------------------------

CUSTOMER_ROW = ("id", "email", "name", "locale", "marketing_consent", "consent_changed_at",
                "created_at")


def customers_page(*, q: str | None, page: Page) -> dict[str, Any]:
    rows = Customer.objects.annotate(order_count=Count("orders"))
    if q:
        rows = rows.filter(Q(email__icontains=q) | Q(name__icontains=q))
    rows = ordered(rows, page.sort, CUSTOMER_SORTS, "-created_at", "-id")
    return paged(rows.values(*CUSTOMER_ROW, "order_count"), page, dict)


def customer_detail(*, customer_id: int) -> dict[str, Any]:
    customer = Customer.objects.filter(pk=customer_id).values(*CUSTOMER_ROW).first()
    if customer is None:
        raise NotFound(f"there is no customer {customer_id}")
    orders = Order.objects.filter(customer_id=customer_id)
    spent = orders.exclude(status__in=("cancelled", "refunded")).aggregate(
        count=Count("id"), total=Sum("total_minor"))
    addresses = list(Address.objects.filter(customer_id=customer_id).order_by("id").values(
        "id", "name", "line1", "line2", "city", "postal_code", "country"))
    for index, address in enumerate(addresses):
        address["is_default"] = index == 0  # the first saved address is the one checkout offers
    recent = orders.order_by("-placed_at").values(
        "id", "number", "status", "total_minor", "currency", "placed_at")[:RECENT_ORDERS]
    return {**customer, "addresses": addresses,
            "orders_summary": {"count": spent["count"], "total_spent_minor": spent["total"] or 0},
            "orders": [_order_row(row) for row in recent]}


# --- stock -------------------------------------------------------------------------------------

def _levels() -> QuerySet[StockLevel]:
    return StockLevel.objects.annotate(available=F("on_hand") - F("reserved")).values(
        "variant_id", "on_hand", "reserved", "available", "updated_at",
        sku=F("variant__sku"), product_id=F("variant__product_id"),
        product=F("variant__product__name_es"), warehouse_code=F("warehouse__code"))


def _stock_row(row: dict[str, Any]) -> dict[str, Any]:
    # `warehouse` is a field of the model, so the code is annotated under another name.
    row["warehouse"] = row.pop("warehouse_code")
    return row


def stock_page(*, q: str | None, warehouse: str | None, low_only: bool, page: Page
               ) -> dict[str, Any]:
    rows = _levels()
    if q:
        rows = rows.filter(Q(variant__sku__icontains=q) | Q(variant__product__name_es__icontains=q))
    if warehouse:
        rows = rows.filter(warehouse__code=warehouse)
    if low_only:
        rows = rows.filter(available__lte=LOW_STOCK)
    rows = ordered(rows, page.sort, STOCK_SORTS, "sku", "warehouse__code")
    return paged(rows, page, _stock_row)


def stock_row(*, sku: str, warehouse: str) -> dict[str, Any]:
    return _stock_row(dict(_levels().get(variant__sku=sku, warehouse__code=warehouse)))


def ledger_page(*, sku: str, page: Page) -> dict[str, Any]:
    if not Variant.objects.filter(sku=sku).exists():
        raise NotFound(f"there is no SKU {sku!r}")
    rows = StockMovement.objects.filter(variant__sku=sku).values(
        "id", "kind", "on_hand_delta", "reserved_delta", "reason", "order_id", "actor",
        "created_at", warehouse_code=F("warehouse__code"))
    rows = ordered(rows, page.sort, LEDGER_SORTS, "-created_at", "-id")
    return paged(rows, page, _ledger_row)


def _ledger_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "warehouse": row.pop("warehouse_code"),
            "order_id": str(row["order_id"]) if row["order_id"] else None}


# --- audit -------------------------------------------------------------------------------------

def audit_page(*, filters: dict[str, Any], page: Page) -> dict[str, Any]:
    rows = _dates(AuditEntry.objects.all(), "created_at", filters.get("from"),
                  filters.get("to"))
    if filters.get("actor"):
        rows = rows.filter(actor__icontains=filters["actor"])
    if filters.get("entity"):
        rows = rows.filter(entity=filters["entity"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    rows = ordered(rows, page.sort, AUDIT_SORTS, "-created_at", "-id")
    return paged(rows.values("id", "actor", "action", "entity", "entity_id", "before", "after",
                             "created_at"), page, dict)
