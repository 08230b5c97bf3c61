"""What the jobs page reads from the database: timer runs and the outbox backlog."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from tienda.adapters.db.backoffice.common import plain
from tienda.adapters.db.tables import outbox, timer_runs
from tienda.service_layer.backoffice.ports import Row


class SqlJobReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def timer_runs(self) -> list[Row]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(timer_runs).order_by(timer_runs.c.name)).mappings()
            return [plain(row) for row in rows]

    def outbox_backlog(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox)
                                    .where(outbox.c.published_at.is_(None))).scalar_one())
