"""The Function App registers one queue trigger per queue in the settings and one timer trigger
per timer with an Azure schedule, and its functions run the same runner and timers."""

from __future__ import annotations

import functools
import json
import uuid
from pathlib import Path

import azure.functions as func
import pytest
from azure.functions.queue import QueueMessage
from azure.functions.timer import TimerRequest
from django.conf import settings

from azure_functions import function_app
from tests.workers.helpers import an_envelope
from tests.workers.tasks import runs
from workers.models import ProcessedMessage, TimerRun
from workers.runner import MalformedMessage
from workers.timers import TIMERS

HOST_JSON = Path(function_app.__file__).with_name("host.json")


@functools.cache
def registered() -> dict[str, func.Function]:
    """Indexed once, as the Functions worker does (a second indexing refuses the names)."""
    return {fn.get_function_name(): fn for fn in function_app.app.get_functions()}


def trigger(function: func.Function):  # type: ignore[no-untyped-def]
    [binding] = function.get_bindings()
    return binding


def test_every_queue_in_the_settings_has_a_trigger_on_the_identity_based_connection():
    queues = {trigger(fn).queue_name: (name, trigger(fn).connection)
              for name, fn in registered().items() if trigger(fn).type == "queueTrigger"}

    assert queues == {
        physical: (f"queue_{logical.replace('-', '_')}", "TIENDA_STORAGE")
        for logical, physical in settings.QUEUES.items()}


def test_every_timer_but_the_local_heartbeat_is_a_monitored_timer_trigger():
    timers = {name: (trigger(fn).schedule, trigger(fn).use_monitor, trigger(fn).run_on_startup)
              for name, fn in registered().items() if trigger(fn).type == "timerTrigger"}

    assert timers == {
        "timer_outbox_sweep": ("*/30 * * * * *", True, False),
        "timer_pending_orders": ("0 * * * * *", True, False),
        "timer_back_in_stock": ("0 * * * * *", True, False),
        "timer_warehouse_etl": ("0 */5 * * * *", True, False),
        "timer_campaigns_due": ("0 * * * * *", True, False),
        "timer_low_stock_digest": ("0 0 7 * * *", True, False),
    }
    assert {t.name for t in TIMERS if t.schedule is None} == {"worker-heartbeat"}


def _period_seconds(schedule: str) -> int:
    """The period of a six-field NCRONTAB schedule that fires at a fixed interval."""
    for field, unit in zip(schedule.split()[:3], (1, 60, 3600), strict=True):
        if field.startswith("*/"):
            return int(field[2:]) * unit
        if field == "*":
            return unit
    raise AssertionError(f"not a fixed-interval schedule: {schedule}")


@pytest.mark.parametrize(("timer", "setting"), [
    ("back_in_stock", "BACK_IN_STOCK_INTERVAL_SECONDS"),
    ("pending_orders", "PENDING_ORDER_SWEEP_SECONDS"),
    ("warehouse_etl", "ETL_INTERVAL_SECONDS"),
    ("campaigns_due", "CAMPAIGNS_DUE_SECONDS"),
])
def test_timer_schedules_fire_as_often_as_the_local_defaults(timer, setting):
    schedule = trigger(registered()[f"timer_{timer}"]).schedule

    assert _period_seconds(schedule) == settings.WORKER[setting]


def test_host_json_retries_and_batches_as_the_local_host_does():
    queues = json.loads(HOST_JSON.read_text())["extensions"]["queues"]

    assert queues["maxDequeueCount"] == settings.WORKER["MAX_DEQUEUE_COUNT"] == 5
    assert queues["batchSize"] == settings.WORKER["BATCH_SIZE"] == 16
    assert queues["newBatchThreshold"] == settings.WORKER["BATCH_SIZE"] // 2
    assert queues["visibilityTimeout"] == f"00:00:{settings.WORKER['RETRY_DELAY_SECONDS']:02d}"
    assert queues["messageEncoding"] == "base64"


def test_the_requirements_are_the_project_runtime_requirements():
    requirements = HOST_JSON.with_name("requirements.txt")

    assert requirements.resolve() == (Path(settings.BASE_DIR) / "requirements.txt").resolve()
    assert "azure-functions==" in requirements.read_text()


@pytest.mark.django_db
@pytest.mark.usefixtures("test_tasks_allowed")
def test_a_queue_function_runs_a_real_envelope_once_against_the_database():
    run = registered()["queue_notifications"].get_user_function()
    message_id = str(uuid.uuid4())
    body = an_envelope("tests.workers.tasks.audited_task", message_id=message_id, key="fa")

    run(QueueMessage(id="q-1", body=body, dequeue_count=1))
    run(QueueMessage(id="q-1", body=body, dequeue_count=2))

    assert runs("fa") == 1
    assert list(ProcessedMessage.objects.values_list("message_id", flat=True)) == [
        uuid.UUID(message_id)]


@pytest.mark.django_db
@pytest.mark.usefixtures("test_tasks_allowed")
def test_a_queue_function_raises_on_a_task_of_another_queue_so_the_host_retries():
    run = registered()["queue_notifications"].get_user_function()
    body = an_envelope("tests.workers.tasks.confirmation_queue_task", key="wrong")

    with pytest.raises(MalformedMessage, match="belongs to queue 'order-confirmation'"):
        run(QueueMessage(id="q-2", body=body, dequeue_count=1))

    assert runs() == 0


@pytest.mark.django_db
def test_a_timer_function_runs_its_job_and_records_the_run():
    run = registered()["timer_outbox_sweep"].get_user_function()

    run(TimerRequest(past_due=False))

    sweep = TimerRun.objects.get(name="outbox-sweep")
    assert (sweep.last_error, sweep.last_finished_at >= sweep.last_started_at) == (None, True)
