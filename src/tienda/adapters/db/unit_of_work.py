"""The SQL unit of work: one connection, one transaction, the repositories over it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from tienda.adapters.db.repositories import (
    SqlCartRepository,
    SqlOrderRepository,
    SqlOutbox,
    SqlPaymentRepository,
    SqlProcessedMessages,
    SqlStockRepository,
    SqlVariantRepository,
)
from tienda.service_layer.ports import (
    CartRepository,
    OrderRepository,
    Outbox,
    PaymentRepository,
    ProcessedMessages,
    StockRepository,
    VariantRepository,
)


class SqlTransactionScope:
    """One connection and one transaction: rolled back on exit unless committed."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    def _begin(self) -> Connection:
        conn = self._connection = self._engine.connect()
        self._transaction = conn.begin()
        return conn

    def commit(self) -> None:
        assert self._transaction is not None
        self._transaction.commit()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
        if self._connection is not None:
            self._connection.close()


class SqlUnitOfWork(SqlTransactionScope):
    def __enter__(self) -> Self:
        conn = self._begin()
        self.carts: CartRepository = SqlCartRepository(conn)
        self.variants: VariantRepository = SqlVariantRepository(conn)
        self.stock: StockRepository = SqlStockRepository(conn)
        self.orders: OrderRepository = SqlOrderRepository(conn)
        self.payments: PaymentRepository = SqlPaymentRepository(conn)
        self.outbox: Outbox = SqlOutbox(conn)
        self.processed: ProcessedMessages = SqlProcessedMessages(conn)
        return self


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._engine)
