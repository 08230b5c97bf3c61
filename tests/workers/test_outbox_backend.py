"""Enqueueing a task writes an outbox row in the caller's transaction and sends it to the
Azure Storage queue only after that transaction commits."""

from __future__ import annotations

import base64
import json

import pytest
from django.db import transaction
from django.tasks import task

from workers.models import OutboxMessage
from workers.queues import queue_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite]


@task(queue_name="notifications")
def remember_task(*, note: str) -> None:
    """Only enqueued here, never run."""


def _drain(queue: str) -> list[dict]:
    client = queue_client(queue)
    bodies = []
    for message in client.receive_messages(messages_per_page=32, visibility_timeout=1):
        bodies.append(json.loads(message.content))
        client.delete_message(message)
    return bodies


def test_a_task_enqueued_in_a_transaction_is_sent_once_after_commit(azurite):
    _drain("notifications")

    with transaction.atomic():
        result = remember_task.enqueue(note="hola")
        row = OutboxMessage.objects.get()
        assert row.published_at is None
        assert _drain("notifications") == []

    row.refresh_from_db()
    assert row.published_at is not None
    assert _drain("notifications") == [{
        "v": 1, "id": result.id, "task": "tests.workers.test_outbox_backend.remember_task",
        "kwargs": {"note": "hola"}, "args": []}]


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(azurite):
    _drain("notifications")

    with pytest.raises(RuntimeError), transaction.atomic():
        remember_task.enqueue(note="never")
        raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert _drain("notifications") == []


def test_the_queue_message_is_base64_as_the_functions_trigger_expects(azurite):
    _drain("notifications")
    remember_task.enqueue(note="b64")

    raw = queue_service_raw_peek("notifications")
    assert json.loads(base64.b64decode(raw))["kwargs"] == {"note": "b64"}


def queue_service_raw_peek(queue: str) -> str:
    from django.conf import settings

    from workers.queues import queue_service

    plain = queue_service().get_queue_client(settings.QUEUES[queue])
    return plain.peek_messages(max_messages=1)[0].content


def test_a_request_sends_its_tasks_once_the_response_has_gone(azurite):
    """The send waits for the end of the request, so the shopper never waits on the queue."""
    from django.core.signals import request_finished

    from workers import backend

    _drain("notifications")
    seen_during_request = []

    def view_like() -> None:
        remember_task.enqueue(note="after the response")
        seen_during_request.append(OutboxMessage.objects.get().published_at)

    backend.hold_until_response()
    view_like()
    assert seen_during_request == [None]
    assert _drain("notifications") == []

    request_finished.send(sender=None)

    assert OutboxMessage.objects.get().published_at is not None
    assert [m["kwargs"] for m in _drain("notifications")] == [{"note": "after the response"}]
