"""A placed order's confirmation reaches the Azure Storage queue once the checkout commits
(the legacy test read the queue; the outbox sends after commit, so this runs with real
transactions and Azurite)."""

from __future__ import annotations

import json

import pytest

from tests.storefront.shopping.builders import checkout_body, make_shop
from workers.queues import queue_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite]


def _drain(queue: str) -> list[dict]:
    client = queue_client(queue)
    bodies = []
    for message in client.receive_messages(messages_per_page=32, visibility_timeout=5):
        bodies.append(json.loads(message.content))
        client.delete_message(message)
    return bodies


def test_a_checkout_sends_one_confirmation_message_after_commit(api, azurite):
    _drain("order-confirmation")
    make_shop({"TEE-M": 3})
    cart = api.post("/api/v1/carts").json()
    auth = {"X-Cart-Token": cart["token"], "Idempotency-Key": "queue-1"}
    api.post(f"/api/v1/carts/{cart['id']}/lines", {"sku": "TEE-M", "quantity": 1}, auth)

    first = api.post(f"/api/v1/carts/{cart['id']}/checkout", checkout_body(), auth)
    replay = api.post(f"/api/v1/carts/{cart['id']}/checkout", checkout_body(), auth)

    assert (first.status_code, replay.status_code) == (201, 201)
    [message] = _drain("order-confirmation")
    assert message["task"] == "shop.orders.tasks.confirm_order_task"
    assert message["kwargs"] == {"order_id": first.json()["order_id"]}
