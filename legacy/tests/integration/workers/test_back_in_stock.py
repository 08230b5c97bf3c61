"""Back-in-stock e-mails: a shopper asks on a sold-out product page, stock comes back by any
path, the timer queues one e-mail, the notifications handler sends it once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.builders import make_shop
from tests.integration.storefront.helpers import csrf, shop_client
from tienda.adapters.db.stock_admin import set_available
from tienda.adapters.db.tables import attribute_labels, stock_subscriptions, variants
from tienda.adapters.mail.capture import read_mailbox
from tienda.entrypoints.workers.handlers import handle_notification, send_back_in_stock_alerts
from tienda.service_layer.back_in_stock import notify_back_in_stock

pytestmark = pytest.mark.azurite


@pytest.fixture
def mailbox(smtp_capture):
    return smtp_capture[1]


@pytest.fixture
def sold_out_tee(settings, smtp_capture):
    """A shop whose only T-shirt (red, M) is sold out, mailing into the capture."""
    from tienda.bootstrap import bootstrap

    app = bootstrap(settings.model_copy(update={"smtp_port": smtp_capture[0]}))
    app.ensure_storage()
    make_shop(app.engine, {"TEE-M": 0})
    with app.engine.begin() as conn:
        conn.execute(sa.update(variants).values(attributes={"color": "Rojo", "size": "M"}))
        conn.execute(attribute_labels.insert().values(attribute="color", value="Rojo",
                                                      locale="en", label="Red"))
    yield app
    app.close()


def ask_when_back(tienda, email: str, lang: str = "en") -> int:
    with shop_client(tienda, headers={"Accept-Language": lang}) as client:
        token = csrf(client, "/p/producto-1")
        answer = client.post("/p/producto-1/notify", headers={"X-CSRF-Token": token},
                             data={"sku": "TEE-M", "email": email})
    return answer.status_code


def send_queued_mail(tienda) -> list[str]:
    """Hand every waiting notification to the handler, as the worker does, then ack it."""
    queue, outcomes = tienda.settings.queue_notifications, []
    while messages := tienda.queues.receive(queue, 16, 30):
        for message in messages:
            outcomes.append(handle_notification(tienda, message.body))
            tienda.queues.delete(message)
    return outcomes


def test_stock_set_back_e_mails_the_subscriber_once(sold_out_tee, mailbox):
    tienda = sold_out_tee
    assert ask_when_back(tienda, "Ana@Example.com") == 200
    assert send_back_in_stock_alerts(tienda) == "queued 0 back-in-stock e-mails"

    set_available(tienda.engine, "TEE-M", 5, None, actor="cli")
    first = send_back_in_stock_alerts(tienda)
    sent = send_queued_mail(tienda)
    again = send_back_in_stock_alerts(tienda)
    sent_again = send_queued_mail(tienda)

    assert first == "queued 1 back-in-stock e-mails"
    assert sent == ["sent back_in_stock"]
    assert again == "queued 0 back-in-stock e-mails"
    assert sent_again == []
    [mail] = read_mailbox(mailbox)
    assert mail.to == "ana@example.com"
    assert mail.subject == "T-shirt TEE-M is back in stock"
    assert "Good news: T-shirt TEE-M (Red / M) is back in stock." in mail.text()
    assert f"{tienda.settings.public_base_url}/p/producto-1?lang=en" in mail.text()


def test_asking_again_after_the_e_mail_arms_the_alert_again_in_the_new_language(
        sold_out_tee, mailbox):
    tienda = sold_out_tee
    ask_when_back(tienda, "ana@example.com")
    ask_when_back(tienda, "ana@example.com")
    set_available(tienda.engine, "TEE-M", 1, None, actor="cli")
    send_back_in_stock_alerts(tienda)
    set_available(tienda.engine, "TEE-M", 0, None, actor="cli")

    ask_when_back(tienda, "ana@example.com", lang="es")
    set_available(tienda.engine, "TEE-M", 3, None, actor="cli")
    queued = send_back_in_stock_alerts(tienda)
    sent = send_queued_mail(tienda)

    assert queued == "queued 1 back-in-stock e-mails"
    assert sent == ["sent back_in_stock", "sent back_in_stock"]
    assert sorted(m.subject for m in read_mailbox(mailbox)) == [
        "T-shirt TEE-M is back in stock", "Ya tenemos Camiseta TEE-M"]
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(stock_subscriptions)
                            .where(stock_subscriptions.c.notified_at.is_(None))).scalar() == 0


class BothRunsSeeTheAlert:
    """Holds each run after it has read the due alerts until the other has too, so both
    try to send the same alert."""

    def __init__(self, alerts, runs: int) -> None:
        self._alerts, self._barrier = alerts, threading.Barrier(runs, timeout=30)

    def due(self, limit):
        found = self._alerts.due(limit)
        self._barrier.wait()
        return found

    def mark_sent(self, *args):
        return self._alerts.mark_sent(*args)


def test_two_runs_at_once_send_one_e_mail(sold_out_tee, mailbox):
    tienda = sold_out_tee
    ask_when_back(tienda, "ana@example.com")
    set_available(tienda.engine, "TEE-M", 5, None, actor="cli")
    alerts = BothRunsSeeTheAlert(tienda.stock_alerts, runs=2)
    labels = tienda.catalog.attribute_labels()

    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(notify_back_in_stock, alerts, labels, tienda.relay, tienda.policy)
                for _ in range(2)]
        queued = sorted(run.result() for run in runs)
    sent = send_queued_mail(tienda)

    assert queued == [0, 1]
    assert sent == ["sent back_in_stock"]
    assert len(read_mailbox(mailbox)) == 1
