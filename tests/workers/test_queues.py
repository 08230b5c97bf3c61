"""workers.queues against a real Azurite: what the host relies on (receive, retry, delete,
poison) and what the backoffice Jobs page uses (depth, peek, retry and discard from poison)."""

from __future__ import annotations

import base64
import uuid

import pytest

from tests.conftest import poll
from workers import queues

pytestmark = pytest.mark.azurite


@pytest.fixture
def queue_name(azurite) -> str:  # type: ignore[no-untyped-def]
    name = f"q-{uuid.uuid4().hex[:10]}"
    queues.queue_service().create_queue(name)
    queues.queue_service().create_queue(name + queues.POISON_SUFFIX)
    return name


def test_a_sent_message_is_received_once_with_its_body_and_dequeue_count_one(queue_name):
    queues.send(queue_name, '{"order_id": "ñandú-1"}'.encode())

    [message] = queues.receive(queue_name, 16, 30)

    assert message.body == '{"order_id": "ñandú-1"}'.encode()
    assert message.dequeue_count == 1
    assert queues.receive(queue_name, 16, 30) == []


def test_messages_travel_base64_encoded_as_the_functions_trigger_expects(queue_name):
    queues.send(queue_name, b"hola")

    [raw] = queues.queue_service().get_queue_client(queue_name).peek_messages(max_messages=1)

    assert base64.b64decode(raw.content) == b"hola"


def test_receive_takes_at_most_one_page_of_the_requested_size(queue_name):
    for i in range(20):
        queues.send(queue_name, str(i).encode())

    first = queues.receive(queue_name, 16, 30)
    second = queues.receive(queue_name, 16, 30)

    assert (len(first), len(second)) == (16, 4)
    assert sorted(int(m.body) for m in first + second) == list(range(20))


def test_a_message_retried_later_comes_back_with_a_higher_dequeue_count(queue_name):
    queues.send(queue_name, b"retry me")
    [first] = queues.receive(queue_name, 16, visibility_timeout=30)

    queues.retry_later(first, 1)

    [again] = poll(lambda: queues.receive(queue_name, 16, 30), 10, "the retried message")
    assert (again.id, again.body, again.dequeue_count) == (first.id, b"retry me", 2)


def test_an_undeleted_message_comes_back_after_its_visibility_timeout(queue_name):
    queues.send(queue_name, b"crashed on")
    [first] = queues.receive(queue_name, 16, visibility_timeout=1)
    assert queues.receive(queue_name, 16, 30) == []

    [again] = poll(lambda: queues.receive(queue_name, 16, 30), 10, "the message to come back")

    assert (again.id, again.dequeue_count) == (first.id, 2)


def test_a_deleted_message_never_comes_back(queue_name):
    queues.send(queue_name, b"done")
    [message] = queues.receive(queue_name, 16, visibility_timeout=1)

    queues.delete(message)

    assert queues.depth(queue_name) == 0
    assert queues.peek(queue_name) == []


def test_move_to_poison_keeps_the_body_in_the_poison_queue_only(queue_name):
    queues.send(queue_name, b"bad")
    [message] = queues.receive(queue_name, 16, 30)

    queues.move_to_poison(message)

    assert queues.depth(queue_name) == 0
    assert [m.body for m in queues.peek(queues.poison_name(queue_name))] == [b"bad"]


def test_peek_leaves_messages_visible_and_retry_of_an_unknown_id_is_false(queue_name):
    queues.send(queue_name, b"look")

    assert [m.body for m in queues.peek(queue_name)] == [b"look"]
    assert [m.body for m in queues.receive(queue_name, 16, 30)] == [b"look"]
    assert queues.poison_retry(queue_name, "no-such-id") is False


def test_a_message_that_is_not_base64_is_received_as_its_text_for_the_runner_to_refuse(
        queue_name):
    queues.queue_service().get_queue_client(queue_name).send_message("not base64 {!}")

    [message] = queues.receive(queue_name, 1, visibility_timeout=30)

    assert (message.body, message.dequeue_count) == (b"not base64 {!}", 1)
    queues.delete(message)
    assert queues.depth(queue_name) == 0
