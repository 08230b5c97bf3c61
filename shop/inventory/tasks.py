"""Inventory background tasks (the inventory-jobs queue and its timers)."""

from __future__ import annotations

from django.tasks import task


@task(queue_name="inventory-jobs")
def back_in_stock_task() -> None:
    """The back-in-stock timer's work: queue the e-mails of the alerts that are due."""
    from shop.inventory.back_in_stock import back_in_stock_alerts_send

    back_in_stock_alerts_send()
