"""When each timer (and the worker's heartbeat) last ran, for the backoffice jobs page."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tienda.adapters.db.tables import timer_runs


def record_timer_run(engine: Engine, name: str, started: datetime, error: str | None) -> None:
    values = {"last_started_at": started, "last_finished_at": datetime.now(UTC),
              "last_error": error}
    with engine.begin() as conn:
        if not conn.execute(timer_runs.update().where(timer_runs.c.name == name)
                            .values(**values)).rowcount:
            conn.execute(timer_runs.insert().values(name=name, **values))


def timer_history(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(timer_runs).order_by(timer_runs.c.name)).mappings()
        return [dict(row) for row in rows]
