"""Background confirmation and customer e-mail: once, whatever is redelivered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.builders import ledger_matches_levels, make_shop, stock_of
from tests.integration.checkout.helpers import place
from tienda.adapters.db.tables import sandbox_charges, stock_movements
from tienda.adapters.mail.capture import read_mailbox
from tienda.domain.orders import IllegalTransition
from tienda.entrypoints.workers.handlers import handle_notification, handle_order_confirmation
from tienda.service_layer import fulfilment
from tienda.service_layer.notifications import MalformedMessage

pytestmark = pytest.mark.azurite


@pytest.fixture
def mailing(settings, smtp_capture):
    port, directory = smtp_capture
    return settings.model_copy(update={"smtp_port": port}), directory


@pytest.fixture
def shop_tienda(mailing):
    from tienda.bootstrap import bootstrap

    settings, _ = mailing
    app = bootstrap(settings)
    app.ensure_storage()
    make_shop(app.engine, {"TEE-M": 5, "MUG-R": 3})
    yield app
    app.close()


def deliver_all(tienda, queue: str, handler, times: int = 1) -> list[str]:
    """Hand every waiting message to the handler ``times`` times (a redelivery), then ack."""
    outcomes = []
    for message in tienda.queues.receive(queue, 16, 30):
        outcomes += [handler(tienda, message.body) for _ in range(times)]
        tienda.queues.delete(message)
    return outcomes


def confirm_and_mail(tienda, times: int = 1) -> tuple[list[str], list[str]]:
    s = tienda.settings
    confirmed = deliver_all(tienda, s.queue_order_confirmation, handle_order_confirmation, times)
    mailed = deliver_all(tienda, s.queue_notifications, handle_notification, times)
    return confirmed, mailed


def captures(tienda) -> list[int]:
    with tienda.engine.connect() as conn:
        return conn.execute(sa.select(sandbox_charges.c.captures)).scalars().all()


def test_confirmation_captures_invoices_allocates_and_mails_the_customer(shop_tienda, mailing):
    tienda, (_, mailbox) = shop_tienda, mailing
    placed = place(tienda, {"TEE-M": 2, "MUG-R": 1})

    confirmed, mailed = confirm_and_mail(tienda)

    assert confirmed == ["confirmed"]
    assert mailed == ["sent order_confirmed"]
    with tienda.uows() as uow:
        order = uow.orders.get(placed.order_id)
    assert order.status.value == "confirmed"
    assert [e.status_to for e in order.events] == ["pending", "confirmed"]
    assert tienda.blobs.get(tienda.settings.container_invoices,
                            order.invoice_blob_key).startswith(b"%PDF")
    assert stock_of(tienda.engine, 1)[0] == (1, 3, 0)
    assert ledger_matches_levels(tienda.engine)
    assert captures(tienda) == [1]
    [mail] = read_mailbox(mailbox)
    assert mail.to == "ana@example.com"
    assert mail.subject == f"Pedido {placed.number} confirmado"
    assert f"/api/v1/orders/{placed.order_id}/invoice?access_token=" in mail.text()


def test_a_redelivered_confirmation_captures_once_and_mails_once(shop_tienda, mailing):
    tienda, (_, mailbox) = shop_tienda, mailing
    place(tienda, {"TEE-M": 1}, locale="en")

    confirmed, mailed = confirm_and_mail(tienda, times=3)

    assert confirmed == ["confirmed", "already handled", "already handled"]
    assert mailed == ["sent order_confirmed", "duplicate: already sent",
                      "duplicate: already sent"]
    assert captures(tienda) == [1]
    assert [m.subject.split()[0] for m in read_mailbox(mailbox)] == ["Order"]
    with tienda.engine.connect() as conn:
        shipments = conn.execute(sa.select(sa.func.count()).select_from(stock_movements)
                                 .where(stock_movements.c.kind == "shipment")).scalar()
    assert shipments == 1


def test_a_declined_capture_cancels_releases_stock_and_tells_the_customer(shop_tienda,
                                                                          mailing):
    tienda, (_, mailbox) = shop_tienda, mailing
    placed = place(tienda, {"TEE-M": 2}, payment="tok_sandbox_capture_fails")

    confirmed, mailed = confirm_and_mail(tienda)

    assert confirmed == ["cancelled: capture declined"]
    assert mailed == ["sent order_cancelled"]
    with tienda.uows() as uow:
        order = uow.orders.get(placed.order_id)
    assert order.status.value == "cancelled"
    assert order.invoice_blob_key is None
    assert stock_of(tienda.engine, 1)[0] == (1, 5, 0)
    assert ledger_matches_levels(tienda.engine)
    assert [m.subject for m in read_mailbox(mailbox)] == [f"Pedido {placed.number} cancelado"]


@pytest.mark.parametrize("body", ["not json", "[]", '{"order_id": "x"}',
                                  '{"message_id": "m", "order_id": 3}'])
def test_a_malformed_confirmation_message_is_refused(shop_tienda, body):
    with pytest.raises(MalformedMessage):
        handle_order_confirmation(shop_tienda, body)


def test_cancelling_a_confirmed_order_restocks_and_refunds(shop_tienda):
    tienda = shop_tienda
    placed = place(tienda, {"TEE-M": 2})
    confirm_and_mail(tienda)

    order = fulfilment.cancel_order(tienda.fulfilment, placed.order_id, "staff:ana", "asked")

    assert order.status.value == "cancelled"
    assert [(e.status_to, e.actor) for e in order.events][-1] == ("cancelled", "staff:ana")
    assert stock_of(tienda.engine, 1)[0] == (1, 5, 0)
    assert ledger_matches_levels(tienda.engine)
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(sandbox_charges.c.status)).scalar() == "refunded"


def test_illegal_transitions_are_refused_and_change_nothing(shop_tienda):
    tienda = shop_tienda
    placed = place(tienda, {"TEE-M": 1})

    with pytest.raises(IllegalTransition, match="pending cannot become shipped"):
        fulfilment.ship_order(tienda.fulfilment, placed.order_id, "staff:ana", "TRK1")
    confirm_and_mail(tienda)
    fulfilment.ship_order(tienda.fulfilment, placed.order_id, "staff:ana", "TRK1")
    with pytest.raises(IllegalTransition, match="shipped cannot become cancelled"):
        fulfilment.cancel_order(tienda.fulfilment, placed.order_id, "staff:ana")

    with tienda.uows() as uow:
        order = uow.orders.get(placed.order_id)
    assert [e.status_to for e in order.events] == ["pending", "confirmed", "shipped"]
    assert order.tracking_number == "TRK1"


def test_pending_orders_past_their_age_are_cancelled_and_release_stock(shop_tienda):
    from datetime import UTC, datetime, timedelta

    tienda = shop_tienda
    placed = place(tienda, {"TEE-M": 2})
    later = datetime.now(UTC) + timedelta(minutes=tienda.settings.pending_order_ttl_minutes + 1)

    assert fulfilment.cancel_stale_pending(tienda.fulfilment, now=datetime.now(UTC)) == 0
    assert fulfilment.cancel_stale_pending(tienda.fulfilment, now=later) == 1

    with tienda.uows() as uow:
        assert uow.orders.get(placed.order_id).status.value == "cancelled"
    assert stock_of(tienda.engine, 1)[0] == (1, 5, 0)
    assert ledger_matches_levels(tienda.engine)


def test_the_shipping_e_mail_carries_the_tracking_number(shop_tienda, mailing):
    tienda, (_, mailbox) = shop_tienda, mailing
    placed = place(tienda, {"TEE-M": 1}, locale="en")
    confirm_and_mail(tienda)

    fulfilment.ship_order(tienda.fulfilment, placed.order_id, "staff:ana", "1Z999AA1")
    mailed = deliver_all(tienda, tienda.settings.queue_notifications, handle_notification)

    assert mailed == ["sent order_shipped"]
    shipped = read_mailbox(mailbox)[0]
    assert shipped.subject == f"Your order {placed.number} is on its way"
    assert "Tracking number: 1Z999AA1" in shipped.text()
