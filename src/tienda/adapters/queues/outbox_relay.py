"""The outbox relay: moves committed outbox rows onto their queues.

Publishing happens right after the commit that wrote the row, and a periodic sweep picks up
whatever that missed (queue down, process killed). A row can be published twice when both
race; the handlers are idempotent, so that costs a duplicate message, never a duplicate effect.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Select, bindparam, func, select

from tienda.adapters.db.tables import outbox
from tienda.service_layer.ports import QueuePublisher

_UNPUBLISHED = (select(outbox.c.id, outbox.c.queue, outbox.c.payload)
                .where(outbox.c.published_at.is_(None)).order_by(outbox.c.id))
_BY_MESSAGE_ID = _UNPUBLISHED.where(outbox.c.message_id.in_(bindparam("ids", expanding=True)))
_OLDEST = _UNPUBLISHED.limit(bindparam("limit"))
_MARK_PUBLISHED = (outbox.update().where(outbox.c.id.in_(bindparam("ids", expanding=True)))
                   .values(published_at=bindparam("at"), attempts=outbox.c.attempts + 1))


class SqlOutboxRelay:
    def __init__(self, engine: Engine, publisher: QueuePublisher) -> None:
        self._engine = engine
        self._publisher = publisher

    def publish(self, message_ids: list[str]) -> int:
        if not message_ids:
            return 0
        return self._send(_BY_MESSAGE_ID, {"ids": message_ids})

    def publish_pending(self, limit: int) -> int:
        return self._send(_OLDEST, {"limit": limit})

    def backlog(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox)
                                    .where(outbox.c.published_at.is_(None))).scalar_one())

    def _send(self, query: Select[Any], params: dict[str, object]) -> int:
        with self._engine.connect() as conn:
            rows = conn.execute(query, params).all()
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
                conn.execute(_MARK_PUBLISHED, {"ids": ids, "at": datetime.now(UTC)})
