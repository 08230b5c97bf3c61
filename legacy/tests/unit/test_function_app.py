"""The Azure Functions app registers exactly the handlers the local host runs, on the queues
and connection settings config.py names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tienda.config import FUNCTIONS_STORAGE_CONNECTION, load_settings
from tienda.entrypoints.workers.handlers import queue_handlers, timers

FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"


@pytest.fixture(scope="module")
def registered():
    sys.path.insert(0, str(FUNCTIONS))
    try:
        import function_app
    finally:
        sys.path.remove(str(FUNCTIONS))
    return {fn.get_function_name(): fn.get_bindings() for fn in function_app.app.get_functions()}


def test_queue_triggers_bind_the_configured_queues_through_the_identity_connection(registered):
    queues = {bindings[0].queue_name: bindings[0].connection
              for bindings in registered.values() if bindings[0].type == "queueTrigger"}

    assert queues == dict.fromkeys(queue_handlers(load_settings()), FUNCTIONS_STORAGE_CONNECTION)


def test_every_local_timer_but_the_heartbeat_is_a_timer_trigger(registered):
    triggers = {name for name, bindings in registered.items()
                if bindings[0].type == "timerTrigger"}
    local = {t.name.replace("-", "_") for t in timers(load_settings())}

    assert triggers == local - {"worker_heartbeat"}


def test_host_json_retries_as_the_local_host_does():
    queues = json.loads((FUNCTIONS / "host.json").read_text())["extensions"]["queues"]
    settings = load_settings()

    assert queues["maxDequeueCount"] == settings.worker_max_dequeue_count
    assert queues["batchSize"] == settings.worker_batch_size
    assert queues["messageEncoding"] == "base64"


def _period_seconds(schedule: str) -> int:
    """The period of a six-field NCRONTAB schedule that fires at a fixed interval."""
    fields = schedule.split()
    units = (1, 60, 3600)
    for index, field in enumerate(fields[:3]):
        if field.startswith("*/"):
            return int(field[2:]) * units[index]
        if field == "*":
            return units[index]
    raise AssertionError(f"not a fixed-interval schedule: {schedule}")


@pytest.mark.parametrize(("function", "setting"), [
    ("back_in_stock", "back_in_stock_interval_seconds"),
    ("pending_orders", "pending_order_sweep_seconds"),
    ("warehouse_etl", "etl_interval_seconds"),
])
def test_timer_schedules_fire_as_often_as_the_settings_say(registered, function, setting):
    [trigger] = registered[function]

    assert _period_seconds(trigger.schedule) == getattr(load_settings(), setting)
