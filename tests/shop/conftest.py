"""Fixtures for the shop's core: staff, and running queued tasks the way the worker would."""

from __future__ import annotations

import pytest

from workers.models import OutboxMessage


@pytest.fixture
def manager(django_user_model):
    return django_user_model.objects.create_user(email="manager@tienda.local",
                                                 password="irrelevant-here", is_staff=True)


def queued(task_name: str) -> list[dict]:
    """The kwargs of every outbox row for the task (its function name), oldest first."""
    return [row.payload["kwargs"] for row in OutboxMessage.objects.order_by("id")
            if row.task.rsplit(".", 1)[-1] == task_name]


class Worker:
    """Runs queued tasks the way the worker does (`task.call` with the outbox row's kwargs),
    each outbox row once per `deliver` (or `times` times: a redelivery) and never again."""

    def __init__(self) -> None:
        self.delivered: set[int] = set()

    def deliver(self, task, *, times: int = 1) -> list[object]:
        outcomes = []
        for row in OutboxMessage.objects.filter(task=task.module_path).order_by("id"):
            if row.pk not in self.delivered:
                self.delivered.add(row.pk)
                outcomes += [task.call(**row.payload["kwargs"]) for _ in range(times)]
        return outcomes


@pytest.fixture
def worker() -> Worker:
    return Worker()
