"""Writing the audit log; always called inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from shop.audit.models import AuditEntry


def audit_record(*, actor: str, action: str, entity: str, entity_id: object,
                 before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(actor=actor, action=action, entity=entity,
                                     entity_id=str(entity_id), before=before, after=after)
