from __future__ import annotations

import uuid

from django.db import models


class OutboxMessage(models.Model):
    """A task enqueued inside a transaction: written with the change that caused it, sent to
    its Azure Storage queue after commit, and by the sweep timer if that send did not happen."""

    message_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    queue = models.CharField(max_length=63)
    task = models.CharField(max_length=200)
    payload = models.JSONField()
    attempts = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "outbox"
        indexes = [models.Index(fields=["published_at", "id"], name="ix_outbox_unpublished")]


class ProcessedMessage(models.Model):
    """The inbox: a message id recorded in the same transaction as the task's work, so a
    redelivered message does nothing twice."""

    task = models.CharField(max_length=200)
    message_id = models.UUIDField()
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "processed_messages"
        constraints = [models.UniqueConstraint(fields=["task", "message_id"],
                                               name="uq_processed_messages_task_message")]


class TimerRun(models.Model):
    name = models.CharField(max_length=60, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "timer_runs"
