"""`manage.py runworker --processes N`: the first process runs the timers and N-1 spawned
helper processes share the queues with it. Helpers stop with the first one: when it tells them
(SIGTERM) or when it is gone without a word (SIGKILL), which they notice by being reparented."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.process import BaseProcess

logger = logging.getLogger(__name__)
HELPER_STOP_SECONDS = 60


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT finish the messages in hand and exit cleanly (no traceback)."""
    def handle(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def start_helpers(count: int, concurrency: int) -> list[BaseProcess]:
    context = multiprocessing.get_context("spawn")
    helpers = [context.Process(target=helper_main, args=(os.getpid(), concurrency, f"worker-{n}"),
                               name=f"worker-{n}") for n in range(1, count + 1)]
    for helper in helpers:
        helper.start()
    return helpers


def stop_helpers(helpers: list[BaseProcess]) -> None:
    for helper in helpers:
        if helper.is_alive():
            helper.terminate()  # SIGTERM: they finish what they hold
    for helper in helpers:
        helper.join(HELPER_STOP_SECONDS)
        if helper.is_alive():
            logger.error("%s did not stop in %ds; killing it", helper.name, HELPER_STOP_SECONDS)
            helper.kill()
            helper.join()


def helper_main(parent_pid: int, concurrency: int, name: str) -> None:
    """A helper process: its own Django, the queues, no timers."""
    stop = threading.Event()
    stop_on_signals(stop)  # first: a SIGTERM during start-up still stops it cleanly
    import django

    django.setup()
    from django.conf import settings

    from workers.host import Host, watch_parent

    watch_parent(parent_pid, stop)
    Host(queue_names=settings.QUEUES, concurrency=concurrency, name=name).run(stop)
