"""Order administration SQL: filtered lists, the detail with its timeline, notes, CSV rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, select

from tienda.adapters.db.backoffice.common import like, order_by, page_of, plain
from tienda.adapters.db.repositories import utcnow
from tienda.adapters.db.tables import order_events, order_lines, order_notes, orders, payments
from tienda.service_layer.backoffice.ports import OrderFilters, Page, PageRequest, Row

SORTS = {"placed_at": orders.c.placed_at, "total": orders.c.total_minor,
         "number": orders.c.number, "status": orders.c.status, "email": orders.c.email}
EXPORT_LIMIT = 100_000
_LIST_COLUMNS = (orders.c.id, orders.c.number, orders.c.email, orders.c.customer_id,
                 orders.c.status, orders.c.currency, orders.c.total_minor, orders.c.placed_at,
                 orders.c.updated_at, orders.c.tracking_number, orders.c.shipping_method)
_HIDDEN = {"access_token_hash", "idempotency_key"}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _filtered(filters: OrderFilters) -> Select[Any]:
    query = select(*_LIST_COLUMNS)
    if filters.status:
        query = query.where(orders.c.status == filters.status)
    if filters.date_from:
        query = query.where(orders.c.placed_at >= _midnight(filters.date_from))
    if filters.date_to:
        query = query.where(orders.c.placed_at < _midnight(filters.date_to + timedelta(days=1)))
    if filters.customer:
        query = query.where(func.lower(orders.c.email).like(like(filters.customer),
                                                            escape="\\"))
    if filters.min_total is not None:
        query = query.where(orders.c.total_minor >= filters.min_total)
    if filters.max_total is not None:
        query = query.where(orders.c.total_minor <= filters.max_total)
    return query


class SqlOrderReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def orders(self, filters: OrderFilters, page: PageRequest) -> Page:
        with self._engine.connect() as conn:
            return page_of(conn, _filtered(filters), page,
                           order_by(page.sort, SORTS, "-placed_at"), orders.c.id)

    def export(self, filters: OrderFilters, sort: str | None) -> Iterator[Row]:
        query = (_filtered(filters).order_by(*order_by(sort, SORTS, "-placed_at"), orders.c.id)
                 .limit(EXPORT_LIMIT))
        return self._stream(query)

    def _stream(self, query: Select[Any]) -> Iterator[Row]:
        with self._engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                yield plain(row)

    def order_detail(self, order_id: str) -> Row | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
            if row is None:
                return None
            detail = {k: v for k, v in plain(row).items() if k not in _HIDDEN}
            detail["lines"] = _rows(conn, select(order_lines).where(
                order_lines.c.order_id == order_id).order_by(order_lines.c.id))
            detail["timeline"] = _rows(conn, select(order_events).where(
                order_events.c.order_id == order_id).order_by(order_events.c.id))
            detail["notes"] = _rows(conn, select(order_notes).where(
                order_notes.c.order_id == order_id).order_by(order_notes.c.id))
            payment = conn.execute(select(payments).where(payments.c.order_id == order_id))
            found = payment.mappings().first()
            detail["payment"] = plain(found) if found else None
            return detail


def _rows(conn: Connection, query: Select[Any]) -> list[Row]:
    return [plain(r) for r in conn.execute(query).mappings()]


class SqlOrderNotes:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def order_exists(self, order_id: str) -> bool:
        return self._conn.execute(select(orders.c.id).where(orders.c.id == order_id)
                                  ).first() is not None

    def add(self, order_id: str, author: str, text: str) -> Row:
        result = self._conn.execute(order_notes.insert().values(
            order_id=order_id, author=author, text=text, created_at=utcnow()))
        assert result.inserted_primary_key is not None
        row = self._conn.execute(select(order_notes).where(
            order_notes.c.id == result.inserted_primary_key[0])).mappings().one()
        return plain(row)
