"""The local host against a real Azurite: retries, the poison queue, the inbox, the timers."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from tests.conftest import poll
from tests.workers.helpers import an_envelope, running_host
from tests.workers.tasks import runs
from workers import queues
from workers.models import OutboxMessage, ProcessedMessage, TimerRun
from workers.runner import run_message
from workers.timers import timer_named

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite,
              pytest.mark.usefixtures("test_tasks_allowed", "fast_worker", "empty_queues")]


def test_a_malformed_message_reaches_the_poison_queue_after_five_attempts_harming_nothing():
    attempts: Counter[str] = Counter()
    lock = threading.Lock()

    def counting(**message: object) -> str:
        with lock:
            attempts[str(message["queue"])] += 1
        return run_message(**message)  # type: ignore[arg-type]

    queues.send("order-confirmation", b'{"message_id": "m-1", "order": "oops"}')
    with running_host(runner=counting):
        poll(lambda: queues.depth(queues.poison_name("order-confirmation")) == 1, 30,
             "the poison queue")

    [poisoned] = queues.receive(queues.poison_name("order-confirmation"), 16, 30)
    assert poisoned.body == b'{"message_id": "m-1", "order": "oops"}'
    assert attempts == Counter({"order-confirmation": 5})
    assert queues.depth("order-confirmation") == 0
    assert ProcessedMessage.objects.count() == 0
    assert runs() == 0


def test_a_failing_task_is_retried_until_poisoned_and_leaves_nothing_written():
    body = an_envelope("tests.workers.tasks.audited_then_failing_task", key="f1")
    queues.send("notifications", body)

    with running_host():
        poll(lambda: queues.depth(queues.poison_name("notifications")) == 1, 30,
             "the poison queue")

    assert [m.body for m in queues.peek(queues.poison_name("notifications"))] == [body]
    assert runs("f1") == 0
    assert ProcessedMessage.objects.count() == 0


def test_a_message_delivered_twice_runs_once_and_both_copies_are_deleted():
    body = an_envelope("tests.workers.tasks.audited_task", key="twice")
    queues.send("notifications", body)
    queues.send("notifications", body)

    with running_host() as host:
        poll(lambda: host.processed == 2, 30, "both deliveries")

    assert runs("twice") == 1
    assert ProcessedMessage.objects.count() == 1
    assert queues.depth("notifications") == 0


def test_a_poisoned_message_retried_from_the_poison_queue_runs_once():
    body = an_envelope("tests.workers.tasks.audited_task", key="redriven")
    queues.queue_client(queues.poison_name("notifications")).send_message(body)
    [poisoned] = queues.peek(queues.poison_name("notifications"))

    assert queues.poison_retry("notifications", poisoned.id) is True
    with running_host() as host:
        poll(lambda: host.processed == 1, 30, "the re-driven message")

    assert runs("redriven") == 1
    assert queues.depth(queues.poison_name("notifications")) == 0
    assert queues.poison_discard("notifications", poisoned.id) is False


def test_a_discarded_poison_message_is_gone_and_the_others_stay():
    poison = queues.queue_client(queues.poison_name("notifications"))
    for n in range(3):
        poison.send_message(f"bad {n}".encode())
    second = queues.peek(queues.poison_name("notifications"))[1]

    assert queues.poison_discard("notifications", second.id) is True

    left = poll(lambda: sorted(m.body for m in queues.peek(queues.poison_name("notifications")))
                if queues.depth(queues.poison_name("notifications")) == 2
                and len(queues.peek(queues.poison_name("notifications"))) == 2 else None,
                30, "the other two poison messages to be visible again")
    assert left == [b"bad 0", b"bad 2"]


def test_the_outbox_sweep_timer_sends_unsent_rows_oldest_first_and_records_its_run():
    rows = [OutboxMessage.objects.create(queue="notifications",
                                         task="tests.workers.tasks.audited_task",
                                         payload={"args": [], "kwargs": {"key": f"s{n}"}})
            for n in range(3)]

    with running_host(timers=(timer_named("outbox-sweep"),)) as host:
        poll(lambda: host.processed == 3, 30, "the swept messages to run")

    assert [runs(f"s{n}") for n in range(3)] == [1, 1, 1]
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 0
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 1]
    sweep = TimerRun.objects.get(name="outbox-sweep")
    assert sweep.last_error is None
    assert sweep.last_finished_at >= sweep.last_started_at >= rows[-1].created_at
