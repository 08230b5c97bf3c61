"""The fan-out: one batch of a campaign's deliveries at a time, each recipient claimed,
sent and marked in its own commits.

A batch runs outside the runner's transaction (workers.runner.commits_own_work). It first takes
the campaign's lease (one batch at a time; a second delivery of the same message waits for it,
then finds the chain moved on), then per recipient:

1. claim: the campaign is still `sending` under our lease (renewed every LEASE_SECONDS / 4),
   the customer still consents (else the row is `skipped`), the row goes pending/sending →
   sending (address and language are read at the batch's start);
2. send over the batch's one SMTP connection, paced to CAMPAIGNS["RATE_PER_SECOND"]: the
   bytes of emails.CampaignMime (the per-locale parts are built once per batch);
3. mark `sent` (or `failed` with the server's refusal).

Each step 3 is committed before the next message goes out: with the next recipient's claim
(on PostgreSQL one statement, so one round trip and one commit per message), or on its own
after the batch's last message.

A row left `sending` by a killed worker is sent again by the next batch, with the same
Message-ID: only a kill between the server accepting a message and step 3 committing can
deliver it twice. At the end the counts are refreshed and the next batch is enqueued (or the
campaign is done), in one transaction."""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from shop.campaigns.emails import (
    PLAIN_ADDRESS,
    CampaignMime,
    campaign_email,
    campaign_message_id,
    campaign_preview,
    campaign_render,
)
from shop.campaigns.models import Campaign, CampaignDelivery, DeliveryStatus
from shop.campaigns.rules import check_transition, pause_before
from shop.campaigns.selectors import delivery_counts
from shop.customers.models import Customer
from shop.customers.selectors import unsubscribe_url
from shop.notifications.emails import MAIL_DOMAIN

logger = logging.getLogger(__name__)
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# What the SMTP server says about one message: recorded on the row, the batch goes on. A lost
# connection is not one of them: the batch fails and its message is retried.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
            ValueError)
LEASE_POLL_SECONDS = 0.5


class CampaignBusy(RuntimeError):
    """Another batch of the campaign held its lease for longer than a batch may take."""


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    status: str
    error: str


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    customer_id: int
    email: str
    locale: str


def _options() -> dict[str, int]:
    return settings.CAMPAIGNS


def campaign_batch_send(*, campaign_id: int, batch: int) -> str:
    """Send batch number `batch` of the campaign; returns what happened."""
    token = uuid.uuid4().hex
    if not _take_lease(campaign_id, batch, token):
        return "nothing to do"
    try:
        outcome = _send_batch(campaign_id, token)
    except BaseException:
        Campaign.objects.filter(pk=campaign_id, lease_token=token).update(
            lease_token="", lease_until=None)
        raise
    return _finish_batch(campaign_id, batch, token, outcome)


def _take_lease(campaign_id: int, batch: int, token: str) -> bool:
    """True once the lease is ours; False when this batch has nothing to do (the campaign is
    not sending, its recipient snapshot is not complete yet, or the chain has moved past
    it)."""
    lease = _options()["LEASE_SECONDS"]
    deadline = time.monotonic() + 2 * lease + 10
    while True:
        now = timezone.now()
        current = Campaign.objects.filter(pk=campaign_id, status="sending", next_batch=batch,
                                          recipients_at__isnull=False)
        if current.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(
                lease_token=token, lease_until=now + timedelta(seconds=lease)):
            return True
        if not current.exists():
            return False
        if time.monotonic() > deadline:
            raise CampaignBusy(f"campaign {campaign_id}: batch {batch} is still leased")
        time.sleep(LEASE_POLL_SECONDS)  # a live batch renews it; a killed one's runs out


def _send_batch(campaign_id: int, token: str) -> str:
    rows = list(CampaignDelivery.objects.filter(campaign_id=campaign_id, status__in=OPEN)
                .order_by("id").values_list("id", "customer_id", "customer__email",
                                            "customer__locale")[:_options()["BATCH_SIZE"]])
    if not rows:
        return "batch done"
    campaign = Campaign.objects.get(pk=campaign_id)
    lease = Lease(campaign_id, token)
    rate, started, sent = _options()["RATE_PER_SECOND"], time.monotonic(), 0
    done: Outcome | None = None  # the last message sent: marked with the next claim
    with mailers.default as connection, _commits_without_waiting_for_disk():
        send = _sender(connection, campaign)
        try:
            for delivery_id, customer_id, email, locale in rows:
                wait = pause_before(sent=sent, elapsed=time.monotonic() - started,
                                    rate_per_second=rate)
                if wait:
                    time.sleep(wait)  # pacing; sleep(0) would still give up the GIL
                claimed = _claim(campaign_id, token, delivery_id, after=done)
                done = None
                if claimed == "stop" or not lease.renewed():
                    return "stopped"
                if claimed == "claimed":
                    done = _deliver(send, campaign_id, Recipient(delivery_id, customer_id,
                                                                 email, locale))
                    sent += 1
        finally:
            if done is not None:
                _mark(done)
    return "batch done"


class Lease:
    """The batch's hold on its campaign, renewed a few times per LEASE_SECONDS."""

    def __init__(self, campaign_id: int, token: str) -> None:
        self.campaign_id, self.token = campaign_id, token
        self.seconds = _options()["LEASE_SECONDS"]
        self.renew_at = time.monotonic() + self.seconds / 4

    def renewed(self) -> bool:
        """False once the campaign stopped sending or another batch took the lease."""
        if time.monotonic() < self.renew_at:
            return True
        self.renew_at = time.monotonic() + self.seconds / 4
        until = timezone.now() + timedelta(seconds=self.seconds)
        return bool(Campaign.objects.filter(pk=self.campaign_id, status="sending",
                                            lease_token=self.token).update(lease_until=until))


@contextmanager
def _commits_without_waiting_for_disk() -> Iterator[None]:
    """PostgreSQL: the batch's commits return before their WAL reaches the disk (an fsync per
    message, about 4 ms here, would cap a batch near 250 messages/s). Other sessions see each
    commit at once and a killed worker loses none; only a crash of the database server itself
    can lose the last ~0.6 s (3 x wal_writer_delay) of them, whose messages then go again with
    the same Message-ID."""
    database = connections["default"]
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with database.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


# The statements run per recipient, written out: built by the ORM they cost more CPU than the
# rest of the message. Each is its own commit (autocommit).
_DELIVERIES, _CAMPAIGNS = CampaignDelivery._meta.db_table, Campaign._meta.db_table
CLAIM_SQL = (
    f"UPDATE {_DELIVERIES} SET status = 'sending', attempts = attempts + 1, claimed_at = %s "
    "WHERE id = %s AND status IN ('pending', 'sending') "
    f"AND EXISTS (SELECT 1 FROM {Customer._meta.db_table} c WHERE c.id = {_DELIVERIES}"
    ".customer_id AND c.marketing_consent) "
    f"AND EXISTS (SELECT 1 FROM {_CAMPAIGNS} k WHERE k.id = {_DELIVERIES}.campaign_id "
    "AND k.status = 'sending' AND k.lease_token = %s)")
MARK_SQL = (f"UPDATE {_DELIVERIES} SET status = %s, error = %s, finished_at = %s "
            "WHERE id = %s AND status = 'sending'")
MARK_THEN_CLAIM_SQL = f"WITH marked AS ({MARK_SQL}) {CLAIM_SQL}"  # PostgreSQL


def _now() -> object:
    return connections["default"].ops.adapt_datetimefield_value(timezone.now())


def _claim(campaign_id: int, token: str, delivery_id: int, *, after: Outcome | None) -> str:
    """The row goes pending/sending → sending if the customer still consents and the campaign
    is still sending under our lease: "claimed", "stop" (paused, cancelled or the lease lost)
    or "skip" (done meanwhile, or consent withdrawn: skipped). The previous message's outcome
    (`after`) is marked first: on PostgreSQL in the same statement (one round trip and one
    commit per message), elsewhere in a statement of its own."""
    database = connections["default"]
    claim = [_now(), delivery_id, token]
    with database.cursor() as cursor:
        if after is not None and database.vendor == "postgresql":
            cursor.execute(MARK_THEN_CLAIM_SQL, _mark_params(after) + claim)
        else:
            if after is not None:
                cursor.execute(MARK_SQL, _mark_params(after))
            cursor.execute(CLAIM_SQL, claim)
        if cursor.rowcount:
            return "claimed"
    if not Campaign.objects.filter(pk=campaign_id, status="sending",
                                   lease_token=token).exists():
        return "stop"
    CampaignDelivery.objects.filter(pk=delivery_id, status__in=OPEN,
                                    customer__marketing_consent=False).update(
        status=DeliveryStatus.SKIPPED, finished_at=timezone.now(),
        error="marketing consent withdrawn before sending")
    return "skip"


def _mark_params(done: Outcome) -> list[object]:
    return [done.status, done.error, _now(), done.delivery_id]


def _mark(done: Outcome) -> None:
    """One committed statement: `sent`, or `failed` with the server's refusal."""
    with connections["default"].cursor() as cursor:
        cursor.execute(MARK_SQL, _mark_params(done))


Send = Callable[[Recipient, str], None]


def _sender(connection, campaign: Campaign) -> Send:  # type: ignore[no-untyped-def]
    """How the batch sends one recipient's e-mail: over Django's SMTP backend, the bytes of
    CampaignMime on its open connection; any other mailer (in memory, console) gets the
    EmailMessage of campaign_email."""
    if isinstance(connection, SmtpBackend) and connection.connection is not None:
        smtp, mime = connection.connection, CampaignMime(campaign)
        sender = connection.prep_address(settings.DEFAULT_FROM_EMAIL)

        def send_bytes(recipient: Recipient, link: str) -> None:
            to = recipient.email
            smtp.sendmail(sender, [to if PLAIN_ADDRESS.fullmatch(to)
                                   else connection.prep_address(to)],
                          mime.message(to=to, locale=recipient.locale,
                                       customer_id=recipient.customer_id, unsubscribe=link))
        return send_bytes

    def send_message(recipient: Recipient, link: str) -> None:
        rendered = campaign_render(campaign, locale=recipient.locale, unsubscribe=link)
        connection.send_messages([campaign_email(
            rendered, to=recipient.email, campaign_id=campaign.pk,
            message_id=campaign_message_id(campaign.pk, recipient.customer_id))])
    return send_message


def _deliver(send: Send, campaign_id: int, recipient: Recipient) -> Outcome:
    try:
        send(recipient, unsubscribe_url(Customer(pk=recipient.customer_id)))
    except REFUSALS as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        logger.info("campaign %s: %s refused: %s", campaign_id, recipient.email, error)
        return Outcome(recipient.delivery_id, DeliveryStatus.FAILED, error)
    return Outcome(recipient.delivery_id, DeliveryStatus.SENT, "")


@transaction.atomic
def _finish_batch(campaign_id: int, batch: int, token: str, outcome: str) -> str:
    """Counts refreshed; the lease released; the next batch enqueued, or the campaign done."""
    from shop.campaigns.tasks import campaign_batch_task

    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    counts = delivery_counts(campaign_id=campaign_id)
    campaign.sent, campaign.failed, campaign.skipped = (
        counts.get("sent", 0), counts.get("failed", 0), counts.get("skipped", 0))
    fields = ["sent", "failed", "skipped"]
    if campaign.lease_token == token:
        campaign.lease_token, campaign.lease_until = "", None
        fields += ["lease_token", "lease_until"]
        if campaign.status == "sending" and campaign.next_batch == batch:
            if counts.get("pending", 0) + counts.get("sending", 0):
                campaign.next_batch = batch + 1
                campaign_batch_task.enqueue(campaign_id=campaign_id, batch=batch + 1)
                fields.append("next_batch")
            else:
                check_transition(campaign.status, "done")
                campaign.status, campaign.finished_at = "done", timezone.now()
                fields += ["status", "finished_at"]
                outcome = "campaign done"
    campaign.save(update_fields=fields)
    return outcome


def campaign_test_email_send(*, campaign_id: int, locale: str, to: str) -> None:
    """The test send: the campaign as `locale` recipients get it, "[TEST]" in the subject."""
    campaign = Campaign.objects.get(pk=campaign_id)
    rendered = campaign_preview(campaign, locale=locale, test=True)
    message = campaign_email(rendered, to=to, campaign_id=campaign.pk,
                             message_id=f"<campaign-{campaign.pk}-test-{uuid.uuid4().hex}"
                                        f"@{MAIL_DOMAIN}>")
    with mailers.default as connection:
        connection.send_messages([message])
