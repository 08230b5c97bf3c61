"""The outbox relay: moves committed outbox rows onto their queues.

Publishing happens right after the commit that wrote the row, and a periodic sweep picks up
whatever that missed (queue down, process killed). A row can be published twice when both
race; the handlers are idempotent, so that costs a duplicate message, never a duplicate effect.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from tienda.adapters.db.tables import outbox
from tienda.service_layer.ports import QueuePublisher


class SqlOutboxRelay:
    def __init__(self, engine: Engine, publisher: QueuePublisher) -> None:
        self._engine = engine
        self._publisher = publisher

    def publish(self, message_ids: list[str]) -> int:
        if not message_ids:
            return 0
        query = (select(outbox.c.id, outbox.c.queue, outbox.c.payload)
                 .where(outbox.c.message_id.in_(message_ids), outbox.c.published_at.is_(None))
                 .order_by(outbox.c.id))
        return self._send(query)

    def publish_pending(self, limit: int) -> int:
        query = (select(outbox.c.id, outbox.c.queue, outbox.c.payload)
                 .where(outbox.c.published_at.is_(None)).order_by(outbox.c.id).limit(limit))
        return self._send(query)

    def backlog(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox)
                                    .where(outbox.c.published_at.is_(None))).scalar_one())

    def _send(self, query: object) -> int:
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()  # type: ignore[call-overload]
        sent: list[int] = []
        try:
            for row in rows:
                self._publisher.send(row.queue, row.payload)
                sent.append(row.id)
        finally:
            self._mark_published(sent)
        return len(sent)

    def _mark_published(self, ids: list[int]) -> None:
        if ids:
            with self._engine.begin() as conn:
                conn.execute(outbox.update().where(outbox.c.id.in_(ids))
                             .values(published_at=datetime.now(UTC),
                                     attempts=outbox.c.attempts + 1))
