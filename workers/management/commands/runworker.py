"""`manage.py runworker [--processes N] [--concurrency C] [--once]`: the local Functions host."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workers.host import Host
from workers.processes import start_helpers, stop_helpers, stop_on_signals
from workers.queues import ensure_queues
from workers.timers import TIMERS, run_timer

logger = logging.getLogger("workers.host")


class Command(BaseCommand):
    help = ("Run the queue tasks and the timers, as the Function App does on Azure. "
            "SIGTERM or Ctrl-C finish the messages in hand and stop.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--processes", type=int, default=settings.WORKER["PROCESSES"],
                            help="processes sharing the queues; the first runs the timers")
        parser.add_argument("--concurrency", type=int, default=settings.WORKER["CONCURRENCY"],
                            help="messages run at once per process")
        parser.add_argument("--once", action="store_true",
                            help="sweep the outbox, run what the queues hold, then exit")

    def handle(self, *args: object, processes: int, concurrency: int, once: bool,
               **options: object) -> None:
        if not 1 <= processes <= 16:
            raise CommandError("--processes must be between 1 and 16")
        if not 1 <= concurrency <= 64:
            raise CommandError("--concurrency must be between 1 and 64")
        _ensure_local_queues()
        if once:
            run_timer("outbox-sweep")
            Host(queue_names=settings.QUEUES, concurrency=concurrency).drain()
            return
        self._serve(processes, concurrency)

    def _serve(self, processes: int, concurrency: int) -> None:
        stop = threading.Event()
        stop_on_signals(stop)
        logger.info("worker: queues %s; %d process(es) of concurrency %d; timers %s",
                    ", ".join(settings.QUEUES), processes, concurrency,
                    ", ".join(timer.name for timer in TIMERS))
        helpers = start_helpers(processes - 1, concurrency)
        try:
            Host(queue_names=settings.QUEUES, timers=TIMERS, concurrency=concurrency,
                 name="worker-0").run(stop)
        finally:
            stop_helpers(helpers)


def _ensure_local_queues() -> None:
    """Locally (Azurite) the worker creates its queues and the blob containers it writes to, as
    Bicep does on Azure; if Azurite is not up yet, the host says so and polls until it is."""
    if not settings.IS_LOCAL:
        return
    from shop.notifications.storage import ensure_containers

    try:
        ensure_queues()
        ensure_containers()
    except Exception as exc:
        logger.warning("could not create the queues now: %s", type(exc).__name__)
