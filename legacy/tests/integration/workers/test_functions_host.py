"""The local functions host: retries, the poison queue, crashes and a storage outage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.builders import ledger_matches_levels, make_shop
from tests.conftest import AzuriteProcess
from tests.integration.checkout.helpers import place
from tests.waiting import poll
from tienda.adapters.db.tables import orders, outbox, sandbox_charges
from tienda.adapters.mail.capture import read_mailbox
from tienda.bootstrap import bootstrap
from tienda.entrypoints.workers.handlers import queue_handlers, timers
from tienda.entrypoints.workers.host import FunctionsHost

pytestmark = pytest.mark.azurite
FAST = {"worker_retry_delay_seconds": 0, "worker_idle_poll_seconds": 0.05,
        "outbox_sweep_seconds": 1}


@contextmanager
def running_host(tienda, handlers=None) -> Iterator[FunctionsHost]:
    host = FunctionsHost(tienda, handlers or queue_handlers(tienda.settings),
                         timers(tienda.settings))
    stop = threading.Event()
    thread = threading.Thread(target=host.run, args=(stop,))
    thread.start()
    try:
        yield host
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def statuses(engine) -> Counter[str]:
    with engine.connect() as conn:
        return Counter(conn.execute(sa.select(orders.c.status)).scalars())


@pytest.fixture
def mail_settings(settings, smtp_capture):
    port, directory = smtp_capture
    return settings.model_copy(update={"smtp_port": port, **FAST}), directory


def test_a_malformed_message_reaches_the_poison_queue_after_five_attempts_harming_nothing(
        mail_settings):
    settings, mailbox = mail_settings
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    make_shop(tienda.engine, {"TEE-M": 3})
    attempts = Counter()
    real = queue_handlers(settings)

    def counting(queue: str):
        def handle(app, body: str) -> str:
            attempts[queue] += 1
            return real[queue](app, body)
        return handle

    queue = settings.queue_order_confirmation
    tienda.queues.send(queue, '{"message_id": "m-1", "order": "oops"}')
    with running_host(tienda, {q: counting(q) for q in real}):
        poll(lambda: tienda.queues.depth(queue + "-poison") == 1, 30, "the poison queue")

    [poisoned] = tienda.queues.receive(queue + "-poison", 16, 30)
    assert poisoned.body == '{"message_id": "m-1", "order": "oops"}'
    assert attempts[queue] == 5
    assert tienda.queues.depth(queue) == 0
    assert statuses(tienda.engine) == Counter()
    assert read_mailbox(mailbox) == []
    assert ledger_matches_levels(tienda.engine)
    tienda.close()


def settings_env(settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIENDA_")}
    for name, value in settings.model_dump().items():
        env[f"TIENDA_{name.upper()}"] = str(value)
    return env


def start_worker(settings, *options: str, log=subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tienda", "worker", "--concurrency", "4",
                             *options], env=settings_env(settings), stdout=log, stderr=log)


@contextmanager
def stopping(worker: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """The worker, and its host processes with it, are gone afterwards, even on failure."""
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def children(pid: int) -> list[int]:
    """The host processes ``pid`` started (not multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    command = f.read()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in command:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_several_worker_processes_share_the_queue_and_stop_together(mail_settings, tmp_path):
    settings, mailbox = mail_settings
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    make_shop(tienda.engine, {"TEE-M": 100})
    placed = [place(tienda, {"TEE-M": 1}) for _ in range(40)]
    log_path = tmp_path / "worker.log"

    with log_path.open("wb") as log, stopping(start_worker(settings, "--processes", "3",
                                                          log=log)) as worker:
        poll(lambda: len(children(worker.pid)) == 2, 30, "two more host processes")
        helpers = children(worker.pid)
        poll(lambda: statuses(tienda.engine)["confirmed"] == 40
             and len(read_mailbox(mailbox)) == 40, 120, "every confirmation e-mail")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    assert not any(alive(pid) for pid in helpers)
    stopped = [line for line in log_path.read_text().splitlines() if "worker stopped" in line]
    assert sorted(line.split()[2] for line in stopped) == ["MainProcess", "worker-1",
                                                           "worker-2"]
    mails = Counter(m.message["X-Tienda-Order"] for m in read_mailbox(mailbox))
    assert mails == Counter({p.order_id: 1 for p in placed})
    tienda.close()


def test_host_processes_stop_when_the_first_is_killed(mail_settings):
    settings, _mailbox = mail_settings
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    tienda.close()
    with stopping(start_worker(settings, "--processes", "2")) as worker:
        poll(lambda: len(children(worker.pid)) == 1, 30, "the second host process")
        helper = children(worker.pid)[0]
        try:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)

            poll(lambda: not alive(helper), 30, "the second process to stop with the first")
        finally:
            if alive(helper):
                os.kill(helper, signal.SIGKILL)


def test_a_worker_killed_mid_confirmation_leaves_every_order_confirmed_once(mail_settings):
    settings, mailbox = mail_settings
    settings = settings.model_copy(update={"worker_visibility_timeout": 3})
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    make_shop(tienda.engine, {"TEE-M": 100})
    placed = [place(tienda, {"TEE-M": 1}) for _ in range(30)]

    worker = start_worker(settings)
    poll(lambda: statuses(tienda.engine)["confirmed"] >= 3, 60, "the first confirmations")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    interrupted = statuses(tienda.engine)["confirmed"]
    worker = start_worker(settings)
    poll(lambda: len(read_mailbox(mailbox)) >= 30 and
         statuses(tienda.engine)["confirmed"] == 30, 120, "every confirmation e-mail")
    worker.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=30) == 0
    assert interrupted < 30
    mails = Counter(m.message["X-Tienda-Order"] for m in read_mailbox(mailbox))
    assert mails == Counter({p.order_id: 1 for p in placed})
    invoices = tienda.blobs._service.get_container_client(settings.container_invoices)
    assert sorted(b.name for b in invoices.list_blobs()) == sorted(
        f"{p.order_id}.pdf" for p in placed)
    with tienda.engine.connect() as conn:
        assert set(conn.execute(sa.select(sandbox_charges.c.captures)).scalars()) == {1}
    assert ledger_matches_levels(tienda.engine)
    tienda.close()


def test_checkouts_succeed_while_storage_is_down_and_confirm_once_it_is_back(
        database_url, smtp_capture, tmp_path):
    from tienda.config import load_settings

    port, mailbox = smtp_capture
    azurite = AzuriteProcess(tmp_path / "azurite")
    azurite.start()
    settings = load_settings(environment="test", data_dir=tmp_path / "data",
                             database_url=database_url, smtp_port=port,
                             warehouse_url=f"duckdb:///{tmp_path / 'warehouse.duckdb'}",
                             storage_connection_string=azurite.connection_string, **FAST)
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    make_shop(tienda.engine, {"TEE-M": 10})
    azurite.stop()
    try:
        placed = [place(tienda, {"TEE-M": 1}) for _ in range(5)]

        assert statuses(tienda.engine) == Counter({"pending": 5})
        assert tienda.relay.backlog() == 5
        azurite.start()
        with running_host(tienda):
            poll(lambda: statuses(tienda.engine)["confirmed"] == 5
                 and len(read_mailbox(mailbox)) == 5, 60, "confirmations after the outage")
    finally:
        azurite.stop()
        tienda.close()

    assert {p.status for p in placed} == {"pending"}
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox)
                            .where(outbox.c.published_at.is_(None))).scalar() == 0
