from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """Who changed what, with the state before and after; written in the same transaction as
    the change it records, and never edited."""

    actor = models.CharField(max_length=320)
    action = models.CharField(max_length=60)
    entity = models.CharField(max_length=60)
    entity_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "audit_log"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"], name="ix_audit_log_entity")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.entity}#{self.entity_id}"
