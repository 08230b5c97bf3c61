"""Campaigns in the Django admin: created and edited through the services (validated segment,
audited, versioned), editable only while draft or scheduled; send now, pause, resume and cancel
are actions calling the services; a viewer sees but is refused every action; deliveries are a
read-only list."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shop.audit.models import AuditEntry
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.services import campaign_send
from shop.campaigns.tasks import campaign_snapshot_task
from tests.shop.campaigns.builders import a_campaign, a_customer, campaign_values

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]

CAMPAIGNS = "admin:campaigns_campaign_changelist"


def _act(client, action: str, campaigns, confirm: bool = True):  # type: ignore[no-untyped-def]
    data = {"action": action, "_selected_action": [str(c.pk) for c in campaigns]}
    return client.post(reverse(CAMPAIGNS), {**data, **({"apply": "yes"} if confirm
                                                         else {"index": "0"})})


def _form(values: dict, version: int = 1) -> dict:  # type: ignore[type-arg]
    return {**values, "segment": json.dumps(values["segment"]), "version": str(version)}


def test_a_manager_creates_a_campaign_through_the_service(staff_client):
    client, manager = staff_client("manager")

    response = client.post(reverse("admin:campaigns_campaign_add"),
                           _form(campaign_values(language="en")))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.created_by, campaign.segment["language"], campaign.status) == (
        manager.email, "en", "draft")
    assert AuditEntry.objects.get(action="campaign.create").actor == manager.email


def test_a_wrong_segment_is_a_form_error_and_nothing_is_saved(staff_client):
    client, _ = staff_client("manager")

    response = client.post(reverse("admin:campaigns_campaign_add"),
                           _form(campaign_values(language="fr")))

    assert response.status_code == 200
    assert "segment.language: must be one of es, en or null" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_an_edit_goes_through_the_service_with_the_forms_version(staff_client):
    client, _ = staff_client("manager")
    campaign = a_campaign()
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])

    client.post(url, _form({**campaign_values(), "name": "Nuevo"}))
    stale = client.post(url, _form({**campaign_values(), "name": "Viejo"}, version=1))

    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == ("Nuevo", 2)
    assert any("reload it" in str(m) for m in get_messages(stale.wsgi_request))


def test_send_now_pause_resume_and_cancel_are_actions_calling_the_services(staff_client):
    client, manager = staff_client("manager")
    a_customer()
    campaign = a_campaign()

    asked = _act(client, "send_now", [campaign], confirm=False)
    steps = []
    for action in ("send_now", "pause", "resume", "cancel"):
        _act(client, action, [campaign])
        campaign.refresh_from_db()
        steps.append(campaign.status)

    assert asked.status_code == 200
    assert steps == ["sending", "paused", "sending", "cancelled"]
    assert list(AuditEntry.objects.filter(entity="campaign").order_by("id")
                .values_list("action", flat=True)) == [
        "campaign.create", "campaign.send", "campaign.pause", "campaign.resume",
        "campaign.cancel"]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {
        "staff@tienda.test", manager.email}


def test_an_illegal_action_is_a_message_and_changes_nothing(staff_client):
    client, _ = staff_client("manager")
    campaign = a_campaign()

    response = _act(client, "pause", [campaign])

    campaign.refresh_from_db()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{campaign}: a campaign that is draft cannot become paused (it can become: "
        "cancelled, scheduled, sending)"]
    assert campaign.status == "draft"


def test_a_campaign_being_sent_is_read_only_with_its_counts(staff_client):
    client, _ = staff_client("manager")
    a_customer()
    campaign = a_campaign()
    _act(client, "send_now", [campaign])

    page = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    post = client.post(reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
                       _form(campaign_values(), version=2))

    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # shown, not editable
    assert post.status_code == 403
    listing = client.get(reverse(CAMPAIGNS)).content.decode()
    assert "0%" in listing


def test_a_viewer_sees_campaigns_and_deliveries_but_is_refused_every_action(staff_client):
    client, _ = staff_client("viewer")
    a_customer()
    campaign = a_campaign()
    campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor="staff@tienda.test")
    campaign_snapshot_task.call(campaign_id=campaign.pk, actor="staff@tienda.test")

    listing = client.get(reverse(CAMPAIGNS))
    deliveries = client.get(reverse("admin:campaigns_campaigndelivery_changelist") +
                            "?status__exact=pending")
    refused = [_act(client, action, [campaign]).status_code
               for action in ("send_now", "pause", "resume", "cancel")]

    assert (listing.status_code, deliveries.status_code) == (200, 200)
    assert deliveries.context["cl"].result_count == CampaignDelivery.objects.count() == 1
    assert refused == [403, 403, 403, 403]
    campaign.refresh_from_db()
    assert campaign.status == "sending"
