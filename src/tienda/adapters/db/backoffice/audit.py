"""The audit log: every backoffice write, with who, when, what, before and after."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Connection, Engine, select

from tienda.adapters.db.backoffice.common import jsonable, like, order_by, page_of
from tienda.adapters.db.repositories import as_utc, utcnow
from tienda.adapters.db.tables import audit_log
from tienda.service_layer.backoffice.ports import AuditFilters, Page, PageRequest, Row

SORTS = {"created_at": audit_log.c.created_at, "actor": audit_log.c.actor,
         "entity": audit_log.c.entity, "action": audit_log.c.action}


class SqlAuditRecorder:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, actor: str, action: str, entity: str, entity_id: str,
               before: Row | None, after: Row | None) -> None:
        self._conn.execute(audit_log.insert().values(
            actor=actor, action=action, entity=entity, entity_id=entity_id,
            before=jsonable(before), after=jsonable(after), created_at=utcnow()))

    def last_change(self, entity: str, entity_id: str) -> tuple[str, datetime] | None:
        row = self._conn.execute(
            select(audit_log.c.actor, audit_log.c.created_at)
            .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.id.desc()).limit(1)).first()
        return (row.actor, as_utc(row.created_at)) if row else None


class SqlAuditReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def entries(self, filters: AuditFilters, page: PageRequest) -> Page:
        query = select(audit_log)
        if filters.actor:
            query = query.where(audit_log.c.actor.ilike(like(filters.actor), escape="\\"))
        if filters.entity:
            query = query.where(audit_log.c.entity == filters.entity)
        if filters.action:
            query = query.where(audit_log.c.action == filters.action)
        if filters.date_from:
            query = query.where(audit_log.c.created_at
                                >= datetime.combine(filters.date_from, time(), UTC))
        if filters.date_to:
            query = query.where(audit_log.c.created_at < datetime.combine(
                filters.date_to + timedelta(days=1), time(), UTC))
        with self._engine.connect() as conn:
            return page_of(conn, query, page, order_by(page.sort, SORTS, "-created_at"),
                           audit_log.c.id.desc())
