"""Backoffice permissions that no model of another app carries (ship an order, adjust stock,
read reports, manage staff...). The model has no table: it only anchors these permissions, so
the roles in `backoffice/roles.py` are plain Django groups holding plain Django permissions."""

from __future__ import annotations

from django.db import models

CUSTOM_PERMISSIONS = (
    ("ship_order", "Can ship orders"),
    ("deliver_order", "Can mark orders delivered"),
    ("cancel_order", "Can cancel orders"),
    ("refund_order", "Can refund orders"),
    ("adjust_stock", "Can adjust stock levels"),
    ("view_reports", "Can view reports"),
    ("view_jobs", "Can view background jobs"),
    ("manage_jobs", "Can retry and discard background jobs"),
    ("view_mailbox", "Can view the captured mailbox"),
    ("view_campaigns", "Can view campaigns"),
    ("manage_campaigns", "Can manage campaigns"),
    ("view_staff", "Can view staff accounts"),
    ("manage_staff", "Can manage staff accounts"),
)


class BackofficePermission(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = CUSTOM_PERMISSIONS
