"""Sending a campaign in-process: the snapshot, the batch chain, one e-mail per consenting
recipient in their language with the unsubscribe headers and a stable Message-ID, consent
re-checked at send time, redelivered batches, pause/resume/cancel, scheduling, test sends,
SMTP refusals, and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.campaigns import services
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.rules import IllegalTransition
from shop.campaigns.selectors import campaign_row
from shop.campaigns.tasks import (
    campaign_batch_task,
    campaign_snapshot_task,
    campaign_test_send_task,
)
from shop.core.errors import Conflict, StaleEdit
from shop.customers.selectors import unsubscribe_token, unsubscribe_url
from shop.customers.services import customer_unsubscribe
from shop.notifications.capture import read_mailbox
from tests.shop.campaigns import mail_doubles
from tests.shop.campaigns.builders import a_campaign, a_customer, campaign_values
from workers.backend import envelope
from workers.models import OutboxMessage
from workers.runner import run_message

pytestmark = pytest.mark.django_db
STAFF = "staff@tienda.test"


@pytest.fixture(autouse=True)
def small_batches(settings):  # type: ignore[no-untyped-def]
    settings.CAMPAIGNS = {**django_settings.CAMPAIGNS, "RATE_PER_SECOND": 0, "BATCH_SIZE": 3}


def start(campaign: Campaign, worker) -> None:  # type: ignore[no-untyped-def]
    """Send now, and run the recipient snapshot task the send enqueued."""
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    assert worker.deliver(campaign_snapshot_task) == ["snapshot done"]


def run_chain(worker) -> list[object]:  # type: ignore[no-untyped-def]
    """Deliver batch messages until the chain enqueues no more; the outcomes in order."""
    outcomes: list[object] = []
    while True:
        found = worker.deliver(campaign_batch_task)
        if not found:
            return outcomes
        outcomes += found


def statuses(campaign: Campaign) -> dict[str, int]:
    from shop.campaigns.selectors import delivery_counts

    return delivery_counts(campaign_id=campaign.pk)


def test_send_only_marks_it_sending_and_queues_the_snapshot_which_starts_the_chain(worker):
    customers = [a_customer(f"s{n}@example.com") for n in range(4)]
    a_customer("no@example.com", consent=False)
    campaign = a_campaign()

    sent = services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    [queued] = OutboxMessage.objects.filter(task=campaign_snapshot_task.module_path)
    row = campaign_row(sent)
    assert (row["status"], row["recipients_total"], row["progress"]) == ("sending", 0, 0)
    assert (queued.queue, queued.payload["kwargs"]) == (
        "notifications", {"campaign_id": campaign.pk, "actor": STAFF})
    assert CampaignDelivery.objects.count() == 0
    assert not OutboxMessage.objects.filter(task=campaign_batch_task.module_path).exists()

    assert worker.deliver(campaign_snapshot_task, times=2) == ["snapshot done", "nothing to do"]

    campaign.refresh_from_db()
    assert (campaign.recipients_total, campaign.recipients_at is not None) == (4, True)
    assert sorted(CampaignDelivery.objects.values_list("customer_id", flat=True)) == [
        c.pk for c in customers]
    [batch] = OutboxMessage.objects.filter(task=campaign_batch_task.module_path)
    assert batch.payload["kwargs"] == {"campaign_id": campaign.pk, "batch": 0}


def test_a_snapshot_restarted_after_a_crash_adds_only_the_missing_recipients(monkeypatch,
                                                                              worker):
    monkeypatch.setattr(services, "SNAPSHOT_CHUNK", 2)
    customers = [a_customer(f"c{n}@example.com") for n in range(5)]
    campaign = a_campaign()
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    # What a worker killed after its first chunk leaves: two rows committed, no total.
    CampaignDelivery.objects.bulk_create([CampaignDelivery(campaign=campaign, customer=c)
                                          for c in customers[:2]])

    assert worker.deliver(campaign_snapshot_task) == ["snapshot done"]

    campaign.refresh_from_db()
    assert campaign.recipients_total == 5
    assert sorted(CampaignDelivery.objects.values_list("customer_id", flat=True)) == [
        c.pk for c in customers]


def test_a_campaign_paused_during_its_snapshot_waits_for_resume(mailoutbox, worker):
    a_customer("wait@example.com")
    campaign = a_campaign()
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    services.campaign_pause(campaign_id=campaign.pk, actor=STAFF)
    services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)
    services.campaign_pause(campaign_id=campaign.pk, actor=STAFF)

    # The resume's batch came before the snapshot was complete: it does nothing.
    assert run_chain(worker) == ["nothing to do"]
    assert worker.deliver(campaign_snapshot_task) == ["snapshot done"]
    assert run_chain(worker) == []  # paused: the snapshot started no batch
    services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)

    assert run_chain(worker) == ["campaign done"]
    assert [m.to[0] for m in mailoutbox] == ["wait@example.com"]


def test_a_campaign_cancelled_before_its_snapshot_gets_no_recipients(worker):
    a_customer()
    campaign = a_campaign()
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    services.campaign_cancel(campaign_id=campaign.pk, actor=STAFF)

    assert worker.deliver(campaign_snapshot_task) == ["nothing to do"]
    assert CampaignDelivery.objects.count() == 0
    assert not OutboxMessage.objects.filter(task=campaign_batch_task.module_path).exists()


def test_a_campaign_reaches_each_consenting_customer_once_in_their_language(mailoutbox,
                                                                             worker):
    spanish = [a_customer(f"es{n}@example.com") for n in range(4)]
    english = [a_customer(f"en{n}@example.com", locale="en") for n in range(3)]
    a_customer("no@example.com", consent=False)
    campaign = a_campaign()

    start(campaign, worker)
    outcomes = run_chain(worker)

    campaign.refresh_from_db()
    assert outcomes == ["batch done", "batch done", "campaign done"]
    assert (campaign.status, campaign.recipients_total, campaign.sent, campaign.failed,
            campaign.skipped) == ("done", 7, 7, 0, 0)
    assert campaign.finished_at is not None
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == sorted(c.email for c in spanish + english)
    for customer in spanish + english:
        mail = by_address[customer.email]
        link = unsubscribe_url(customer)
        assert mail.subject == ("Rebajas de invierno" if customer.locale == "es"
                                else "Winter sale")
        assert mail.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.extra_headers["Message-ID"] == (
            f"<campaign-{campaign.pk}-{customer.pk}@tienda.local>")
        assert link in mail.body
        html = mail.alternatives[0].content
        assert link in html and "&lt;" in html and "<p>" in html


def test_over_smtp_each_recipient_gets_the_prepared_message_in_their_language(mailbox,
                                                                             worker):
    customers = [a_customer("es@example.com"), a_customer("en@example.com", locale="en")]
    campaign = a_campaign()
    start(campaign, worker)

    assert run_chain(worker) == ["campaign done"]

    by_address = {mail.to: mail for mail in mailbox()}
    assert sorted(by_address) == ["en@example.com", "es@example.com"]
    for customer in customers:
        message, link = by_address[customer.email].message, unsubscribe_url(customer)
        assert message["Subject"] == {"es": "Rebajas de invierno",
                                      "en": "Winter sale"}[customer.locale]
        assert message["Message-ID"] == f"<campaign-{campaign.pk}-{customer.pk}@tienda.local>"
        assert message["List-Unsubscribe"] == f"<{link}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        word = {"es": "hoy", "en": "today"}[customer.locale]
        assert link in text and f"<{word}>" in text
        assert link in html and f"&lt;{word}&gt;" in html
    assert statuses(campaign) == {"sent": 2}


def test_sending_and_every_action_is_in_the_audit_log(worker):
    a_customer()
    campaign = a_campaign()
    start(campaign, worker)
    services.campaign_pause(campaign_id=campaign.pk, actor=STAFF)
    services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)
    services.campaign_test_send(campaign_id=campaign.pk, locale="en", actor=STAFF)
    services.campaign_cancel(campaign_id=campaign.pk, actor=STAFF)

    actions = list(AuditEntry.objects.filter(entity="campaign", entity_id=str(campaign.pk))
                   .order_by("id").values_list("action", "actor"))
    assert actions == [(f"campaign.{a}", STAFF) for a in
                       ("create", "send", "snapshot", "pause", "resume", "test_send", "cancel")]
    assert AuditEntry.objects.get(action="campaign.snapshot").after["recipients_total"] == 1


def test_a_redelivered_batch_sends_nothing_twice(mailoutbox, worker):
    for n in range(5):
        a_customer(f"r{n}@example.com")
    campaign = a_campaign()
    start(campaign, worker)
    first = OutboxMessage.objects.get(task=campaign_batch_task.module_path)

    outcomes = [run_message(queue="notifications", body=envelope(first), message_id="m",
                            dequeue_count=n) for n in (1, 2)]
    # The same batch again under a new envelope id (published twice): the chain moved on.
    again = campaign_batch_task.call(campaign_id=campaign.pk, batch=0)

    assert outcomes == ["done", "duplicate"]
    assert again == "nothing to do"
    assert len(mailoutbox) == 3
    assert statuses(campaign) == {"sent": 3, "pending": 2}


def test_a_row_left_sending_by_a_killed_worker_is_sent_again_with_the_same_message_id(
        mailoutbox, worker):
    customers = [a_customer(f"k{n}@example.com") for n in range(2)]
    campaign = a_campaign()
    start(campaign, worker)
    # What a worker killed mid-send leaves: one row claimed, the lease taken, no "sent".
    CampaignDelivery.objects.filter(customer=customers[0]).update(status="sending", attempts=1)
    Campaign.objects.filter(pk=campaign.pk).update(lease_token="dead",
                                                   lease_until=timezone.now())

    run_chain(worker)

    assert sorted(m.to[0] for m in mailoutbox) == ["k0@example.com", "k1@example.com"]
    assert CampaignDelivery.objects.get(customer=customers[0]).attempts == 2
    assert statuses(campaign) == {"sent": 2}


def test_consent_withdrawn_after_the_snapshot_means_no_email(mailoutbox, worker):
    stays = a_customer("stays@example.com")
    leaves = a_customer("leaves@example.com")
    campaign = a_campaign()
    start(campaign, worker)

    assert customer_unsubscribe(customer_id=leaves.pk, token=unsubscribe_token(leaves.pk))
    run_chain(worker)

    campaign.refresh_from_db()
    assert [m.to[0] for m in mailoutbox] == [stays.email]
    assert (campaign.status, campaign.sent, campaign.skipped) == ("done", 1, 1)
    assert CampaignDelivery.objects.get(customer=leaves).status == "skipped"


def test_pause_stops_the_running_batch_at_its_next_recipient_and_resume_carries_on(
        settings, worker):
    from django.core import mail

    settings.MAILERS = {"default": {"BACKEND": "tests.shop.campaigns.mail_doubles.HookedBackend"}}
    mail.outbox = []
    for n in range(5):
        a_customer(f"p{n}@example.com")
    campaign = a_campaign()
    start(campaign, worker)

    def pause_after_two(sent: int) -> None:
        if sent == 2:
            services.campaign_pause(campaign_id=campaign.pk, actor=STAFF)

    mail_doubles.AFTER_SEND.append(pause_after_two)
    mail_doubles.HookedBackend.sent = 0
    try:
        paused = run_chain(worker)
    finally:
        mail_doubles.AFTER_SEND.remove(pause_after_two)
    campaign.refresh_from_db()
    assert paused == ["stopped"]
    assert (campaign.status, campaign.sent, len(mail.outbox)) == ("paused", 2, 2)

    services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)
    resumed = run_chain(worker)

    campaign.refresh_from_db()
    assert resumed == ["campaign done"]  # the three left fit in one batch
    assert (campaign.status, campaign.sent, len(mail.outbox)) == ("done", 5, 5)
    assert len({m.to[0] for m in mail.outbox}) == 5


def test_cancel_stops_for_good(mailoutbox, worker):
    for n in range(4):
        a_customer(f"x{n}@example.com")
    campaign = a_campaign()
    start(campaign, worker)
    services.campaign_cancel(campaign_id=campaign.pk, actor=STAFF)

    outcomes = run_chain(worker)

    assert outcomes == ["nothing to do"]
    assert mailoutbox == []
    with pytest.raises(IllegalTransition, match="cancelled cannot become sending"):
        services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    with pytest.raises(Conflict, match="a campaign that is cancelled cannot resume"):
        services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)


def test_illegal_actions_are_conflicts_and_change_nothing():
    campaign = a_campaign()

    with pytest.raises(IllegalTransition, match="draft cannot become paused"):
        services.campaign_pause(campaign_id=campaign.pk, actor=STAFF)
    with pytest.raises(Conflict, match="a campaign that is draft cannot resume"):
        services.campaign_resume(campaign_id=campaign.pk, actor=STAFF)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.version) == ("draft", 1)
    assert AuditEntry.objects.filter(action__in=("campaign.pause", "campaign.resume")).count() == 0


def test_a_smtp_refusal_is_recorded_as_failed_and_the_batch_goes_on(settings, tmp_path,
                                                                      worker):
    for address in ("ok1@example.com", "bounce@example.com", "ok2@example.com"):
        a_customer(address)
    campaign = a_campaign()
    start(campaign, worker)

    with mail_doubles.scripted_smtp(tmp_path, refuse=frozenset({"bounce@example.com"})) as (
            _, port):
        settings.MAILERS = mail_doubles.smtp_mailer(port)
        outcome = campaign_batch_task.call(campaign_id=campaign.pk, batch=0)

    campaign.refresh_from_db()
    bounced = CampaignDelivery.objects.get(customer__email="bounce@example.com")
    assert outcome == "campaign done"
    assert sorted(m.to for m in read_mailbox(tmp_path)) == ["ok1@example.com",
                                                            "ok2@example.com"]
    assert bounced.status == "failed"
    assert "550" in bounced.error and "mailbox unavailable" in bounced.error
    assert (campaign.sent, campaign.failed) == (2, 1)


def test_a_campaign_scheduled_for_later_is_started_by_the_due_timer(worker, mailoutbox):
    a_customer("due@example.com")
    campaign = a_campaign()
    later = timezone.now() + timedelta(hours=1)

    services.campaign_send(campaign_id=campaign.pk, scheduled_at=later, actor=STAFF)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_at) == ("scheduled", later)
    assert AuditEntry.objects.get(action="campaign.schedule").after["status"] == "scheduled"
    assert services.campaigns_start_due() == 0
    assert CampaignDelivery.objects.count() == 0

    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert services.campaigns_start_due() == 1
    assert worker.deliver(campaign_snapshot_task) == ["snapshot done"]
    run_chain(worker)

    campaign.refresh_from_db()
    assert campaign.status == "done"
    assert [m.to[0] for m in mailoutbox] == ["due@example.com"]
    assert AuditEntry.objects.get(action="campaign.send").actor == "campaigns-due timer"


def test_a_test_send_goes_to_the_staff_member_through_the_notifications_queue(mailoutbox,
                                                                            worker):
    campaign = a_campaign()

    services.campaign_test_send(campaign_id=campaign.pk, locale="en", actor=STAFF)
    [queued] = OutboxMessage.objects.filter(task=campaign_test_send_task.module_path)
    worker.deliver(campaign_test_send_task)

    assert queued.queue == "notifications"
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == ([STAFF], "[TEST] Winter sale")
    assert CampaignDelivery.objects.count() == 0


def test_edits_need_the_current_version_and_a_draft_or_scheduled_campaign():
    campaign = a_campaign()
    edited = services.campaign_update(campaign_id=campaign.pk, expected_version=1,
                                      values={**campaign_values(language="en"), "name": "B"},
                                      actor=STAFF)
    assert (edited.name, edited.segment["language"], edited.version) == ("B", "en", 2)
    audit = AuditEntry.objects.get(action="campaign.update")
    assert (audit.before["name"], audit.after["name"], audit.after["version"]) == (
        "Rebajas", "B", 2)

    with pytest.raises(StaleEdit, match=r"changed by staff@tienda\.test"):
        services.campaign_update(campaign_id=campaign.pk, expected_version=1,
                                 values=campaign_values(), actor=STAFF)
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    with pytest.raises(Conflict, match="a campaign that is sending cannot be edited"):
        services.campaign_update(campaign_id=campaign.pk, expected_version=3,
                                 values=campaign_values(), actor=STAFF)
