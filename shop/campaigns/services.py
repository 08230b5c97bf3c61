"""Campaign writes: keyword-only, one transaction each, audited, tasks enqueued through the
outbox in the same transaction. The per-recipient fan-out is shop.campaigns.sending."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.audit.services import audit_record
from shop.campaigns import tasks
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.rules import (
    LOCALES,
    SegmentInvalid,
    check_editable,
    check_transition,
    segment_clean,
)
from shop.campaigns.selectors import LIVE_STATUSES, rfm_segment_names, segment_customer_ids
from shop.catalog.models import Category
from shop.core.errors import Conflict, NotFound, ShopError, StaleEdit

TEXT_FIELDS = {"name": 200, "subject_es": 200, "subject_en": 200, "body_es": 100_000,
               "body_en": 100_000}
SNAPSHOT_CHUNK = 5000


def _actor(actor: Any) -> str:
    return actor if isinstance(actor, str) else actor.email


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {"name": campaign.name, "subject_es": campaign.subject_es,
            "subject_en": campaign.subject_en, "segment": campaign.segment,
            "status": campaign.status, "version": campaign.version,
            "scheduled_at": campaign.scheduled_at.isoformat() if campaign.scheduled_at else None,
            "recipients_total": campaign.recipients_total,
            "recipients_at": campaign.recipients_at.isoformat() if campaign.recipients_at
            else None}


def _audit(actor: Any, action: str, campaign: Campaign, before: dict[str, Any] | None) -> None:
    audit_record(actor=_actor(actor), action=f"campaign.{action}", entity="campaign",
                 entity_id=campaign.pk, before=before, after=_snapshot(campaign))


def campaign_values(values: dict[str, Any]) -> dict[str, Any]:
    """The campaign's fields cleaned, or a ShopError naming the first wrong one."""
    clean: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        text = str(values.get(name) or "").strip()
        if not text:
            raise ShopError(f"{name} cannot be empty")
        if len(text) > limit:
            raise ShopError(f"{name} is longer than {limit} characters")
        clean[name] = text
    clean["segment"] = segment_check(values.get("segment"))
    return clean


def segment_check(segment: Any) -> dict[str, Any]:
    """segment_clean plus what needs the database: the category exists."""
    clean = segment_clean(segment, rfm_names=rfm_segment_names())
    category = clean["bought_in_category"]
    if category and not Category.objects.filter(pk=category).exists():
        raise SegmentInvalid({"bought_in_category": f"there is no category {category}"})
    return clean


def _locked(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(f"there is no campaign {campaign_id}")
    return campaign


@transaction.atomic
def campaign_create(*, values: dict[str, Any], actor: Any) -> Campaign:
    campaign = Campaign.objects.create(**campaign_values(values), created_by=_actor(actor))
    _audit(actor, "create", campaign, None)
    return campaign


@transaction.atomic
def campaign_update(*, campaign_id: int, expected_version: int, values: dict[str, Any],
                    actor: Any) -> Campaign:
    campaign = _locked(campaign_id)
    if campaign.version != expected_version:
        raise _stale(campaign)
    check_editable(campaign.status)
    before = _snapshot(campaign)
    for name, value in campaign_values(values).items():
        setattr(campaign, name, value)
    campaign.version += 1
    campaign.save()
    _audit(actor, "update", campaign, before)
    return campaign


def _stale(campaign: Campaign) -> StaleEdit:
    change = (AuditEntry.objects.filter(entity="campaign", entity_id=str(campaign.pk))
              .order_by("-id").values_list("actor", "created_at").first())
    who, when = change if change else ("someone", campaign.updated_at)
    return StaleEdit(f"this campaign was changed by {who} at "
                     f"{when.isoformat(timespec='seconds')}; reload it and apply your change "
                     "again", campaign.version)


@transaction.atomic
def campaign_send(*, campaign_id: int, scheduled_at: datetime | None, actor: Any) -> Campaign:
    """Start sending now (`scheduled_at` null or not in the future), or schedule it: the
    `campaigns-due` timer starts it when its time comes."""
    campaign = _locked(campaign_id)
    if scheduled_at is not None and scheduled_at > timezone.now():
        check_transition(campaign.status, "scheduled")
        before = _snapshot(campaign)
        campaign.status, campaign.scheduled_at = "scheduled", scheduled_at
        campaign.version += 1
        campaign.save()
        _audit(actor, "schedule", campaign, before)
        return campaign
    return _start(campaign, actor)


def _start(campaign: Campaign, actor: Any) -> Campaign:
    """Mark it sending and enqueue the recipient snapshot: the request (or the timer) never
    waits for it (about a second per 2,000 recipients). Until the snapshot is complete the
    campaign is `sending` with `recipients_total` counting up, progress 0 and no batch."""
    check_transition(campaign.status, "sending")
    before = _snapshot(campaign)
    campaign.status, campaign.started_at = "sending", timezone.now()
    campaign.recipients_total, campaign.recipients_at = 0, None
    campaign.version += 1
    campaign.save()
    _audit(actor, "send", campaign, before)
    tasks.campaign_snapshot_task.enqueue(campaign_id=campaign.pk, actor=_actor(actor))
    return campaign


def campaign_recipients_snapshot(*, campaign_id: int, actor: str) -> str:
    """The snapshot task: one delivery row per recipient the segment reaches now, inserted in
    committed chunks of SNAPSHOT_CHUNK (a redelivered or restarted task inserts only what is
    missing: the unique (campaign, customer) pair), then, in one transaction, the total, the
    audit entry and the first batch of the chain. Stops when the campaign is cancelled."""
    campaign = Campaign.objects.filter(pk=campaign_id, status__in=LIVE_STATUSES,
                                       recipients_at__isnull=True).first()
    if campaign is None:
        return "nothing to do"
    customer_ids = list(segment_customer_ids(campaign.segment))
    for start in range(0, len(customer_ids), SNAPSHOT_CHUNK):
        chunk = customer_ids[start:start + SNAPSHOT_CHUNK]
        with transaction.atomic():
            CampaignDelivery.objects.bulk_create(
                [CampaignDelivery(campaign_id=campaign_id, customer_id=customer_id)
                 for customer_id in chunk], ignore_conflicts=True)
            if not Campaign.objects.filter(pk=campaign_id, status__in=LIVE_STATUSES).update(
                    recipients_total=start + len(chunk)):
                return "stopped"
    return _recipients_complete(campaign_id, actor)


@transaction.atomic
def _recipients_complete(campaign_id: int, actor: str) -> str:
    campaign = _locked(campaign_id)
    if campaign.status not in LIVE_STATUSES or campaign.recipients_at is not None:
        return "nothing to do"
    before = _snapshot(campaign)
    campaign.recipients_total = CampaignDelivery.objects.filter(campaign_id=campaign_id).count()
    campaign.recipients_at = timezone.now()
    campaign.save(update_fields=["recipients_total", "recipients_at", "updated_at"])
    _audit(actor, "snapshot", campaign, before)
    if campaign.status == "sending":  # paused meanwhile: resume starts the chain
        tasks.campaign_batch_task.enqueue(campaign_id=campaign.pk, batch=campaign.next_batch)
    return "snapshot done"


@transaction.atomic
def campaign_pause(*, campaign_id: int, actor: Any) -> Campaign:
    """The running batch stops at its next recipient and enqueues no other."""
    return _change_status(campaign_id, "paused", "pause", actor)


@transaction.atomic
def campaign_cancel(*, campaign_id: int, actor: Any) -> Campaign:
    """Stops for good; recipients not reached yet stay pending and get nothing."""
    campaign = _change_status(campaign_id, "cancelled", "cancel", actor)
    Campaign.objects.filter(pk=campaign.pk).update(finished_at=timezone.now())
    return campaign


@transaction.atomic
def campaign_resume(*, campaign_id: int, actor: Any) -> Campaign:
    """Carries on with a new batch; an older batch message still around finds the chain moved
    on (next_batch) and does nothing."""
    campaign = _change_status(campaign_id, "sending", "resume", actor, from_status="paused")
    campaign.next_batch += 1
    campaign.save(update_fields=["next_batch"])
    tasks.campaign_batch_task.enqueue(campaign_id=campaign.pk, batch=campaign.next_batch)
    return campaign


def _change_status(campaign_id: int, wanted: str, action: str, actor: Any,
                   from_status: str | None = None) -> Campaign:
    campaign = _locked(campaign_id)
    if from_status and campaign.status != from_status:
        raise _illegal(campaign.status, wanted, action)
    check_transition(campaign.status, wanted)
    before = _snapshot(campaign)
    campaign.status = wanted
    campaign.version += 1
    campaign.save(update_fields=["status", "version", "updated_at"])
    _audit(actor, action, campaign, before)
    return campaign


def _illegal(current: str, wanted: str, action: str) -> ShopError:
    return Conflict(f"a campaign that is {current} cannot {action} (only a paused one can)")


@transaction.atomic
def campaign_test_send(*, campaign_id: int, locale: str, actor: Any) -> None:
    """The campaign in `locale` to the staff member's own address, "[TEST]" in the subject,
    through the notifications queue."""
    if locale not in LOCALES:
        raise ShopError(f"locale must be one of {', '.join(LOCALES)}")
    campaign = _locked(campaign_id)
    to = _actor(actor)
    _audit(actor, "test_send", campaign, None)
    tasks.campaign_test_send_task.enqueue(campaign_id=campaign.pk, locale=locale, to=to)


def campaigns_start_due() -> int:
    """The `campaigns-due` timer: start every scheduled campaign whose time has come."""
    due = Campaign.objects.filter(status="scheduled", scheduled_at__lte=timezone.now())
    started = 0
    for campaign_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            campaign = _locked(campaign_id)
            if campaign.status == "scheduled":
                _start(campaign, "campaigns-due timer")
                started += 1
    return started
