"""The background work, one function per queue or timer. The local functions host and the
Azure Functions app (functions/function_app.py) call these same functions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tienda.adapters.db.timer_runs import record_timer_run
from tienda.bootstrap import Tienda
from tienda.config import Settings
from tienda.service_layer.back_in_stock import notify_back_in_stock
from tienda.service_layer.fulfilment import cancel_stale_pending, confirm_order
from tienda.service_layer.notifications import parse_message, send_notification

log = logging.getLogger("tienda.worker")

QueueHandler = Callable[[Tienda, str], str]


def handle_order_confirmation(tienda: Tienda, body: str) -> str:
    payload = parse_message(body, ("order_id",))
    return confirm_order(tienda.fulfilment, tienda.blobs, tienda.invoices, payload["order_id"])


def handle_notification(tienda: Tienda, body: str) -> str:
    return send_notification(tienda.uows, tienda.mailer, tienda.mail_renderer, tienda.policy,
                             body)


def sweep_outbox(tienda: Tienda) -> str:
    return f"published {tienda.relay.publish_pending(limit=500)}"


def cancel_stale_orders(tienda: Tienda) -> str:
    return f"cancelled {cancel_stale_pending(tienda.fulfilment)}"


def send_back_in_stock_alerts(tienda: Tienda) -> str:
    queued = notify_back_in_stock(tienda.stock_alerts, tienda.catalog.attribute_labels(),
                                  tienda.relay, tienda.policy)
    return f"queued {queued} back-in-stock e-mails"


def refresh_warehouse(tienda: Tienda) -> str:
    from tienda.entrypoints.analytics.etl import run_etl

    run = run_etl(tienda.settings)
    if run.status != "succeeded":
        raise RuntimeError(run.error or "the ETL run failed")
    return f"etl run {run.run_id}: {sum(run.rows.values())} rows"


def heartbeat(_tienda: Tienda) -> str:
    return "alive"


@dataclass(frozen=True)
class Timer:
    name: str
    every_seconds: float
    run: Callable[[Tienda], str]


def queue_handlers(settings: Settings) -> dict[str, QueueHandler]:
    return {
        settings.queue_order_confirmation: handle_order_confirmation,
        settings.queue_notifications: handle_notification,
    }


def timers(settings: Settings) -> list[Timer]:
    return [
        Timer("outbox-sweep", settings.outbox_sweep_seconds, sweep_outbox),
        Timer("pending-orders", settings.pending_order_sweep_seconds, cancel_stale_orders),
        Timer("warehouse-etl", settings.etl_interval_seconds, refresh_warehouse),
        Timer("back-in-stock", settings.back_in_stock_interval_seconds,
              send_back_in_stock_alerts),
        Timer("worker-heartbeat", 5, heartbeat),
    ]


def run_timer(tienda: Tienda, name: str, job: Callable[[Tienda], str]) -> None:
    """Run a timer job and record the run; a failure is logged, never raised."""
    started = datetime.now(UTC)
    error = None
    try:
        log.info("timer %s: %s", name, job(tienda))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.warning("timer %s failed: %s", name, error)
    try:
        record_timer_run(tienda.engine, name, started, error)
    except Exception as exc:
        log.warning("timer %s: could not record the run: %s", name, exc)
