"""Azure Functions (Python v2 model): the same handlers and timers that `tienda worker` runs
locally. Queue names are the defaults of tienda.config.Settings (a test holds them equal), and
every trigger connects through the identity-based setting prefix TIENDA_STORAGE."""

from __future__ import annotations

import functools
import logging

import azure.functions as func

from tienda.bootstrap import Tienda, bootstrap
from tienda.config import FUNCTIONS_STORAGE_CONNECTION, Settings, load_settings
from tienda.entrypoints.workers import handlers

app = func.FunctionApp()
DEFAULTS = Settings.model_fields
ORDER_CONFIRMATION = DEFAULTS["queue_order_confirmation"].default
NOTIFICATIONS = DEFAULTS["queue_notifications"].default
# Every TIENDA_BACK_IN_STOCK_INTERVAL_SECONDS (60 by default; a test holds the two equal).
BACK_IN_STOCK_SCHEDULE = "0 * * * * *"


@functools.cache
def tienda() -> Tienda:
    """One composition root per worker process, built on first use, never at import."""
    return bootstrap(load_settings())


@app.queue_trigger(arg_name="message", queue_name=ORDER_CONFIRMATION,
                   connection=FUNCTIONS_STORAGE_CONNECTION)
def order_confirmation(message: func.QueueMessage) -> None:
    body = message.get_body().decode("utf-8")
    logging.info("order-confirmation %s: %s", message.id,
                 handlers.handle_order_confirmation(tienda(), body))


@app.queue_trigger(arg_name="message", queue_name=NOTIFICATIONS,
                   connection=FUNCTIONS_STORAGE_CONNECTION)
def notifications(message: func.QueueMessage) -> None:
    body = message.get_body().decode("utf-8")
    logging.info("notifications %s: %s", message.id, handlers.handle_notification(tienda(), body))


@app.timer_trigger(arg_name="timer", schedule="*/30 * * * * *", run_on_startup=False)
def outbox_sweep(timer: func.TimerRequest) -> None:
    handlers.run_timer(tienda(), "outbox-sweep", handlers.sweep_outbox)


@app.timer_trigger(arg_name="timer", schedule="0 * * * * *", run_on_startup=False)
def pending_orders(timer: func.TimerRequest) -> None:
    handlers.run_timer(tienda(), "pending-orders", handlers.cancel_stale_orders)


@app.timer_trigger(arg_name="timer", schedule="0 */5 * * * *", run_on_startup=False)
def warehouse_etl(timer: func.TimerRequest) -> None:
    handlers.run_timer(tienda(), "warehouse-etl", handlers.refresh_warehouse)


@app.timer_trigger(arg_name="timer", schedule=BACK_IN_STOCK_SCHEDULE, run_on_startup=False)
def back_in_stock(timer: func.TimerRequest) -> None:
    handlers.run_timer(tienda(), "back-in-stock", handlers.send_back_in_stock_alerts)
