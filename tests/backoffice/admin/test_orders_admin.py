"""Orders in the Django admin: status changes only through actions that call the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shop.audit.models import AuditEntry
from shop.orders.models import Order, OrderEvent, OrderNote
from shop.orders.rules import IllegalTransition
from tests.backoffice.admin.builders import an_order
from workers.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]

ORDERS = "admin:orders_order_changelist"


def _emails() -> list[tuple[str, str]]:
    return [(row.payload["kwargs"]["order_id"], row.payload["kwargs"]["kind"])
            for row in OutboxMessage.objects.order_by("id")
            if row.task.endswith("send_order_email_task")]


def _apply(client, action: str, orders: list[Order], **data: str):  # type: ignore[no-untyped-def]
    return client.post(reverse(ORDERS), {"action": action, "apply": "yes",
                                         "_selected_action": [str(o.pk) for o in orders], **data})


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.wsgi_request._messages]


def test_a_manager_ships_an_order_with_its_tracking_number_through_the_action(staff_client):
    client, manager = staff_client("manager")
    order = an_order("confirmed")

    asked = client.post(reverse(ORDERS), {"action": "ship", "index": "0",
                                          "_selected_action": [str(order.pk)]})
    shipped = _apply(client, "ship", [order], **{f"tracking_{order.pk}": "TRK-123"})

    order.refresh_from_db()
    assert asked.status_code == 200
    assert f'name="tracking_{order.pk}"' in asked.content.decode()
    assert (shipped.status_code, shipped["Location"]) == (302, reverse(ORDERS))
    assert (order.status, order.tracking_number) == ("shipped", "TRK-123")
    event = OrderEvent.objects.filter(order=order).latest("id")
    assert (event.status_from, event.status_to, event.actor) == (
        "confirmed", "shipped", manager.email)
    audit = AuditEntry.objects.get(action="order.ship")
    assert (audit.actor, audit.entity_id, audit.after["tracking_number"]) == (
        manager.email, str(order.pk), "TRK-123")
    assert _emails() == [(str(order.pk), "order_shipped")]


def test_an_illegal_transition_shows_the_services_message_and_changes_nothing(staff_client):
    client, _ = staff_client("manager")
    order = an_order("pending")

    response = _apply(client, "ship", [order], **{f"tracking_{order.pk}": "TRK-9"})

    order.refresh_from_db()
    assert response.status_code == 302
    assert _messages(response) == [
        f"{order.number}: {IllegalTransition('pending', 'shipped')}"]
    assert (order.status, order.tracking_number) == ("pending", None)
    assert (AuditEntry.objects.count(), _emails()) == (0, [])


def test_one_refusal_does_not_stop_the_other_selected_orders(staff_client):
    client, _ = staff_client("support")
    ready, delivered = an_order("shipped"), an_order("delivered")

    response = _apply(client, "deliver", [ready, delivered])

    assert [Order.objects.get(pk=o.pk).status for o in (ready, delivered)] == [
        "delivered", "delivered"]
    assert _messages(response) == [
        f"{delivered.number}: {IllegalTransition('delivered', 'delivered')}",
        "Mark delivered: 1 of 2 done."]


def test_cancel_and_refund_ask_for_a_reason_and_record_it(staff_client):
    client, support = staff_client("support")
    confirmed, delivered = an_order("confirmed"), an_order("delivered")

    missing = _apply(client, "cancel", [confirmed], reason="")
    _apply(client, "cancel", [confirmed], reason="customer asked")
    _apply(client, "refund", [delivered], reason="returned: wrong size")

    assert missing.status_code == 200  # the form again, with its error
    assert [Order.objects.get(pk=o.pk).status for o in (confirmed, delivered)] == [
        "cancelled", "refunded"]
    assert [(a.action, a.actor, a.after["reason"]) for a in AuditEntry.objects.order_by("id")] == [
        ("order.cancel", support.email, "customer asked"),
        ("order.refund", support.email, "returned: wrong size")]
    assert _emails() == [(str(confirmed.pk), "order_cancelled"),
                         (str(delivered.pk), "order_refunded")]


def test_a_note_is_added_through_the_service(staff_client):
    client, support = staff_client("support")
    order = an_order("confirmed")

    _apply(client, "add_note", [order], text="Called the customer")

    assert list(OrderNote.objects.values_list("order_id", "author", "text")) == [
        (order.pk, support.email, "Called the customer")]


def test_a_viewer_sees_orders_but_the_action_and_the_change_form_are_refused(staff_client):
    client, _ = staff_client("viewer")
    order = an_order("confirmed")
    change = reverse("admin:orders_order_change", args=[order.pk])

    listed = client.get(reverse(ORDERS))
    viewed = client.get(change)
    action = _apply(client, "ship", [order], **{f"tracking_{order.pk}": "TRK-1"})
    asked = client.post(reverse(ORDERS), {"action": "cancel", "index": "0",
                                          "_selected_action": [str(order.pk)]})
    edited = client.post(change, {"status": "shipped", "tracking_number": "X"})

    order.refresh_from_db()
    assert (listed.status_code, viewed.status_code) == (200, 200)
    assert order.number in listed.content.decode()
    assert 'value="ship"' not in listed.content.decode()
    assert (action.status_code, asked.status_code, edited.status_code) == (403, 403, 403)
    assert (order.status, order.tracking_number) == ("confirmed", None)
    assert (AuditEntry.objects.count(), _emails()) == (0, [])


def test_nobody_edits_an_orders_status_in_the_form_not_even_an_admin(staff_client):
    client, _ = staff_client("admin")
    order = an_order("confirmed")
    change = reverse("admin:orders_order_change", args=[order.pk])

    page = client.get(change).content.decode()
    edited = client.post(change, {"status": "refunded"})
    added = client.get(reverse("admin:orders_order_add"))

    assert 'name="status"' not in page
    assert (edited.status_code, added.status_code) == (403, 403)
    assert Order.objects.get(pk=order.pk).status == "confirmed"
