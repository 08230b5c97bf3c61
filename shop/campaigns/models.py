"""Campaigns and their per-recipient deliveries. Status changes only through
shop.campaigns.services, which checks shop.campaigns.rules."""

from __future__ import annotations

from django.db import models

from shop.core.models import Timestamped


class Campaign(Timestamped):
    name = models.CharField(max_length=200)
    subject_es = models.CharField(max_length=200)
    subject_en = models.CharField(max_length=200)
    body_es = models.TextField()
    body_en = models.TextField()
    segment = models.JSONField()
    status = models.CharField(max_length=12, default="draft", db_index=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    recipients_total = models.IntegerField(default=0)
    sent = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    created_by = models.CharField(max_length=320)
    version = models.IntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the recipient snapshot (a task, off the staff request) was complete: until then the
    # campaign is "sending" with recipients_total counting up and no batch runs.
    recipients_at = models.DateTimeField(null=True, blank=True)
    # The fan-out chain: the number of the batch that may run next (an older batch message,
    # redelivered, finds it moved on and does nothing), and the lease of the batch running now
    # (one at a time per campaign; a killed worker's lease runs out).
    next_batch = models.IntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "campaigns"
        constraints = [models.CheckConstraint(
            condition=models.Q(status__in=("draft", "scheduled", "sending", "paused", "done",
                                           "cancelled")),
            name="ck_campaigns_known_status")]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SENDING = "sending"  # claimed: its e-mail may be on the wire
    SENT = "sent"
    FAILED = "failed"  # the SMTP server refused it (see error)
    SKIPPED = "skipped"  # consent withdrawn before its turn


class CampaignDelivery(models.Model):
    """One recipient of one campaign, snapshotted when sending starts. The unique pair is the
    dedup guarantee: nobody is in a campaign twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE,
                                 related_name="+")
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.IntegerField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "campaign_deliveries"
        verbose_name_plural = "campaign deliveries"
        constraints = [models.UniqueConstraint(fields=["campaign", "customer"],
                                               name="uq_campaign_deliveries_recipient")]
        indexes = [models.Index(fields=["campaign", "status", "id"],
                                name="ix_campaign_deliveries_todo")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.customer_id}: {self.status}"
