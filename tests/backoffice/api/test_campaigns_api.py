"""Campaigns through the staff API: create (422 naming each wrong field, nothing written),
list, read and edit with If-Match, the live count of a segment, preview, test send, send or
schedule, pause/resume/cancel (409 when not allowed now), and who may do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.tasks import campaign_snapshot_task
from shop.customers.models import Customer
from tests.shop.campaigns.builders import a_customer, campaign_values
from workers.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]


def _post(client, path: str, data: Any = None, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(path, data if data is not None else {},
                       content_type="application/json", **headers)


def _create(world, **segment: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = _post(world.client("manager"), "/api/campaigns", campaign_values(**segment))
    assert response.status_code == 201, response.content
    return response.json()


def test_creating_a_campaign_returns_it_with_its_etag_and_audits_it(world):
    response = _post(world.client("manager"), "/api/campaigns", campaign_values(language="en"))

    body = response.json()
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    assert {k: body[k] for k in ("name", "status", "version", "recipients_total", "sent",
                                 "progress", "created_by", "scheduled_at")} == {
        "name": "Rebajas", "status": "draft", "version": 1, "recipients_total": 0, "sent": 0,
        "progress": 0, "created_by": "manager@tienda.test", "scheduled_at": None}
    assert body["segment"] == {"language": "en", "bought_in_category": None,
                               "last_order_before": None, "last_order_after": None,
                               "rfm_segment": None}
    assert AuditEntry.objects.get(action="campaign.create").entity_id == str(body["id"])


def test_a_wrong_campaign_is_a_422_naming_each_field_and_nothing_is_created(world):
    values = {**campaign_values(), "name": "", "segment": {
        "language": "fr", "bought_in_category": 999_999, "last_order_after": "yesterday",
        "rfm_segment": "whales", "vip": True}}

    response = _post(world.client("manager"), "/api/campaigns", values)

    assert response.status_code == 422
    problems = {tuple(e["loc"]): e["msg"] for e in response.json()["errors"]}
    assert problems.pop(("body", "name"))  # DRF's own words, in the default language
    assert problems == {
        ("body", "segment", "language"): "must be one of es, en or null",
        ("body", "segment", "last_order_after"): "must be a date YYYY-MM-DD or null",
        ("body", "segment", "rfm_segment"): "must be one of champions, loyal, "
                                            "new_or_promising, needs_attention, at_risk, "
                                            "hibernating or null",
        ("body", "segment", "vip"): "is not a segment field; known: language, "
                                    "bought_in_category, last_order_before, "
                                    "last_order_after, rfm_segment"}
    assert Campaign.objects.count() == 0
    assert AuditEntry.objects.filter(entity="campaign").count() == 0


def test_an_unknown_category_in_the_segment_is_a_422_naming_it(world):
    response = _post(world.client("manager"), "/api/campaigns",
                     campaign_values(bought_in_category=999_999))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "segment", "bought_in_category"],
         "msg": "there is no category 999999"}]
    assert Campaign.objects.count() == 0


def test_the_list_is_paged_newest_first_and_filters_by_status(world):
    ids = [_create(world)["id"] for _ in range(3)]
    _post(world.client("manager"), f"/api/campaigns/{ids[0]}/cancel")
    viewer = world.client("viewer")

    first = viewer.get("/api/campaigns?page=1&page_size=2").json()
    cancelled = viewer.get("/api/campaigns?status=cancelled").json()

    assert ([c["id"] for c in first["items"]], first["total"], first["per_page"]) == (
        [ids[2], ids[1]], 3, 2)
    assert [c["id"] for c in cancelled["items"]] == [ids[0]]
    assert viewer.get("/api/campaigns?status=lost").status_code == 422


def test_editing_needs_if_match_and_the_current_version(world):
    campaign = _create(world)
    client, path = world.client("manager"), f"/api/campaigns/{campaign['id']}"
    edited = {**campaign_values(), "name": "Rebajas 2"}

    missing = client.put(path, edited, content_type="application/json")
    stale = client.put(path, edited, content_type="application/json", HTTP_IF_MATCH='"7"')
    ok = client.put(path, edited, content_type="application/json", HTTP_IF_MATCH='"1"')

    assert (missing.status_code, stale.status_code, ok.status_code) == (428, 412, 200)
    assert stale.json()["current_version"] == 1
    assert (ok.json()["name"], ok.json()["version"], ok["ETag"]) == ("Rebajas 2", 2, '"2"')


def test_a_campaign_being_sent_cannot_be_edited(world):
    campaign = _create(world)
    client = world.client("manager")
    _post(client, f"/api/campaigns/{campaign['id']}/send", {"scheduled_at": None})

    response = client.put(f"/api/campaigns/{campaign['id']}", campaign_values(),
                          content_type="application/json", HTTP_IF_MATCH='"2"')

    assert response.status_code == 409
    assert response.json() == {"detail": "a campaign that is sending cannot be edited (only "
                                         "draft or scheduled ones)"}


def test_the_segment_count_counts_consenting_customers_now(world):
    a_customer("es@example.com")
    a_customer("en@example.com", locale="en")
    a_customer("no@example.com", locale="en", consent=False)
    viewer = world.client("viewer")

    counts = [_post(viewer, "/api/campaigns/segment-count", {"segment": segment}).json()
              for segment in ({}, {"language": "en"})]

    # The world's own customer (ana@example.com) consents too.
    assert counts == [{"count": 3}, {"count": 1}]
    bad = _post(viewer, "/api/campaigns/segment-count", {"segment": {"language": 3}})
    assert (bad.status_code, bad.json()["errors"][0]["loc"]) == (
        422, ["body", "segment", "language"])


def test_an_rfm_count_without_a_loaded_warehouse_is_a_409(world, settings, tmp_path):
    settings.WAREHOUSE_URL = f"duckdb:///{tmp_path / 'empty.duckdb'}"

    response = _post(world.client("viewer"), "/api/campaigns/segment-count",
                     {"segment": {"rfm_segment": "loyal"}})

    assert response.status_code == 409
    assert "the warehouse cannot answer" in response.json()["detail"]


def test_the_rfm_segment_names_are_listed_for_the_picker(world):
    response = world.client("viewer").get("/api/campaigns/rfm-segments")

    assert response.json() == {"segments": ["champions", "loyal", "new_or_promising",
                                            "needs_attention", "at_risk", "hibernating"]}


def test_the_preview_is_the_email_in_the_chosen_language_with_escaped_html(world):
    campaign = _create(world)

    preview = world.client("viewer").get(f"/api/campaigns/{campaign['id']}/preview?locale=en")

    body = preview.json()
    assert body["subject"] == "Winter sale"
    assert body["text"].startswith("Hello,\n\nEverything 50% off <today>.\n\n-- \n")
    assert "<p>Hello,</p>\n<p>Everything 50% off &lt;today&gt;.</p>" in body["html"]
    assert "/unsubscribe/" in body["text"] and "/unsubscribe/" in body["html"]


def test_a_test_send_is_queued_to_the_staff_members_own_address(world):
    campaign = _create(world)

    response = _post(world.client("manager"), f"/api/campaigns/{campaign['id']}/test-send",
                     {"locale": "en"})

    assert response.status_code == 202
    [queued] = OutboxMessage.objects.filter(task__endswith="campaign_test_send_task")
    assert (queued.queue, queued.payload["kwargs"]) == (
        "notifications", {"campaign_id": campaign["id"], "locale": "en",
                          "to": "manager@tienda.test"})


def test_send_now_answers_at_once_and_queues_the_snapshot_that_starts_the_batches(world):
    a_customer("one@example.com")
    campaign = _create(world)

    response = _post(world.client("manager"), f"/api/campaigns/{campaign['id']}/send",
                     {"scheduled_at": None})

    body = response.json()
    assert response.status_code == 202
    assert (body["status"], body["recipients_total"], body["progress"]) == ("sending", 0, 0)
    assert CampaignDelivery.objects.count() == 0
    [snapshot] = OutboxMessage.objects.filter(task__endswith="campaign_snapshot_task")
    assert (snapshot.queue, snapshot.payload["kwargs"]) == (
        "notifications", {"campaign_id": campaign["id"], "actor": "manager@tienda.test"})

    campaign_snapshot_task.call(**snapshot.payload["kwargs"])

    body = world.client("viewer").get(f"/api/campaigns/{campaign['id']}").json()
    assert (body["status"], body["recipients_total"], body["progress"]) == ("sending", 2, 0)
    [batch] = OutboxMessage.objects.filter(task__endswith="campaign_batch_task")
    assert batch.payload["kwargs"] == {"campaign_id": campaign["id"], "batch": 0}


def test_send_later_schedules_it(world):
    campaign = _create(world)
    when = (timezone.now() + timedelta(days=1)).replace(microsecond=0)

    response = _post(world.client("manager"), f"/api/campaigns/{campaign['id']}/send",
                     {"scheduled_at": when.isoformat()})

    assert response.status_code == 202
    assert (response.json()["status"], response.json()["scheduled_at"]) == (
        "scheduled", when.isoformat().replace("+00:00", "Z"))
    assert not OutboxMessage.objects.filter(task__endswith="campaign_batch_task").exists()


def test_pause_resume_and_cancel_answer_409_when_not_allowed_now(world):
    campaign = _create(world)
    client, path = world.client("manager"), f"/api/campaigns/{campaign['id']}"

    answers = [
        (_post(client, f"{path}/pause").status_code, "draft"),
        (_post(client, f"{path}/resume").status_code, "draft"),
        (_post(client, f"{path}/send", {"scheduled_at": None}).status_code, "sending"),
        (_post(client, f"{path}/resume").status_code, "sending"),
        (_post(client, f"{path}/pause").status_code, "paused"),
        (_post(client, f"{path}/resume").status_code, "sending"),
        (_post(client, f"{path}/cancel").status_code, "cancelled"),
        (_post(client, f"{path}/pause").status_code, "cancelled"),
    ]

    assert [code for code, _ in answers] == [409, 409, 202, 409, 202, 202, 202, 409]
    assert Campaign.objects.get(pk=campaign["id"]).status == "cancelled"
    conflict = _post(client, f"{path}/pause").json()
    assert conflict == {"detail": "a campaign that is cancelled cannot become paused (it can "
                                  "become: nothing)"}


@pytest.mark.parametrize(("role", "read", "write"), [
    ("admin", 200, 201), ("manager", 200, 201), ("viewer", 200, 403), ("support", 403, 403)])
def test_viewers_read_but_do_not_write_and_support_does_neither(world, role, read, write):
    client = world.client(role)

    answers = (client.get("/api/campaigns").status_code,
               _post(client, "/api/campaigns", campaign_values()).status_code)

    assert answers == (read, write)
    assert Campaign.objects.count() == (1 if write == 201 else 0)
    assert Customer.objects.count() == 1


def test_a_campaign_being_sent_shows_live_counts_and_progress(world):
    a_customer("one@example.com")
    campaign = _create(world)
    client = world.client("viewer")
    _post(world.client("manager"), f"/api/campaigns/{campaign['id']}/send",
          {"scheduled_at": None})
    campaign_snapshot_task.call(campaign_id=campaign["id"], actor="manager@tienda.test")
    CampaignDelivery.objects.filter(customer__email="one@example.com").update(status="sent")

    body = client.get(f"/api/campaigns/{campaign['id']}").json()

    assert (body["recipients_total"], body["sent"], body["progress"]) == (2, 1, 50)
