"""The local functions host: what the Azure Functions runtime does for our queue and timer
triggers, on one machine. Batches of up to ``worker_batch_size`` per receive, a visibility
timeout while a message is processed, a retry after ``worker_retry_delay_seconds``, and the
``<queue>-poison`` queue once a message has failed ``worker_max_dequeue_count`` times."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait

from tienda.bootstrap import Tienda
from tienda.entrypoints.workers.handlers import QueueHandler, Timer, run_timer
from tienda.service_layer.ports import ReceivedMessage

log = logging.getLogger("tienda.worker")


class FunctionsHost:
    def __init__(self, tienda: Tienda, handlers: dict[str, QueueHandler],
                 timers: list[Timer]) -> None:
        self._tienda = tienda
        self._settings = tienda.settings
        self._handlers = handlers
        self._timers = timers
        self._next_run = dict.fromkeys((t.name for t in timers), 0.0)
        self.processed = 0
        self.failed = 0

    def run(self, stop: threading.Event) -> None:
        """Until ``stop`` is set; the batch in hand is finished before returning."""
        with ThreadPoolExecutor(self._settings.worker_concurrency,
                                thread_name_prefix="handler") as pool:
            while not stop.is_set():
                busy = False
                for queue, handler in self._handlers.items():
                    busy |= self._drain_once(pool, queue, handler)
                self._run_due_timers()
                if not busy:
                    stop.wait(self._settings.worker_idle_poll_seconds)
        log.info("worker stopped: %d processed, %d failed", self.processed, self.failed)

    def _drain_once(self, pool: ThreadPoolExecutor, queue: str, handler: QueueHandler) -> bool:
        try:
            messages = self._tienda.queues.receive(queue, self._settings.worker_batch_size,
                                                   self._settings.worker_visibility_timeout)
        except Exception as exc:
            log.warning("queue %s unreachable: %s", queue, type(exc).__name__)
            return False
        wait([pool.submit(self._process, handler, message) for message in messages])
        return bool(messages)

    def _process(self, handler: QueueHandler, message: ReceivedMessage) -> None:
        try:
            outcome = handler(self._tienda, message.body)
        except Exception as exc:
            self.failed += 1
            self._fail(message, exc)
            return
        self.processed += 1
        log.info("%s %s: %s", message.queue, message.id, outcome)
        self._tienda.queues.delete(message)

    def _fail(self, message: ReceivedMessage, exc: Exception) -> None:
        attempts, limit = message.dequeue_count, self._settings.worker_max_dequeue_count
        log.warning("%s %s failed (attempt %d of %d): %s: %s", message.queue, message.id,
                    attempts, limit, type(exc).__name__, exc)
        try:
            if attempts >= limit:
                self._tienda.queues.move_to_poison(message)
                log.error("%s %s moved to %s-poison", message.queue, message.id, message.queue)
            else:
                self._tienda.queues.retry_later(message,
                                                self._settings.worker_retry_delay_seconds)
        except Exception as queue_error:  # the visibility timeout brings it back anyway
            log.warning("could not reschedule %s: %s", message.id, queue_error)

    def _run_due_timers(self) -> None:
        now = time.monotonic()
        for timer in self._timers:
            if now >= self._next_run[timer.name]:
                self._next_run[timer.name] = now + timer.every_seconds
                run_timer(self._tienda, timer.name, timer.run)
