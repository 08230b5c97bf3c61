"""Chaos: a worker killed mid-confirmation, and Azurite down while customers check out. Real
checkouts (shop.checkout.services), real `manage.py runworker` processes, real Azurite and SMTP
capture."""

from __future__ import annotations

import signal
import time

import pytest

from shop.notifications.storage import ensure_containers
from tests.builders import ledger_matches_levels
from tests.conftest import poll
from tests.workers.builders import (
    a_stocked_variant,
    an_order,
    captures,
    invoice_blobs,
    mails_per_order,
    no_invoice_blobs,
    statuses,
)
from tests.workers.helpers import start_worker, stopping
from workers import queues
from workers.backend import outbox_backlog

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite,
              pytest.mark.usefixtures("empty_queues")]


def test_a_worker_killed_mid_confirmation_leaves_every_order_confirmed_once(mailbox):
    no_invoice_blobs()
    a_stocked_variant("TEE-M", 100)
    placed = [an_order("TEE-M", n) for n in range(30)]
    assert outbox_backlog() == 0

    with stopping(start_worker(TIENDA_WORKER_VISIBILITY_TIMEOUT="3")) as worker:
        poll(lambda: statuses()["confirmed"] >= 3, 120, "the first confirmations")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    interrupted = statuses()["confirmed"]
    with stopping(start_worker(TIENDA_WORKER_VISIBILITY_TIMEOUT="3")) as worker:
        poll(lambda: statuses()["confirmed"] == 30 and len(mailbox()) >= 30, 180,
             "every order confirmed and mailed")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    assert interrupted < 30
    assert mails_per_order(mailbox()) == {str(p.order.pk): 1 for p in placed}
    assert invoice_blobs() == sorted(f"{p.order.pk}.pdf" for p in placed)
    assert captures() == [1] * 30
    assert ledger_matches_levels()


def test_checkouts_succeed_while_azurite_is_down_and_confirm_once_it_is_back(
        empty_queues, mailbox):
    azurite = empty_queues
    a_stocked_variant("TEE-M", 10)
    azurite.stop()
    try:
        started = time.monotonic()
        placed = [an_order("TEE-M", n) for n in range(5)]

        # Each failed send costs one quick retry, not the SDK's default minute of backoff.
        assert time.monotonic() - started < 20
        assert statuses() == {"pending": 5}
        assert outbox_backlog() == 5
    finally:
        azurite.start()
        # An in-memory Azurite comes back empty, as a new storage account would.
        queues.ensure_queues()
        ensure_containers()
    with stopping(start_worker()) as worker:
        poll(lambda: statuses() == {"confirmed": 5} and len(mailbox()) == 5, 120,
             "confirmations after the outage")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    assert {p.created for p in placed} == {True}
    assert outbox_backlog() == 0
    assert mails_per_order(mailbox()) == {str(p.order.pk): 1 for p in placed}
