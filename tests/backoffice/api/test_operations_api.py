"""Orders, inventory, jobs, audit, customers and the mailbox as staff use them (legacy
test_operations_api)."""

from __future__ import annotations

import csv
import io

import pytest

from shop.orders.models import Order
from tests.backoffice.api.builders import SKU
from tests.backoffice.api.helpers import clear_poison, poison_message
from tests.builders import ledger_matches_levels, stock_of
from workers import queues

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]


def _post(client, path: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, data or {}, content_type="application/json")


@pytest.mark.azurite
def test_shipping_records_the_tracking_number_the_timeline_and_the_audit(world, azurite):
    order_id = world.order()

    response = _post(world.client("support"), f"/api/orders/{order_id}/ship",
                     {"tracking_number": "1Z999AA1"})

    assert response.status_code == 200
    order = response.json()
    assert (order["status"], order["tracking_number"]) == ("shipped", "1Z999AA1")
    assert [(e["status_to"], e["actor"]) for e in order["timeline"]] == [
        ("pending", "checkout"), ("confirmed", "system"), ("shipped", "support@tienda.test")]
    assert order["invoice_url"].startswith("http://127.0.0.1:")
    assert order["payment"]["status"] == "captured"
    audit = world.client("admin").get("/api/audit?entity=order").json()
    assert [(a["action"], a["actor"], a["after"]["status"]) for a in audit["items"]] == [
        ("order.ship", "support@tienda.test", "shipped")]


def test_an_illegal_transition_is_a_409_with_the_domain_message(world):
    order_id = world.order("pending")

    response = _post(world.client("manager"), f"/api/orders/{order_id}/deliver")

    assert response.status_code == 409
    assert response.json() == {"detail": "an order that is pending cannot become delivered "
                                         "(it can become: cancelled, confirmed)"}
    assert Order.objects.get(pk=order_id).status == "pending"


@pytest.mark.azurite
def test_cancelling_a_confirmed_order_restocks(world, azurite):
    order_id = world.order()
    assert stock_of(SKU) == [("MAD", 999, 0)]

    response = _post(world.client("support"), f"/api/orders/{order_id}/cancel",
                     {"reason": "asked"})

    assert response.json()["status"] == "cancelled"
    assert stock_of(SKU) == [("MAD", 1000, 0)]
    assert ledger_matches_levels()


@pytest.mark.azurite
def test_orders_filter_by_status_and_total_and_export_as_csv(world, azurite):
    confirmed, pending = world.order(), world.order("pending")
    viewer = world.client("viewer")

    listed = viewer.get("/api/orders?status=confirmed&min_total=1&max_total=100000").json()
    exported = viewer.get("/api/orders/export.csv?status=pending")

    assert (listed["total"], [o["id"] for o in listed["items"]]) == (1, [confirmed])
    assert (listed["page"], listed["per_page"]) == (1, 25)
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported["Content-Disposition"] == 'attachment; filename="orders.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(r["id"], r["status"], r["email"]) for r in rows] == [
        (pending, "pending", "ana@example.com")]


def test_the_csv_export_never_writes_a_cell_a_spreadsheet_would_run(world):
    order_id = world.order("pending")
    Order.objects.filter(pk=order_id).update(email="=HYPERLINK(\"http://x\")@example.com",
                                             tracking_number="+1-555")

    exported = world.client("viewer").get("/api/orders/export.csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert (rows[0]["email"], rows[0]["tracking_number"]) == (
        "'=HYPERLINK(\"http://x\")@example.com", "'+1-555")


def test_an_unknown_sort_is_a_422_naming_the_choices(world):
    for path in ("/api/orders?sort=-secret", "/api/orders/export.csv?sort=-secret"):
        response = world.client("viewer").get(path)

        assert response.status_code == 422
        assert response.json()["detail"] == (
            "cannot sort by 'secret'; choose one of email, number, placed_at, status, total "
            "(prefix - for descending)")


def test_a_page_beyond_the_limits_is_a_422_naming_the_parameter(world):
    response = world.client("viewer").get("/api/orders?per_page=101")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "per_page"


def test_a_note_shows_in_the_order_detail(world):
    order_id = world.order("pending")

    created = _post(world.client("support"), f"/api/orders/{order_id}/notes",
                    {"text": "called: will pay by card"})

    assert created.status_code == 201
    notes = world.client("viewer").get(f"/api/orders/{order_id}").json()["notes"]
    assert [(n["author"], n["text"]) for n in notes] == [
        ("support@tienda.test", "called: will pay by card")]


def test_an_unknown_order_is_a_404(world):
    response = world.client("viewer").get("/api/orders/00000000-0000-0000-0000-000000000001")

    assert response.status_code == 404


def test_an_adjustment_is_a_delta_with_a_reason_in_the_ledger(world):
    world.order("pending")  # reserves one

    response = _post(world.client("manager"), "/api/inventory/adjustments",
                     {"sku": SKU, "warehouse": "MAD", "delta": -3,
                      "reason": "broken in the warehouse"})
    ledger = world.client("viewer").get(f"/api/inventory/{SKU}/ledger")

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("sku", "warehouse", "on_hand", "reserved",
                                            "available")} == {
        "sku": SKU, "warehouse": "MAD", "on_hand": 997, "reserved": 1, "available": 996}
    newest = ledger.json()["items"][0]
    assert (newest["kind"], newest["on_hand_delta"], newest["reason"], newest["actor"]) == (
        "adjustment", -3, "broken in the warehouse", "manager@tienda.test")
    assert ledger_matches_levels()


def test_an_adjustment_below_what_is_reserved_is_a_409_and_changes_nothing(world):
    world.order("pending")

    response = _post(world.client("manager"), "/api/inventory/adjustments",
                     {"sku": SKU, "warehouse": "MAD", "delta": -1000, "reason": "count"})

    assert response.status_code == 409
    assert response.json()["detail"] == ("on hand would become 0, below the 1 reserved for "
                                         "placed orders in MAD")
    assert stock_of(SKU) == [("MAD", 1000, 1)]


def test_a_zero_adjustment_is_a_422(world):
    response = _post(world.client("manager"), "/api/inventory/adjustments",
                     {"sku": SKU, "warehouse": "MAD", "delta": 0, "reason": "count"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["body", "delta"], "msg": "must not be zero"}]


def test_low_stock_lists_only_what_is_nearly_gone(world):
    from tests.builders import a_variant

    a_variant("MUG-1", product=world.product, stock={"MAD": 3})

    low = world.client("viewer").get("/api/inventory?low_only=true").json()

    assert [(row["sku"], row["warehouse"], row["available"]) for row in low["items"]] == [
        ("MUG-1", "MAD", 3)]


@pytest.mark.azurite
def test_a_poison_message_is_listed_then_retried_onto_its_queue(world, azurite):
    clear_poison("notifications")
    queues.queue_client("notifications").clear_messages()
    message_id = poison_message("notifications", '{"kind": "order_confirmed", "order_id": "x"}')
    manager = world.client("manager")

    listed = manager.get("/api/jobs/poison/notifications").json()
    retried = _post(manager, f"/api/jobs/poison/notifications/{message_id}/retry")
    again = _post(manager, f"/api/jobs/poison/notifications/{message_id}/retry")

    assert [(m["id"], m["preview"]) for m in listed["items"]] == [
        (message_id, '{"kind": "order_confirmed", "order_id": "x"}')]
    assert retried.status_code == 204
    assert again.status_code == 404
    back = queues.queue_client("notifications").receive_messages(max_messages=32)
    assert [m.content for m in back] == [b'{"kind": "order_confirmed", "order_id": "x"}']
    jobs = manager.get("/api/jobs").json()
    mine = next(q for q in jobs["queues"] if q["name"] == "notifications")
    assert mine["poison_depth"] == 0
    assert jobs["outbox_backlog"] >= 0


@pytest.mark.azurite
def test_discarding_one_poison_message_leaves_the_others(world, azurite):
    clear_poison("inventory-jobs")
    first = poison_message("inventory-jobs", "first")
    second = poison_message("inventory-jobs", "second")

    response = _post(world.client("admin"), f"/api/jobs/poison/inventory-jobs/{second}/discard")

    assert response.status_code == 204
    left = world.client("admin").get("/api/jobs/poison/inventory-jobs").json()["items"]
    assert [(m["id"], m["preview"]) for m in left] == [(first, "first")]
    audit = world.client("admin").get("/api/audit?action=job.discard").json()["items"]
    assert [(a["entity_id"], a["before"]["body"]) for a in audit] == [(second, "second")]


def test_an_unknown_queue_is_a_404_naming_the_known_ones(world):
    response = world.client("admin").get("/api/jobs/poison/nope")

    assert response.status_code == 404
    assert response.json()["detail"] == (
        "there is no queue 'nope'; known: order-confirmation, notifications, inventory-jobs")


def test_the_mailbox_shows_captured_mail_locally(world, captured_mail):
    support = world.client("support")

    listed = support.get("/api/mailbox").json()
    mail = support.get(f"/api/mailbox/{captured_mail}")

    assert [(m["id"], m["subject"], m["to"]) for m in listed["items"]] == [
        (captured_mail, "Pedido confirmado", "ana@example.com")]
    assert mail.json()["text"].rstrip() == "Gracias por tu pedido."
    assert mail.json()["html"] is None


def test_the_mailbox_is_not_there_outside_local_environments(world, captured_mail, settings):
    settings.IS_LOCAL = False  # TIENDA_ENVIRONMENT=dev or prod

    response = world.client("admin").get("/api/mailbox")

    assert response.status_code == 404
    assert response.json() == {"detail": "the mailbox exists only where mail is captured locally"}


def test_customer_detail_shows_consent_and_orders(world):
    response = world.client("support").get(f"/api/customers/{world.customer.pk}")

    customer = response.json()
    assert (customer["email"], customer["marketing_consent"]) == ("ana@example.com", True)
    assert customer["orders_summary"] == {"count": 0, "total_spent_minor": 0}


def test_customers_are_found_by_name(world):
    listed = world.client("support").get("/api/customers?q=garc").json()

    assert [(c["email"], c["order_count"]) for c in listed["items"]] == [("ana@example.com", 0)]
