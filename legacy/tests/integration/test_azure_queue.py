"""The queue adapter against a real Azurite."""

from __future__ import annotations

import base64
import time
import uuid

import pytest
from azure.storage.queue import QueueClient

from tienda.adapters.azure_clients import queue_service
from tienda.adapters.queues.azure_queue import AzureQueues
from tienda.config import load_settings
from tienda.service_layer.ports import ReceivedMessage

pytestmark = pytest.mark.azurite


@pytest.fixture
def queues(azurite) -> AzureQueues:
    adapter = AzureQueues(queue_service(load_settings(
        storage_connection_string=azurite.connection_string)))
    return adapter


@pytest.fixture
def queue_name(queues: AzureQueues) -> str:
    name = f"q-{uuid.uuid4().hex[:10]}"
    queues.ensure([name])
    return name


def receive_within(queues: AzureQueues, queue: str, seconds: float, visibility: int = 30
                   ) -> list[ReceivedMessage]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = queues.receive(queue, 16, visibility)
        if messages:
            return messages
        time.sleep(0.1)
    return []


def test_a_sent_message_is_received_once_with_its_text_and_dequeue_count_one(queues, queue_name):
    queues.send(queue_name, '{"order_id": "ñandú-1"}')

    [message] = queues.receive(queue_name, 16, 30)

    assert message.body == '{"order_id": "ñandú-1"}'
    assert message.dequeue_count == 1
    assert queues.receive(queue_name, 16, 30) == []


def test_messages_travel_base64_encoded_as_the_functions_trigger_expects(azurite, queues,
                                                                         queue_name):
    queues.send(queue_name, "hola")
    raw = QueueClient.from_connection_string(azurite.connection_string, queue_name)

    [message] = list(raw.receive_messages(messages_per_page=1, max_messages=1))

    assert base64.b64decode(message.content) == b"hola"


def test_receive_takes_at_most_one_page_of_the_requested_size(queues, queue_name):
    for i in range(20):
        queues.send(queue_name, str(i))

    first = queues.receive(queue_name, 16, 30)
    second = queues.receive(queue_name, 16, 30)

    assert len(first) == 16
    assert len(second) == 4
    assert sorted(int(m.body) for m in first + second) == list(range(20))


def test_an_undeleted_message_comes_back_after_its_visibility_timeout(queues, queue_name):
    queues.send(queue_name, "retry me")
    [first] = queues.receive(queue_name, 16, visibility_timeout=1)
    assert queues.receive(queue_name, 16, 30) == []

    [again] = receive_within(queues, queue_name, seconds=10)

    assert again.body == "retry me"
    assert again.dequeue_count == 2
    assert again.id == first.id


def test_a_deleted_message_never_comes_back(queues, queue_name):
    queues.send(queue_name, "done")
    [message] = queues.receive(queue_name, 16, visibility_timeout=1)

    queues.delete(message)

    assert receive_within(queues, queue_name, seconds=2.5) == []
    assert queues.depth(queue_name) == 0


def test_move_to_poison_keeps_the_body_in_the_poison_queue_only(queues, queue_name):
    queues.send(queue_name, "bad")
    [message] = queues.receive(queue_name, 16, 30)

    queues.move_to_poison(message)

    assert queues.depth(queue_name) == 0
    [poisoned] = queues.receive(queue_name + "-poison", 16, 30)
    assert poisoned.body == "bad"
