"""The backoffice's unit of work: one transaction, its repositories, and the audit log in it,
so a change and its audit entry commit together or not at all."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from tienda.adapters.db.backoffice.audit import SqlAuditRecorder
from tienda.adapters.db.backoffice.catalog import SqlCatalogRepository
from tienda.adapters.db.backoffice.inventory import SqlInventoryRepository
from tienda.adapters.db.backoffice.orders import SqlOrderNotes
from tienda.adapters.db.backoffice.staff import SqlSessionRepository, SqlStaffRepository
from tienda.service_layer.backoffice.ports import (
    AuditRecorder,
    CatalogRepository,
    InventoryRepository,
    OrderNotes,
    SessionRepository,
    StaffRepository,
)


class SqlBackofficeUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        conn = self._connection = self._engine.connect()
        self._transaction = conn.begin()
        self.audit: AuditRecorder = SqlAuditRecorder(conn)
        self.staff: StaffRepository = SqlStaffRepository(conn)
        self.sessions: SessionRepository = SqlSessionRepository(conn)
        self.catalog: CatalogRepository = SqlCatalogRepository(conn)
        self.inventory: InventoryRepository = SqlInventoryRepository(conn)
        self.notes: OrderNotes = SqlOrderNotes(conn)
        return self

    def commit(self) -> None:
        assert self._transaction is not None
        self._transaction.commit()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
        if self._connection is not None:
            self._connection.close()


class SqlBackofficeUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> SqlBackofficeUnitOfWork:
        return SqlBackofficeUnitOfWork(self._engine)
