"""Azure Storage queues (Azurite locally): clients, and messages as base64 text, which is what
the Functions queue trigger expects by default."""

from __future__ import annotations

import contextlib
import functools

from azure.core.pipeline.transport import RequestsTransport
from azure.storage.queue import (
    BinaryBase64DecodePolicy,
    BinaryBase64EncodePolicy,
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
    options = {"transport": _transport(), "retry_total": 1}
    if settings.STORAGE_CONNECTION_STRING:
        return QueueServiceClient.from_connection_string(settings.STORAGE_CONNECTION_STRING,
                                                         **options)
    from shop.settings.storage import managed_identity

    url = f"https://{settings.STORAGE_ACCOUNT_NAME}.queue.core.windows.net"
    return QueueServiceClient(url, credential=managed_identity(settings.STORAGE_CLIENT_ID),
                              **options)


@functools.cache
def queue_client(name: str) -> QueueClient:
    """`name` is a logical queue (settings.QUEUES key) or a physical name such as `x-poison`."""
    physical = settings.QUEUES.get(name, name)
    client = queue_service().get_queue_client(physical)
    client._message_encode_policy = BinaryBase64EncodePolicy()
    client._message_decode_policy = BinaryBase64DecodePolicy()
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
