"""Run one queue message: the same code behind `manage.py runworker` and the Function App's
queue triggers.

A message is the envelope `workers.backend.envelope` wrote. Its task must live in a module of
`settings.WORKER_TASK_MODULES` and belong to the queue it came from, so a crafted message
cannot import or run anything else. The envelope id goes into the inbox (`ProcessedMessage`)
in the task's own transaction: a redelivered or twice-published message does nothing twice
(a task marked `commits_own_work` commits as it goes; its inbox row follows its return).
Anything wrong raises; the queue then retries and, after its dequeue limit, poisons it."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.tasks import Task
from django.utils.module_loading import import_string

from workers.models import ProcessedMessage

logger = logging.getLogger(__name__)


class MalformedMessage(ValueError):
    """The body is not an envelope this runner can run; it will end in the poison queue."""


def run_message(*, queue: str, body: bytes | str, message_id: str, dequeue_count: int) -> str:
    """Run the task in `body` once; returns "done" or "duplicate", raises on failure."""
    tidy_connections()
    try:
        envelope = parse_envelope(body)
        task = resolve_task(envelope["task"], queue=queue)
        outcome = _run_once(task, envelope)
        logger.info("%s %s (%s, attempt %d): %s %s", queue, message_id, envelope["task"],
                    dequeue_count, outcome, envelope["id"])
        return outcome
    finally:
        tidy_connections()


def tidy_connections() -> None:
    """Outside requests Django leaves CONN_MAX_AGE and health checks to us. A caller already
    inside a transaction (a test, a management command) keeps its connection."""
    if not connection.in_atomic_block:
        close_old_connections()


def parse_envelope(body: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedMessage(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise MalformedMessage("not a version 1 task envelope")
    checks = {"id": str, "task": str, "args": list, "kwargs": dict}
    for key, kind in checks.items():
        if not isinstance(data.get(key), kind):
            raise MalformedMessage(f"field {key!r} missing or not a {kind.__name__}")
    try:
        uuid.UUID(data["id"])
    except ValueError:
        raise MalformedMessage(f"id {data['id']!r} is not a UUID") from None
    return data


def resolve_task(path: str, *, queue: str) -> Task:
    module, _, _name = path.rpartition(".")
    if module not in settings.WORKER_TASK_MODULES:
        raise MalformedMessage(f"task {path!r} is not in an allowed module")
    try:
        found = import_string(path)
    except ImportError:
        raise MalformedMessage(f"task {path!r} does not exist") from None
    if not isinstance(found, Task):
        raise MalformedMessage(f"{path!r} is not a task")
    if found.queue_name != queue:
        raise MalformedMessage(f"task {path!r} belongs to queue {found.queue_name!r}, "
                               f"not {queue!r}")
    return found


def commits_own_work(function: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a task function (under `@task`) that commits its own work as it goes, such as a
    batch that sends e-mail: run in one transaction with its inbox row, a kill after some
    sends would roll back their "sent" marks and send them again. The runner calls it outside
    any transaction and records the inbox row after it returns, so a message whose run died
    midway runs again in full: such a task must itself skip what it has already done."""
    function.commits_own_work = True  # type: ignore[attr-defined]
    return function


def _run_once(task: Task, envelope: dict[str, Any]) -> str:
    if getattr(task.func, "commits_own_work", False):
        return _run_then_record(task, envelope)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedMessage.objects.create(task=envelope["task"], message_id=envelope["id"])
        except IntegrityError:
            return "duplicate"
        task.call(*envelope["args"], **envelope["kwargs"])
    return "done"


def _run_then_record(task: Task, envelope: dict[str, Any]) -> str:
    inbox = ProcessedMessage.objects.filter(task=envelope["task"], message_id=envelope["id"])
    if inbox.exists():
        return "duplicate"
    task.call(*envelope["args"], **envelope["kwargs"])
    try:
        with transaction.atomic():
            ProcessedMessage.objects.create(task=envelope["task"], message_id=envelope["id"])
    except IntegrityError:  # a second delivery, run at the same time, finished first
        return "duplicate"
    return "done"
