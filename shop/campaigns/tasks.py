"""Campaign tasks on the `notifications` queue: thin interfaces over shop.campaigns."""

from __future__ import annotations

from django.tasks import task

from workers.runner import commits_own_work


@task(queue_name="notifications")
@commits_own_work
def campaign_batch_task(*, campaign_id: int, batch: int) -> str:
    """One batch of the fan-out; it enqueues the next. It commits per recipient (the runner
    records the message as processed only after it returns): see shop.campaigns.sending."""
    from shop.campaigns.sending import campaign_batch_send

    return campaign_batch_send(campaign_id=campaign_id, batch=batch)


@task(queue_name="notifications")
@commits_own_work
def campaign_snapshot_task(*, campaign_id: int, actor: str) -> str:
    """The recipient snapshot of a campaign just started, then the first batch. It commits per
    chunk and skips the recipients already in (see shop.campaigns.services)."""
    from shop.campaigns.services import campaign_recipients_snapshot

    return campaign_recipients_snapshot(campaign_id=campaign_id, actor=actor)


@task(queue_name="notifications")
def campaign_test_send_task(*, campaign_id: int, locale: str, to: str) -> None:
    from shop.campaigns.sending import campaign_test_email_send

    campaign_test_email_send(campaign_id=campaign_id, locale=locale, to=to)
