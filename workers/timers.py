"""The timers, shared by `manage.py runworker` (intervals from settings.WORKER) and the Function
App (NCRONTAB schedules). Each run is recorded in `TimerRun`; a failure is logged and recorded,
never raised, so one broken timer stops nothing else.

Jobs are dotted paths imported when the timer fires: a job another part of the code base does
not provide yet fails that timer alone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from workers.models import TimerRun
from workers.runner import tidy_connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timer:
    name: str
    job: str  # dotted path of a callable taking no arguments
    interval_setting: str | None  # key of settings.WORKER; None: every HEARTBEAT_SECONDS
    schedule: str | None  # six-field NCRONTAB on Azure; None: local only
    at_start: bool = False  # the local host also runs it as soon as it starts

    def every_seconds(self) -> float:
        if self.interval_setting is None:
            return HEARTBEAT_SECONDS
        return float(settings.WORKER[self.interval_setting])


HEARTBEAT_SECONDS = 5
OUTBOX_SWEEP_LIMIT = 500
TIMERS = (
    Timer("outbox-sweep", "workers.timers.outbox_sweep", "OUTBOX_SWEEP_SECONDS",
          "*/30 * * * * *", at_start=True),
    Timer("pending-orders", "shop.orders.services.orders_cancel_stale",
          "PENDING_ORDER_SWEEP_SECONDS", "0 * * * * *"),
    Timer("back-in-stock", "shop.inventory.back_in_stock.back_in_stock_alerts_send",
          "BACK_IN_STOCK_INTERVAL_SECONDS", "0 * * * * *"),
    Timer("low-stock-digest", "shop.inventory.low_stock.low_stock_digest_send",
          "LOW_STOCK_DIGEST_INTERVAL_SECONDS", "0 0 7 * * *"),
    Timer("campaigns-due", "shop.campaigns.services.campaigns_start_due",
          "CAMPAIGNS_DUE_SECONDS", "0 * * * * *"),
    Timer("warehouse-etl", "workers.timers.warehouse_etl", "ETL_INTERVAL_SECONDS",
          "0 */5 * * * *"),
    Timer("worker-heartbeat", "workers.timers.heartbeat", None, None, at_start=True),
)


def timer_named(name: str) -> Timer:
    return next(timer for timer in TIMERS if timer.name == name)


def run_timer(name: str) -> object:
    """Run one timer's job and record the run; returns the job's result, or None on failure."""
    timer = timer_named(name)
    tidy_connections()
    started, result, error = timezone.now(), None, None
    try:
        job: Callable[[], object] = import_string(timer.job)
        result = job()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        logger.error("timer %s failed: %s", name, error, exc_info=not isinstance(exc, ImportError))
    _record(name, started, error)
    # Quiet when there was nothing to do: an operator acts on work done, not on ticks.
    if error is None and result and name != "worker-heartbeat":
        logger.info("timer %s: %s", name, result)
    tidy_connections()
    return result


def _record(name: str, started, error: str | None) -> None:  # type: ignore[no-untyped-def]
    try:
        TimerRun.objects.update_or_create(name=name, defaults={
            "last_started_at": started, "last_finished_at": timezone.now(),
            "last_error": error})
    except Exception as exc:  # the database being down is what the next run will say
        logger.warning("timer %s: could not record the run: %s", name, exc)


# --- jobs that live here ---------------------------------------------------------------------

def outbox_sweep() -> int:
    from workers.backend import publish_pending

    return publish_pending(OUTBOX_SWEEP_LIMIT)


def warehouse_etl() -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("etl_run", stdout=out, stderr=out)
    except SystemExit as exc:  # a command that exits instead of raising CommandError
        raise RuntimeError(f"etl_run exited with {exc.code}: {out.getvalue()[-500:]}") from None
    return "etl run finished"


def heartbeat() -> str:
    return "alive"
