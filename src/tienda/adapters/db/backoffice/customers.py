"""Customer lookups for support: search, and the detail with orders, consent, addresses."""

from __future__ import annotations

from sqlalchemy import Engine, func, or_, select

from tienda.adapters.db.backoffice.common import like, order_by, page_of, plain
from tienda.adapters.db.tables import addresses, customers, orders
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row

SORTS = {"created_at": customers.c.created_at, "email": customers.c.email,
         "name": customers.c.name}
_COLUMNS = (customers.c.id, customers.c.email, customers.c.name, customers.c.locale,
            customers.c.marketing_consent, customers.c.consent_changed_at,
            customers.c.created_at)
RECENT_ORDERS = 20


class SqlCustomerReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def customers(self, q: str | None, page: PageRequest) -> Page:
        counts = (select(orders.c.customer_id, func.count().label("order_count"))
                  .group_by(orders.c.customer_id).subquery())
        query = (select(*_COLUMNS, func.coalesce(counts.c.order_count, 0).label("order_count"))
                 .outerjoin(counts, counts.c.customer_id == customers.c.id))
        if q:
            pattern = like(q)
            query = query.where(or_(func.lower(customers.c.email).like(pattern, escape="\\"),
                                    func.lower(customers.c.name).like(pattern, escape="\\")))
        with self._engine.connect() as conn:
            return page_of(conn, query, page, order_by(page.sort, SORTS, "-created_at"),
                           customers.c.id.desc())

    def customer_detail(self, customer_id: int) -> Row | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(*_COLUMNS).where(customers.c.id == customer_id))
            found = row.mappings().first()
            if found is None:
                return None
            detail = plain(found)
            detail["addresses"] = [plain(r) for r in conn.execute(
                select(addresses).where(addresses.c.customer_id == customer_id)
                .order_by(addresses.c.is_default.desc(), addresses.c.id)).mappings()]
            summary = conn.execute(
                select(func.count().label("count"),
                       func.coalesce(func.sum(orders.c.total_minor), 0).label("total_minor"))
                .where(orders.c.customer_id == customer_id,
                       orders.c.status.not_in(("cancelled", "refunded")))).one()
            detail["orders_summary"] = {"count": int(summary[0]),
                                        "total_spent_minor": int(summary.total_minor)}
            detail["orders"] = [plain(r) for r in conn.execute(
                select(orders.c.id, orders.c.number, orders.c.status, orders.c.total_minor,
                       orders.c.currency, orders.c.placed_at)
                .where(orders.c.customer_id == customer_id)
                .order_by(orders.c.placed_at.desc()).limit(RECENT_ORDERS)).mappings()]
            return detail
