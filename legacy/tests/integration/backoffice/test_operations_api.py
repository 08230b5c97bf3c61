"""Orders, inventory, jobs, audit and mailbox as staff use them."""

from __future__ import annotations

import csv
import io

import pytest

from tests.builders import ledger_matches_levels, stock_of
from tests.integration.backoffice.world import SKU
from tienda.entrypoints.backoffice_api.app import create_app

pytestmark = pytest.mark.azurite


def test_shipping_records_the_tracking_number_the_timeline_and_the_audit(world):
    order_id = world.order()

    response = world.client.post(f"/api/orders/{order_id}/ship", headers=world.auth("support"),
                                 json={"tracking_number": "1Z999AA1"})

    assert response.status_code == 200
    order = response.json()
    assert (order["status"], order["tracking_number"]) == ("shipped", "1Z999AA1")
    assert [(e["status_to"], e["actor"]) for e in order["timeline"]] == [
        ("pending", "customer"), ("confirmed", "system"), ("shipped", "support@tienda.test")]
    assert order["invoice_url"].startswith("http://127.0.0.1:")
    audit = world.client.get("/api/audit?entity=order", headers=world.auth("admin")).json()
    assert [(a["action"], a["before"], a["after"]) for a in audit["items"]] == [
        ("order.ship", {"status": "confirmed"},
         {"status": "shipped", "tracking_number": "1Z999AA1"})]


def test_an_illegal_transition_is_a_409_with_the_domain_message(world):
    order_id = world.order("pending")

    response = world.client.post(f"/api/orders/{order_id}/deliver",
                                 headers=world.auth("manager"))

    assert response.status_code == 409
    assert response.json() == {"detail": "an order that is pending cannot become delivered "
                                         "(it can become: cancelled, confirmed)"}


def test_cancelling_a_confirmed_order_restocks(world):
    order_id = world.order()
    assert stock_of(world.engine, 1) == [(1, 999, 0), (2, 0, 0)]

    response = world.client.post(f"/api/orders/{order_id}/cancel",
                                 headers=world.auth("support"), json={"reason": "asked"})

    assert response.json()["status"] == "cancelled"
    assert stock_of(world.engine, 1) == [(1, 1000, 0), (2, 0, 0)]
    assert ledger_matches_levels(world.engine)


def test_orders_filter_by_status_and_total_and_export_as_csv(world):
    confirmed, pending = world.order(), world.order("pending")
    headers = world.auth("viewer")

    listed = world.client.get("/api/orders?status=confirmed&min_total=1&max_total=100000",
                              headers=headers).json()
    exported = world.client.get("/api/orders/export.csv?status=pending", headers=headers)

    assert (listed["total"], [o["id"] for o in listed["items"]]) == (1, [confirmed])
    assert (listed["page"], listed["per_page"]) == (1, 25)
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["id"], r["status"], r["email"]) for r in rows] == [
        (pending, "pending", "ana@example.com")]


def test_an_unknown_sort_is_a_422_naming_the_choices(world):
    response = world.client.get("/api/orders?sort=-secret", headers=world.auth("viewer"))

    assert response.status_code == 422
    assert response.json()["detail"] == ("cannot sort by 'secret'; choose one of email, number, "
                                         "placed_at, status, total (prefix - for descending)")


def test_a_note_shows_in_the_order_detail(world):
    order_id = world.order("pending")

    world.client.post(f"/api/orders/{order_id}/notes", headers=world.auth("support"),
                      json={"text": "called: will pay by card"})

    notes = world.client.get(f"/api/orders/{order_id}", headers=world.auth("viewer")).json()
    assert [(n["author"], n["text"]) for n in notes["notes"]] == [
        ("support@tienda.test", "called: will pay by card")]


def test_an_adjustment_is_a_delta_with_a_reason_in_the_ledger(world):
    world.order("pending")  # reserves one

    response = world.client.post("/api/inventory/adjustments", headers=world.auth("manager"),
                                 json={"sku": SKU, "warehouse": "MAD", "delta": -3,
                                       "reason": "broken in the warehouse"})
    ledger = world.client.get(f"/api/inventory/{SKU}/ledger", headers=world.auth("viewer"))

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("sku", "warehouse", "on_hand", "reserved",
                                            "available")} == {
        "sku": SKU, "warehouse": "MAD", "on_hand": 997, "reserved": 1, "available": 996}
    newest = ledger.json()["items"][0]
    assert (newest["kind"], newest["on_hand_delta"], newest["reason"], newest["actor"]) == (
        "adjustment", -3, "broken in the warehouse", "manager@tienda.test")
    assert ledger_matches_levels(world.engine)


def test_an_adjustment_below_what_is_reserved_is_a_409_and_changes_nothing(world):
    world.order("pending")

    response = world.client.post("/api/inventory/adjustments", headers=world.auth("manager"),
                                 json={"sku": SKU, "warehouse": "MAD", "delta": -1000,
                                       "reason": "count"})

    assert response.status_code == 409
    assert response.json()["detail"] == ("on hand would become 0, below the 1 reserved for "
                                         "placed orders in MAD")
    assert stock_of(world.engine, 1) == [(1, 1000, 1), (2, 0, 0)]


def test_a_poison_message_is_listed_then_retried_onto_its_queue(world):
    queue = world.tienda.settings.queue_notifications
    message_id = world.poison_message('{"kind": "order_confirmed", "order_id": "x"}')
    headers = world.auth("manager")

    listed = world.client.get(f"/api/jobs/poison/{queue}", headers=headers).json()
    retried = world.client.post(f"/api/jobs/poison/{queue}/{message_id}/retry", headers=headers)
    again = world.client.post(f"/api/jobs/poison/{queue}/{message_id}/retry", headers=headers)

    assert [(m["id"], m["preview"]) for m in listed["items"]] == [
        (message_id, '{"kind": "order_confirmed", "order_id": "x"}')]
    assert retried.status_code == 204
    assert again.status_code == 404
    back = world.tienda.queues.receive(queue, 32, 1)
    assert [m.body for m in back] == ['{"kind": "order_confirmed", "order_id": "x"}']
    jobs = world.client.get("/api/jobs", headers=headers).json()
    mine = next(q for q in jobs["queues"] if q["name"] == queue)
    assert mine["poison_depth"] == 0


def test_discarding_one_poison_message_leaves_the_others(world):
    queue = world.tienda.settings.queue_inventory_jobs
    world.tienda.queues.send(queue + "-poison", "first")
    world.tienda.queues.send(queue + "-poison", "second")
    first, second = world.tienda.queues.peek(queue + "-poison", 32)

    response = world.client.post(f"/api/jobs/poison/{queue}/{second.id}/discard",
                                 headers=world.auth("admin"))

    assert response.status_code == 204
    left = world.tienda.queues.peek(queue + "-poison", 32)
    assert [(m.id, m.body) for m in left] == [(first.id, "first")]


def test_the_mailbox_shows_captured_mail_locally(world):
    listed = world.client.get("/api/mailbox", headers=world.auth("support")).json()
    mail = world.client.get(f"/api/mailbox/{world.mail_id}", headers=world.auth("support"))

    assert [(m["id"], m["subject"], m["to"]) for m in listed["items"]] == [
        (world.mail_id, "Pedido confirmado", "ana@example.com")]
    assert mail.json()["text"].rstrip() == "Gracias por tu pedido."


def test_the_mailbox_is_not_there_outside_local_environments(world):
    from fastapi.testclient import TestClient

    from tienda.bootstrap import bootstrap

    dev = bootstrap(world.tienda.settings.model_copy(update={"environment": "dev"}))
    with TestClient(create_app(tienda=dev)) as client:
        response = client.get("/api/mailbox", headers=world.auth("admin"))

    assert response.status_code == 404
    assert response.json() == {"detail": "the mailbox exists only where mail is captured locally"}


def test_customer_detail_shows_consent_and_orders(world):
    response = world.client.get(f"/api/customers/{world.customer_id}",
                                headers=world.auth("support"))

    customer = response.json()
    assert (customer["email"], customer["marketing_consent"]) == ("ana@example.com", True)
    assert customer["orders_summary"] == {"count": 0, "total_spent_minor": 0}
