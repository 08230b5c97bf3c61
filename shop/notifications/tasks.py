"""Background tasks that send e-mail: thin interfaces over shop.notifications.emails. A
redelivered message is skipped by the worker's inbox (ProcessedMessage)."""

from __future__ import annotations

from django.tasks import task

from shop.notifications.emails import email_send, order_email_send


@task(queue_name="notifications")
def send_order_email_task(*, order_id: str, kind: str) -> None:
    order_email_send(order_id=order_id, kind=kind)


@task(queue_name="notifications")
def send_email_task(*, kind: str, to: str, locale: str, context: dict) -> None:
    email_send(kind=kind, to=to, locale=locale, context=context)
