"""Azure Storage queues (Azurite locally): clients, and messages as base64 text, which is what
the Functions queue trigger expects by default."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
from dataclasses import dataclass

from azure.core.pipeline.transport import RequestsTransport
from azure.storage.queue import (
    BinaryBase64DecodePolicy,
    BinaryBase64EncodePolicy,
    LinearRetry,
    QueueClient,
    QueueServiceClient,
)
from django.conf import settings


def _transport() -> RequestsTransport:
    # No proxy discovery from the environment on every call (it had been a fifth of a send's
    # CPU); fail fast instead of hanging a request on a dead endpoint.
    import requests

    session = requests.Session()
    session.trust_env = False
    return RequestsTransport(session=session, connection_timeout=3, read_timeout=20)


@functools.cache
def queue_service() -> QueueServiceClient:
    # One quick retry, not the SDK's default of three after 15 s or more: a send happens after
    # a checkout commits, in the customer's request, and the outbox sweep is the real retry.
    options = {"transport": _transport(),
               "retry_policy": LinearRetry(backoff=0.5, random_jitter_range=0.25, retry_total=1)}
    if settings.STORAGE_CONNECTION_STRING:
        return QueueServiceClient.from_connection_string(settings.STORAGE_CONNECTION_STRING,
                                                         **options)
    from shop.settings.storage import managed_identity

    url = f"https://{settings.STORAGE_ACCOUNT_NAME}.queue.core.windows.net"
    return QueueServiceClient(url, credential=managed_identity(settings.STORAGE_CLIENT_ID),
                              **options)


class LenientBase64DecodePolicy(BinaryBase64DecodePolicy):
    """Base64 as we send it; a body that is not base64 (not sent by us) comes back as its text
    for the runner to refuse and the queue to poison. The SDK's policy raises instead, which
    would fail every receive of the page holding it until the message expired."""

    def decode(self, content: str, response) -> bytes:  # type: ignore[no-untyped-def]
        try:
            return base64.b64decode(content.encode(), validate=True)
        except (binascii.Error, ValueError):
            return content.encode()


@functools.cache
def queue_client(name: str) -> QueueClient:
    """`name` is a logical queue (settings.QUEUES key) or a physical name such as `x-poison`."""
    physical = settings.QUEUES.get(name, name)
    client = queue_service().get_queue_client(physical)
    client._message_encode_policy = BinaryBase64EncodePolicy()
    client._message_decode_policy = LenientBase64DecodePolicy()
    return client


def send(name: str, body: bytes) -> None:
    queue_client(name).send_message(body)


def ensure_queues() -> None:
    """Local and test environments create what Bicep provisions on Azure."""
    from azure.core.exceptions import ResourceExistsError

    for physical in settings.QUEUES.values():
        for queue in (physical, f"{physical}-poison"):
            with contextlib.suppress(ResourceExistsError):
                queue_service().create_queue(queue)


# --- receiving, retrying and poison (the local host and the backoffice Jobs page) ------------

POISON_SUFFIX = "-poison"
# The most messages one receive or peek may return (a limit of the Storage Queue service).
MAX_PAGE = 32
TAKE_VISIBILITY_SECONDS = 5


@dataclass(frozen=True)
class Received:
    """A message taken from a queue and hidden for the visibility timeout."""

    queue: str
    id: str
    pop_receipt: str
    dequeue_count: int
    body: bytes


def poison_name(name: str) -> str:
    return settings.QUEUES.get(name, name) + POISON_SUFFIX


def receive(name: str, max_messages: int, visibility_timeout: int) -> list[Received]:
    """One page of up to `max_messages` (≤ 32)."""
    count = min(max_messages, MAX_PAGE)
    pages = queue_client(name).receive_messages(
        messages_per_page=count, max_messages=count, visibility_timeout=visibility_timeout)
    return [Received(name, m.id, m.pop_receipt or "", m.dequeue_count or 0, m.content or b"")
            for m in pages]


def delete(message: Received) -> None:
    queue_client(message.queue).delete_message(message.id, message.pop_receipt)


def retry_later(message: Received, seconds: int) -> None:
    queue_client(message.queue).update_message(message.id, message.pop_receipt,
                                               visibility_timeout=seconds)


def move_to_poison(message: Received) -> None:
    """Send first, delete second: a failure in between duplicates, never loses, a message."""
    queue_client(poison_name(message.queue)).send_message(message.body)
    delete(message)


def depth(name: str) -> int:
    return queue_client(name).get_queue_properties().approximate_message_count or 0


def peek(name: str, max_messages: int = MAX_PAGE) -> list[Received]:
    """Up to 32 messages at the head of the queue, left visible (no pop receipt)."""
    peeked = queue_client(name).peek_messages(max_messages=min(max_messages, MAX_PAGE))
    return [Received(name, m.id, "", m.dequeue_count or 0, m.content or b"") for m in peeked]


def take(name: str, message_id: str) -> Received | None:
    """The message with this id, hidden for a short while. Messages seen on the way are hidden
    for that short while too (that is how the queue pages), then come back by themselves."""
    for _page in range(100):  # a bound: a poison queue is read by people, not drained here
        batch = receive(name, MAX_PAGE, visibility_timeout=TAKE_VISIBILITY_SECONDS)
        if not batch:
            return None
        for message in batch:
            if message.id == message_id:
                return message
    return None


def poison_retry(name: str, message_id: str) -> bool:
    """Put a poisoned message back on its queue (send first, then delete from poison)."""
    message = take(poison_name(name), message_id)
    if message is None:
        return False
    queue_client(name).send_message(message.body)
    delete(message)
    return True


def poison_discard(name: str, message_id: str) -> bool:
    message = take(poison_name(name), message_id)
    if message is None:
        return False
    delete(message)
    return True
