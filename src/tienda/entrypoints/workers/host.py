"""The local functions host: what the Azure Functions runtime does for our queue and timer
triggers, on one machine. Batches of up to ``worker_batch_size`` per receive, a visibility
timeout while a message is processed, a retry after ``worker_retry_delay_seconds``, and the
``<queue>-poison`` queue once a message has failed ``worker_max_dequeue_count`` times."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

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
        self._running_timer: Future[None] | None = None
        self.processed = 0
        self.failed = 0

    def run(self, stop: threading.Event) -> None:
        """Until ``stop`` is set; the messages in hand are finished before returning.

        Like the Functions runtime, a queue gets its next batch once fewer than half a batch
        of its messages are still in hand (``newBatchThreshold``), so handlers never idle
        while a batch's slowest message finishes. Timers run on a thread of their own: a long
        ETL run does not hold back confirmations."""
        in_hand: dict[str, set[Future[None]]] = {queue: set() for queue in self._handlers}
        threshold = self._settings.worker_batch_size // 2
        with ThreadPoolExecutor(self._settings.worker_concurrency,
                                thread_name_prefix="handler") as pool, \
                ThreadPoolExecutor(1, thread_name_prefix="timer") as timer_thread:
            while not stop.is_set():
                received = False
                for queue, handler in self._handlers.items():
                    pending = in_hand[queue]
                    pending -= {future for future in pending if future.done()}
                    if len(pending) <= threshold:
                        messages = self._receive(queue)
                        pending |= {pool.submit(self._process, handler, message)
                                    for message in messages}
                        received |= bool(messages)
                self._run_due_timers(timer_thread)
                if not received:
                    self._idle(stop, set().union(*in_hand.values()))
            wait(set().union(*in_hand.values()))
        log.info("worker stopped: %d processed, %d failed", self.processed, self.failed)

    def _idle(self, stop: threading.Event, in_hand: set[Future[None]]) -> None:
        """Until a message in hand is done (room for more) or the poll interval passes."""
        if in_hand:
            wait(in_hand, self._settings.worker_idle_poll_seconds, FIRST_COMPLETED)
        else:
            stop.wait(self._settings.worker_idle_poll_seconds)

    def _receive(self, queue: str) -> list[ReceivedMessage]:
        try:
            return self._tienda.queues.receive(queue, self._settings.worker_batch_size,
                                               self._settings.worker_visibility_timeout)
        except Exception as exc:
            log.warning("queue %s unreachable: %s", queue, type(exc).__name__)
            return []

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

    def _run_due_timers(self, timer_thread: ThreadPoolExecutor) -> None:
        if self._running_timer is not None and not self._running_timer.done():
            return
        now = time.monotonic()
        due = [timer for timer in self._timers if now >= self._next_run[timer.name]]
        for timer in due:
            self._next_run[timer.name] = now + timer.every_seconds
        if due:
            self._running_timer = timer_thread.submit(self._run_timers, due)

    def _run_timers(self, due: list[Timer]) -> None:
        for timer in due:
            run_timer(self._tienda, timer.name, timer.run)
