"""The backoffice's unit of work: one transaction, its repositories, and the audit log in it,
so a change and its audit entry commit together or not at all."""

from __future__ import annotations

from typing import Self

from sqlalchemy import Engine

from tienda.adapters.db.backoffice.audit import SqlAuditRecorder
from tienda.adapters.db.backoffice.catalog import SqlCatalogRepository
from tienda.adapters.db.backoffice.inventory import SqlInventoryRepository
from tienda.adapters.db.backoffice.orders import SqlOrderNotes
from tienda.adapters.db.backoffice.staff import SqlSessionRepository, SqlStaffRepository
from tienda.adapters.db.unit_of_work import SqlTransactionScope
from tienda.service_layer.backoffice.ports import (
    AuditRecorder,
    CatalogRepository,
    InventoryRepository,
    OrderNotes,
    SessionRepository,
    StaffRepository,
)


class SqlBackofficeUnitOfWork(SqlTransactionScope):
    def __enter__(self) -> Self:
        conn = self._begin()
        self.audit: AuditRecorder = SqlAuditRecorder(conn)
        self.staff: StaffRepository = SqlStaffRepository(conn)
        self.sessions: SessionRepository = SqlSessionRepository(conn)
        self.catalog: CatalogRepository = SqlCatalogRepository(conn)
        self.inventory: InventoryRepository = SqlInventoryRepository(conn)
        self.notes: OrderNotes = SqlOrderNotes(conn)
        return self


class SqlBackofficeUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> SqlBackofficeUnitOfWork:
        return SqlBackofficeUnitOfWork(self._engine)
