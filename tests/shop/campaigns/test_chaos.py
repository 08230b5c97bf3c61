"""A campaign to 2,000 customers with a real `manage.py runworker` SIGKILLed while an e-mail is
in flight (held at RCPT by the test's SMTP server), then a new worker carrying on: exactly one
e-mail per consenting recipient, none to who unsubscribed before the send or before their
batch, each with the campaign's stable Message-ID, the unsubscribe headers and their language."""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from shop.campaigns import services
from shop.campaigns.models import Campaign
from shop.campaigns.tasks import campaign_snapshot_task
from shop.customers.selectors import unsubscribe_token, unsubscribe_url
from shop.customers.services import customer_unsubscribe
from shop.notifications.capture import read_mailbox
from tests.conftest import poll
from tests.shop.campaigns.builders import a_campaign, many_customers
from tests.shop.campaigns.mail_doubles import scripted_smtp
from tests.workers.helpers import start_worker, stopping

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite, pytest.mark.slow,
              pytest.mark.usefixtures("empty_queues")]
HELD = 700  # the message in flight when the worker is killed


def campaign_worker(port: int, log):  # type: ignore[no-untyped-def]
    return start_worker(
        log=log, DJANGO_SETTINGS_MODULE="tests.shop.campaigns.worker_settings",
        TIENDA_SMTP_PORT=str(port), TIENDA_CAMPAIGN_RATE_PER_SECOND="0",
        TIENDA_CAMPAIGN_BATCH_SIZE="250", TIENDA_WORKER_VISIBILITY_TIMEOUT="3")


def status(campaign: Campaign) -> str:
    return Campaign.objects.values_list("status", flat=True).get(pk=campaign.pk)


def test_a_worker_killed_mid_campaign_leaves_one_email_per_consenting_recipient(tmp_path):
    spanish = many_customers(1000, prefix="es")
    english = many_customers(1000, locale="en", prefix="en")
    many_customers(30, consent=False, prefix="before")  # unsubscribed before the send
    campaign = a_campaign()
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor="staff@t.test")
    # The snapshot task, run here so that the unsubscribes below come after it.
    assert campaign_snapshot_task.call(campaign_id=campaign.pk, actor="staff@t.test") == (
        "snapshot done")
    # Unsubscribed after the snapshot, before their batch (the last ones in id order).
    late = english[-25:]
    for customer in late:
        assert customer_unsubscribe(customer_id=customer.pk,
                                    token=unsubscribe_token(customer.pk))
    log = (tmp_path / "worker.log").open("wb")
    mail_dir = tmp_path / "mail"

    with scripted_smtp(mail_dir, hold_at=HELD) as (smtp, port):
        with stopping(campaign_worker(port, log)) as worker:
            poll(smtp.holding.is_set, 180, f"message {HELD} to be in flight")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        smtp.release.set()
        delivered_before_kill = len(read_mailbox(mail_dir))
        with stopping(campaign_worker(port, log)) as worker:
            poll(lambda: status(campaign) == "done", 240, "the campaign to be done")
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=60) == 0

    mails = read_mailbox(mail_dir)
    campaign.refresh_from_db()
    wanted = {c.email: c for c in spanish + english if c not in late}
    assert delivered_before_kill == HELD - 1
    assert Counter(mail.to for mail in mails) == Counter(dict.fromkeys(wanted, 1))
    assert (campaign.recipients_total, campaign.sent, campaign.skipped, campaign.failed) == (
        2000, 1975, 25, 0)
    for mail in mails:
        customer = wanted[mail.to]
        message = mail.message
        assert message["Message-ID"] == f"<campaign-{campaign.pk}-{customer.pk}@tienda.local>"
        # A long header is folded on the wire: compare it unfolded.
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe_url(customer)}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.subject == {"es": "Rebajas de invierno", "en": "Winter sale"}[
            customer.locale]
