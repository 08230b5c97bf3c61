"""Timers: every run recorded, a failing or missing job fails its own timer only, the outbox
sweep sends the oldest unsent rows first."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from shop.orders.models import Order
from tests.workers.builders import a_stocked_variant, an_order
from workers import queues, timers
from workers.backend import outbox_backlog, publish_pending
from workers.models import OutboxMessage, TimerRun
from workers.timers import Timer, run_timer

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_timers(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timers, "TIMERS", (
        *timers.TIMERS,
        Timer("not-written-yet", "shop.nowhere.services.job_that_is_missing", None, None),
        Timer("raising", "tests.workers.tasks.failing_timer_job", None, None),
    ))


@pytest.mark.usefixtures("broken_timers")
def test_a_missing_job_fails_its_timer_alone_and_the_failure_is_recorded(caplog):
    assert run_timer("not-written-yet") is None
    assert run_timer("worker-heartbeat") == "alive"

    runs = dict(TimerRun.objects.values_list("name", "last_error"))
    assert runs == {
        "not-written-yet": "ModuleNotFoundError: No module named 'shop.nowhere'",
        "worker-heartbeat": None,
    }
    assert "timer not-written-yet failed: ModuleNotFoundError" in caplog.text


@pytest.mark.usefixtures("broken_timers")
def test_a_job_that_raises_is_recorded_and_not_raised():
    run_timer("raising")

    [error] = TimerRun.objects.values_list("last_error", flat=True)
    assert error == "RuntimeError: the job broke"


def test_a_second_run_updates_the_same_record():
    run_timer("worker-heartbeat")
    first = TimerRun.objects.get(name="worker-heartbeat").last_started_at

    run_timer("worker-heartbeat")

    [record] = TimerRun.objects.all()
    assert (record.name, record.last_started_at > first) == ("worker-heartbeat", True)


@pytest.mark.azurite
@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_the_oldest_unsent_rows_first_up_to_its_limit(empty_queues):
    rows = [OutboxMessage.objects.create(queue="inventory-jobs", task="t",
                                         payload={"args": [], "kwargs": {"n": n}})
            for n in range(3)]

    assert publish_pending(2) == 2

    sent = [json.loads(m.body)["kwargs"]["n"] for m in queues.peek("inventory-jobs")]
    assert sorted(sent) == [0, 1]
    assert outbox_backlog() == 1
    assert OutboxMessage.objects.get(published_at__isnull=True).pk == rows[2].pk
    assert publish_pending(2) == 1
    assert publish_pending(2) == 0


def test_every_timer_job_is_a_callable_the_code_base_provides():
    jobs = {timer.name: import_string(timer.job) for timer in timers.TIMERS}

    assert all(callable(job) for job in jobs.values())
    assert set(jobs) == {"outbox-sweep", "pending-orders", "back-in-stock", "warehouse-etl",
                         "worker-heartbeat", "campaigns-due", "low-stock-digest"}


def test_the_pending_orders_timer_cancels_an_order_left_pending_too_long():
    a_stocked_variant("TEE-M", 3)
    stale, fresh = an_order("TEE-M", 1), an_order("TEE-M", 2)
    Order.objects.filter(pk=stale.order.pk).update(
        placed_at=timezone.now() - timedelta(minutes=settings.PENDING_ORDER_TTL_MINUTES + 1))

    assert run_timer("pending-orders") == 1

    assert dict(Order.objects.values_list("pk", "status")) == {
        stale.order.pk: "cancelled", fresh.order.pk: "pending"}
    assert TimerRun.objects.get(name="pending-orders").last_error is None


def test_the_warehouse_etl_timer_runs_the_etl_command_and_records_success(settings, tmp_path):
    settings.WAREHOUSE_URL = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"  # not the run's own

    result = run_timer("warehouse-etl")

    assert result == "etl run finished"
    assert TimerRun.objects.get(name="warehouse-etl").last_error is None
