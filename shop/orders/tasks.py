"""Background tasks of the orders app: thin interfaces over shop.orders.services."""

from __future__ import annotations

from django.tasks import task

from shop.orders.services import order_confirm, orders_cancel_stale


@task(queue_name="order-confirmation")
def confirm_order_task(*, order_id: str) -> str:
    """Capture, invoice, allocate and confirm; safe to redeliver."""
    return order_confirm(order_id=order_id)


@task(queue_name="order-confirmation")
def cancel_stale_orders_task() -> int:
    """The pending-orders timer's work as a task (the timer also calls the service)."""
    return orders_cancel_stale()
