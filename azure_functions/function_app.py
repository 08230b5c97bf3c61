"""The Function App (Python v2 model): Django booted once per worker process, one queue trigger
per queue in settings.QUEUES and one timer trigger per timer with an Azure schedule; the same
runner and timers as `manage.py runworker`.

Triggers connect through the identity-based setting prefix TIENDA_STORAGE
(`TIENDA_STORAGE__queueServiceUri`, `__credential`, `__clientId`). Functions are plain `def`s:
the ORM is synchronous and the Python worker runs them on its thread pool, one Django connection
per thread; the runner and the timers close stale connections around each call (Django only
does so around requests)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.worker")

import azure.functions as func
import django

django.setup()

from django.conf import settings  # noqa: E402

from workers.runner import run_message  # noqa: E402
from workers.timers import TIMERS, Timer, run_timer  # noqa: E402

STORAGE_CONNECTION = "TIENDA_STORAGE"
app = func.FunctionApp()


def function_name(prefix: str, name: str) -> str:
    return f"{prefix}_{name.replace('-', '_')}"


def register_queue(logical: str, physical: str) -> None:
    def run(msg: func.QueueMessage) -> None:
        # A raise leaves the message to the host: retried, then moved to <queue>-poison.
        run_message(queue=logical, body=msg.get_body(), message_id=msg.id,
                    dequeue_count=msg.dequeue_count or 1)

    trigger = app.queue_trigger(arg_name="msg", queue_name=physical,
                                connection=STORAGE_CONNECTION)(run)
    app.function_name(name=function_name("queue", logical))(trigger)


def register_timer(timer: Timer) -> None:
    def run(timer_request: func.TimerRequest) -> None:
        run_timer(timer.name)

    trigger = app.timer_trigger(arg_name="timer_request", schedule=timer.schedule,
                                run_on_startup=False, use_monitor=True)(run)
    app.function_name(name=function_name("timer", timer.name))(trigger)


for _logical, _physical in settings.QUEUES.items():
    register_queue(_logical, _physical)
for _timer in TIMERS:
    if _timer.schedule is not None:  # the heartbeat is local only
        register_timer(_timer)
