"""The message runner: the allow-list, the inbox, and failures left to the queue."""

from __future__ import annotations

import uuid

import pytest

from tests.workers.helpers import an_envelope
from tests.workers.tasks import runs
from workers.models import ProcessedMessage
from workers.runner import MalformedMessage, run_message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_tasks_allowed")]
AUDITED = "tests.workers.tasks.audited_task"


def run(body: bytes | str, queue: str = "notifications") -> str:
    return run_message(queue=queue, body=body, message_id="q-1", dequeue_count=1)


def test_an_allowed_task_runs_and_its_envelope_id_is_recorded_in_the_inbox():
    message_id = str(uuid.uuid4())

    outcome = run(an_envelope(AUDITED, message_id=message_id, key="k1"))

    assert outcome == "done"
    assert runs("k1") == 1
    assert list(ProcessedMessage.objects.values_list("task", "message_id")) == [
        (AUDITED, uuid.UUID(message_id))]


def test_a_redelivered_message_does_nothing_the_second_time():
    body = an_envelope(AUDITED, key="k2")
    run(body)

    outcome = run(body.decode())

    assert outcome == "duplicate"
    assert runs("k2") == 1
    assert ProcessedMessage.objects.count() == 1


@pytest.mark.parametrize(("body", "reason"), [
    (b"\xff\xfe not json", "not JSON"),
    (b"[1, 2]", "not a version 1 task envelope"),
    (b'{"v": 2, "id": "x", "task": "t", "args": [], "kwargs": {}}',
     "not a version 1 task envelope"),
    (b'{"v": 1, "task": "tests.workers.tasks.audited_task", "args": [], "kwargs": {}}',
     "field 'id' missing or not a str"),
    (b'{"v": 1, "id": "m-1", "task": "tests.workers.tasks.audited_task", "args": [],'
     b' "kwargs": {}}', "id 'm-1' is not a UUID"),
    (b'{"v": 1, "id": "9f1b7c56-2d1e-4f35-9a8e-6b2b3a1c0d4e", "task": "x", "args": {},'
     b' "kwargs": {}}', "field 'args' missing or not a list"),
])
def test_a_malformed_body_is_refused_and_nothing_is_written(body, reason):
    with pytest.raises(MalformedMessage, match=reason):
        run(body)

    assert ProcessedMessage.objects.count() == 0
    assert runs() == 0


@pytest.mark.parametrize(("task", "reason"), [
    ("os.system", "task 'os.system' is not in an allowed module"),
    ("shop.orders.services.order_confirm",
     "task 'shop.orders.services.order_confirm' is not in an allowed module"),
    ("tests.workers.tasks.missing_task", "task 'tests.workers.tasks.missing_task' does not exist"),
    ("tests.workers.tasks.NOT_A_TASK", "'tests.workers.tasks.NOT_A_TASK' is not a task"),
    ("tests.workers.tasks.confirmation_queue_task",
     "belongs to queue 'order-confirmation', not 'notifications'"),
])
def test_only_a_task_of_an_allowed_module_and_of_this_queue_runs(task, reason):
    with pytest.raises(MalformedMessage, match=reason):
        run(an_envelope(task, key="nope"))

    assert ProcessedMessage.objects.count() == 0
    assert runs() == 0


def test_a_failing_task_leaves_no_trace_so_the_retry_runs_it_again():
    body = an_envelope("tests.workers.tasks.audited_then_failing_task", key="k3")

    with pytest.raises(RuntimeError, match="task for k3 failed on purpose"):
        run(body)

    assert ProcessedMessage.objects.count() == 0
    assert runs("k3") == 0
    with pytest.raises(RuntimeError):
        run(body)


SELF_COMMITTING = "tests.workers.tasks.self_committing_task"


def test_a_task_that_commits_its_own_work_is_recorded_in_the_inbox_after_it_returns():
    body = an_envelope(SELF_COMMITTING, key="k4")

    outcomes = [run(body), run(body)]

    assert outcomes == ["done", "duplicate"]
    assert runs("k4") == 1
    assert ProcessedMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_self_committing_task_keeps_what_it_committed_when_it_fails_and_runs_again():
    body = an_envelope(SELF_COMMITTING, key="k5", fail=True)

    for _ in range(2):
        with pytest.raises(RuntimeError, match="failed after committing"):
            run(body)

    assert runs("k5") == 2  # not rolled back: the task itself must skip what it did
    assert ProcessedMessage.objects.count() == 0
