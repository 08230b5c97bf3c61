"""The local counterpart of the Functions host, behind `manage.py runworker`.

Per queue it receives batches of WORKER["BATCH_SIZE"] hidden for VISIBILITY_TIMEOUT, runs each
message on a thread pool of CONCURRENCY threads, deletes it on success, and on failure makes it
visible again after RETRY_DELAY_SECONDS, or moves it to `<queue>-poison` once it has been
dequeued MAX_DEQUEUE_COUNT times. Like the Functions runtime, a queue gets its next batch once
fewer than half a batch of its messages are still in hand (newBatchThreshold). Timers run on a
thread of their own, so a long ETL run holds back no confirmation."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.db import connections

from workers import queues
from workers.runner import run_message
from workers.timers import Timer, run_timer

logger = logging.getLogger(__name__)
Runner = Callable[..., str]


class Host:
    def __init__(self, *, queue_names: Iterable[str], timers: Iterable[Timer] = (),
                 concurrency: int | None = None, runner: Runner = run_message,
                 name: str = "worker") -> None:
        self.options = dict(settings.WORKER)
        self.queue_names = list(queue_names)
        self.timers = list(timers)
        self.concurrency = concurrency or self.options["CONCURRENCY"]
        self.runner = runner
        self.name = name
        self.processed = 0
        self.failed = 0
        self._counts = threading.Lock()  # the message threads count concurrently
        self._unreachable: set[str] = set()
        now = time.monotonic()
        self._next_run = {t.name: now if t.at_start else now + t.every_seconds()
                          for t in self.timers}
        self._running_timers: Future[None] | None = None

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set; the messages in hand are finished before it returns."""
        in_hand: dict[str, set[Future[None]]] = {q: set() for q in self.queue_names}
        logger.info("%s started", self.name)
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="message") as pool, \
                ThreadPoolExecutor(1, thread_name_prefix="timer") as timer_thread:
            while not stop.is_set():
                received = self._fill(pool, in_hand)
                self._run_due_timers(timer_thread)
                if not received:
                    self._idle(stop, set().union(*in_hand.values()))
            wait(set().union(*in_hand.values()))
            close_connections_in(pool, self.concurrency)
            close_connections_in(timer_thread, 1)
        logger.info("%s stopped: %d processed, %d failed", self.name, self.processed,
                    self.failed)

    def drain(self) -> None:
        """Run what the queues hold now, until every queue answers empty (`--once`)."""
        in_hand: dict[str, set[Future[None]]] = {q: set() for q in self.queue_names}
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="message") as pool:
            while self._fill(pool, in_hand):
                wait(set().union(*in_hand.values()))
            close_connections_in(pool, self.concurrency)

    def _fill(self, pool: ThreadPoolExecutor, in_hand: dict[str, set[Future[None]]]) -> bool:
        received = False
        threshold = self.options["BATCH_SIZE"] // 2
        for queue, pending in in_hand.items():
            pending -= {future for future in pending if future.done()}
            if len(pending) <= threshold:
                messages = self._receive(queue)
                pending |= {pool.submit(self._process, message) for message in messages}
                received |= bool(messages)
        return received

    def _idle(self, stop: threading.Event, in_hand: set[Future[None]]) -> None:
        """Until a message in hand is done (room for more) or the poll interval passes."""
        seconds = float(self.options["IDLE_POLL_SECONDS"])
        if in_hand:
            wait(in_hand, seconds, FIRST_COMPLETED)
        else:
            stop.wait(seconds)

    def _receive(self, queue: str) -> list[queues.Received]:
        """A batch, or none while the queue is unreachable (said once, not at every poll)."""
        try:
            batch = queues.receive(queue, self.options["BATCH_SIZE"],
                                   self.options["VISIBILITY_TIMEOUT"])
        except Exception as exc:
            if queue not in self._unreachable:
                self._unreachable.add(queue)
                logger.warning("%s: queue %s unreachable: %s", self.name, queue,
                               type(exc).__name__)
            return []
        if queue in self._unreachable:
            self._unreachable.discard(queue)
            logger.info("%s: queue %s reachable again", self.name, queue)
        return batch

    def _process(self, message: queues.Received) -> None:
        try:
            self.runner(queue=message.queue, body=message.body, message_id=message.id,
                        dequeue_count=message.dequeue_count)
        except Exception as exc:
            with self._counts:
                self.failed += 1
            self._fail(message, exc)
            return
        with self._counts:
            self.processed += 1
        try:
            queues.delete(message)
        except Exception as exc:  # it comes back after the visibility timeout: the inbox says done
            logger.warning("%s %s done but not deleted: %s", message.queue, message.id, exc)

    def _fail(self, message: queues.Received, exc: Exception) -> None:
        attempts, limit = message.dequeue_count, self.options["MAX_DEQUEUE_COUNT"]
        logger.warning("%s %s failed (attempt %d of %d): %s: %s", message.queue, message.id,
                       attempts, limit, type(exc).__name__, exc,
                       exc_info=attempts >= limit)
        try:
            if attempts >= limit:
                queues.move_to_poison(message)
                logger.error("%s %s moved to %s", message.queue, message.id,
                             queues.poison_name(message.queue))
            else:
                queues.retry_later(message, self.options["RETRY_DELAY_SECONDS"])
        except Exception as queue_error:  # the visibility timeout brings it back anyway
            logger.warning("could not reschedule %s: %s", message.id, queue_error)

    def _run_due_timers(self, timer_thread: ThreadPoolExecutor) -> None:
        if self._running_timers is not None and not self._running_timers.done():
            return
        now = time.monotonic()
        due = [timer for timer in self.timers if now >= self._next_run[timer.name]]
        for timer in due:
            self._next_run[timer.name] = now + timer.every_seconds()
        if due:
            self._running_timers = timer_thread.submit(self._run_timers, due)

    @staticmethod
    def _run_timers(due: list[Timer]) -> None:
        for timer in due:
            run_timer(timer.name)


def close_connections_in(pool: ThreadPoolExecutor, threads: int) -> None:
    """Close each pool thread's database connections before the threads go (CONN_MAX_AGE
    keeps them open otherwise, and a database cannot be dropped while they are). The barrier
    makes every one of the `threads` threads take exactly one of the calls."""
    barrier = threading.Barrier(threads, timeout=10)

    def close() -> None:
        connections.close_all()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    wait([pool.submit(close) for _ in range(threads)])


def watch_parent(parent_pid: int, stop: threading.Event, every_seconds: float = 0.5) -> None:
    """Set `stop` once `parent_pid` is gone (even by SIGKILL: this process is reparented)."""
    def watch() -> None:
        while not stop.wait(every_seconds):
            if os.getppid() != parent_pid:
                logger.warning("the first worker process is gone; stopping")
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
