"""Background tasks of the orders app: thin interfaces over shop.orders.services."""

from __future__ import annotations

from django.tasks import task

from shop.orders.services import order_confirm


@task(queue_name="order-confirmation")
def confirm_order_task(*, order_id: str) -> str:
    """Capture, invoice, allocate and confirm; safe to redeliver."""
    return order_confirm(order_id=order_id)
