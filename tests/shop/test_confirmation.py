"""Background confirmation, staff transitions and the customer's e-mail: once, whatever is
redelivered (ports legacy/tests/integration/checkout/test_confirmation.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.core.errors import NotFound
from shop.inventory.models import StockMovement
from shop.notifications.tasks import send_order_email_task
from shop.orders.models import Order
from shop.orders.rules import IllegalTransition
from shop.orders.services import (
    order_cancel,
    order_confirm,
    order_deliver,
    order_note_add,
    order_refund,
    order_ship,
    orders_cancel_stale,
)
from shop.orders.tasks import confirm_order_task
from shop.payments.models import Payment, SandboxCharge
from shop.payments.sandbox import payment_provider
from tests.builders import ledger_matches_levels, stock_of
from tests.shop.builders import place, stocked
from tests.shop.conftest import queued

pytestmark = [pytest.mark.django_db, pytest.mark.azurite]


@pytest.fixture
def shop(azurite, mailbox, worker):
    stocked("TEE-M", MAD=5)
    stocked("MUG-R", MAD=3)
    return mailbox


@pytest.fixture
def confirm_and_mail(worker):
    def run() -> tuple[list[object], list[object]]:
        return worker.deliver(confirm_order_task), worker.deliver(send_order_email_task)
    return run


def captures() -> list[int]:
    return list(SandboxCharge.objects.values_list("captures", flat=True))


def events(order_id) -> list[tuple[str, str]]:
    order = Order.objects.get(pk=order_id)
    return [(e.status_to, e.actor) for e in order.events.order_by("id")]


def test_confirmation_captures_invoices_allocates_and_mails_the_customer(shop, confirm_and_mail):
    placed = place({"TEE-M": 2, "MUG-R": 1})

    confirmed, mailed = confirm_and_mail()

    order = Order.objects.get(pk=placed.order.pk)
    assert (confirmed, mailed) == (["confirmed"], [None])
    assert order.status == "confirmed"
    assert events(order.pk) == [("pending", "checkout"), ("confirmed", "system")]
    assert order.invoice_blob_key == f"{order.pk}.pdf"
    with storages["invoices"].open(order.invoice_blob_key) as pdf:
        assert pdf.read().startswith(b"%PDF")
    assert order.invoice_number.startswith(f"F{timezone.now().year}-")
    assert stock_of("TEE-M")[0] == ("MAD", 3, 0)
    assert ledger_matches_levels()
    assert captures() == [1]
    assert Payment.objects.get().status == "captured"
    [mail] = shop()
    assert mail.to == "ana@example.com"
    assert mail.subject == f"Pedido {order.number} confirmado"
    assert mail.message["X-Tienda-Order"] == str(order.pk)
    assert (f"/api/v1/orders/{order.pk}/invoice?access_token={placed.access_token}"
            in mail.text())
    assert f"/orders/{order.pk}?access_token={placed.access_token}" in mail.text()


def test_a_redelivered_confirmation_captures_once_invoices_once_and_queues_one_email(shop, worker):
    placed = place({"TEE-M": 1}, locale="en")

    confirmed = worker.deliver(confirm_order_task, times=3)

    assert confirmed == ["confirmed", "already handled", "already handled"]
    assert captures() == [1]
    assert queued("send_order_email_task") == [
        {"order_id": str(placed.order.pk), "kind": "order_confirmed"}]
    assert StockMovement.objects.filter(kind="shipment").count() == 1
    invoice_number = Order.objects.get(pk=placed.order.pk).invoice_number
    order_confirm(order_id=placed.order.pk)
    assert Order.objects.get(pk=placed.order.pk).invoice_number == invoice_number
    worker.deliver(send_order_email_task)
    assert [m.subject for m in shop()] == [f"Order {placed.order.number} confirmed"]


def test_a_declined_capture_cancels_releases_stock_and_tells_the_customer(shop, confirm_and_mail):
    placed = place({"TEE-M": 2}, payment="tok_sandbox_capture_fails")

    confirmed, _ = confirm_and_mail()

    order = Order.objects.get(pk=placed.order.pk)
    assert confirmed == ["cancelled: capture declined"]
    assert order.status == "cancelled"
    assert (order.invoice_blob_key, order.invoice_number) == (None, None)
    assert stock_of("TEE-M")[0] == ("MAD", 5, 0)
    assert ledger_matches_levels()
    assert Payment.objects.get().status == "voided"
    [mail] = shop()
    assert mail.subject == f"Pedido {order.number} cancelado"
    assert "no se te ha cobrado nada" in mail.text()


@pytest.mark.parametrize("order_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_confirmation_for_no_order_is_refused(shop, order_id):
    with pytest.raises(NotFound, match=rf"^there is no order {order_id}$"):
        confirm_order_task.call(order_id=order_id)


def test_a_confirmation_message_without_its_order_id_is_refused(shop):
    with pytest.raises(TypeError):
        confirm_order_task.call()


def test_cancelling_a_confirmed_order_restocks_refunds_and_says_refunded(
        shop, manager, confirm_and_mail, worker):
    placed = place({"TEE-M": 2})
    confirm_and_mail()

    order = order_cancel(order_id=placed.order.pk, reason="asked by phone", actor=manager)

    assert order.status == "cancelled"
    assert events(order.pk)[-1] == ("cancelled", "manager@tienda.local")
    assert stock_of("TEE-M")[0] == ("MAD", 5, 0)
    assert ledger_matches_levels()
    assert SandboxCharge.objects.get().status == "refunded"
    assert Payment.objects.get().status == "refunded"
    audit = AuditEntry.objects.get(action="order.cancel")
    assert (audit.actor, audit.entity, audit.entity_id) == (
        "manager@tienda.local", "order", str(order.pk))
    assert (audit.before["status"], audit.after["status"], audit.after["reason"]) == (
        "confirmed", "cancelled", "asked by phone")
    worker.deliver(send_order_email_task)
    cancelled = shop()[0]
    assert cancelled.subject == f"Pedido {order.number} cancelado"
    assert "te hemos devuelto el importe cobrado" in cancelled.text()
    assert "no se te ha cobrado" not in cancelled.text()


def test_illegal_transitions_are_refused_and_change_nothing(shop, manager, confirm_and_mail):
    placed = place({"TEE-M": 1})

    with pytest.raises(IllegalTransition, match="pending cannot become shipped"):
        order_ship(order_id=placed.order.pk, tracking_number="TRK1", actor=manager)
    confirm_and_mail()
    order_ship(order_id=placed.order.pk, tracking_number="TRK1", actor=manager)
    with pytest.raises(IllegalTransition, match="shipped cannot become cancelled"):
        order_cancel(order_id=placed.order.pk, reason="", actor=manager)

    order = Order.objects.get(pk=placed.order.pk)
    assert [status for status, _ in events(order.pk)] == ["pending", "confirmed", "shipped"]
    assert order.tracking_number == "TRK1"
    assert SandboxCharge.objects.get().status == "captured"
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["order.ship"]


def test_pending_orders_past_their_age_are_cancelled_and_release_stock(shop, settings):
    placed = place({"TEE-M": 2})
    fresh = place({"MUG-R": 1})

    assert orders_cancel_stale() == 0
    Order.objects.filter(pk=placed.order.pk).update(
        placed_at=timezone.now() - timedelta(minutes=settings.PENDING_ORDER_TTL_MINUTES + 1))
    assert orders_cancel_stale() == 1

    assert Order.objects.get(pk=placed.order.pk).status == "cancelled"
    assert Order.objects.get(pk=fresh.order.pk).status == "pending"
    assert events(placed.order.pk)[-1] == ("cancelled", "system")
    assert stock_of("TEE-M")[0] == ("MAD", 5, 0)
    assert ledger_matches_levels()
    assert AuditEntry.objects.count() == 0
    assert queued("send_order_email_task") == [
        {"order_id": str(placed.order.pk), "kind": "order_cancelled"}]


def test_a_capture_left_on_an_order_cancelled_meanwhile_is_refunded(shop):
    placed = place({"TEE-M": 1})
    payment_provider().capture(Payment.objects.get().reference)  # then the worker died
    Order.objects.filter(pk=placed.order.pk).update(placed_at=timezone.now() - timedelta(days=1))
    orders_cancel_stale()

    outcome = order_confirm(order_id=placed.order.pk)

    assert outcome == "already handled"  # the cancel already refunded the capture
    assert SandboxCharge.objects.get().status == "refunded"
    assert Order.objects.get(pk=placed.order.pk).status == "cancelled"


def test_the_shipping_e_mail_carries_the_tracking_number(
        shop, manager, confirm_and_mail, worker):
    placed = place({"TEE-M": 1}, locale="en")
    confirm_and_mail()

    order_ship(order_id=placed.order.pk, tracking_number="1Z999AA1", actor=manager)
    worker.deliver(send_order_email_task)

    shipped = shop()[0]
    assert shipped.subject == f"Your order {placed.order.number} is on its way"
    assert "Tracking number: 1Z999AA1" in shipped.text()
    audit = AuditEntry.objects.get(action="order.ship")
    assert (audit.before["tracking_number"], audit.after["tracking_number"]) == (None, "1Z999AA1")


def test_delivery_then_refund_restocks_refunds_and_is_audited(shop, manager, confirm_and_mail):
    placed = place({"TEE-M": 2})
    confirm_and_mail()
    order_ship(order_id=placed.order.pk, tracking_number="TRK1", actor=manager)

    order_deliver(order_id=placed.order.pk, actor=manager)
    order_refund(order_id=placed.order.pk, reason="returned", actor=manager)
    order_note_add(order_id=placed.order.pk, text="  box was damaged ", actor=manager)

    order = Order.objects.get(pk=placed.order.pk)
    assert [s for s, _ in events(order.pk)] == [
        "pending", "confirmed", "shipped", "delivered", "refunded"]
    assert stock_of("TEE-M")[0] == ("MAD", 5, 0)
    assert ledger_matches_levels()
    assert SandboxCharge.objects.get().status == "refunded"
    assert [n.text for n in order.notes.all()] == ["box was damaged"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "order.ship", "order.deliver", "order.refund", "order.note"]
    assert queued("send_order_email_task")[-1] == {"order_id": str(order.pk),
                                                   "kind": "order_refunded"}


def test_queue_messages_redelivered_through_the_worker_runner_act_once(shop):
    from workers.backend import envelope
    from workers.models import OutboxMessage
    from workers.runner import run_message

    placed = place({"TEE-M": 1})

    def run_all(task) -> list[str]:
        rows = OutboxMessage.objects.filter(task=task.module_path)
        return [run_message(queue=task.queue_name, body=envelope(row), message_id=f"m{n}",
                            dequeue_count=n) for row in rows for n in (1, 2, 3)]

    assert run_all(confirm_order_task) == ["done", "duplicate", "duplicate"]
    assert run_all(send_order_email_task) == ["done", "duplicate", "duplicate"]
    assert Order.objects.get(pk=placed.order.pk).status == "confirmed"
    assert captures() == [1]
    assert [m.subject for m in shop()] == [f"Pedido {placed.order.number} confirmado"]
