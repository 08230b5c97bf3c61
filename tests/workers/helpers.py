"""Helpers for the worker tests: envelopes, an in-process host, worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from workers.host import Host
from workers.timers import Timer

ROOT = Path(__file__).resolve().parents[2]
FAST_ENV = {"TIENDA_WORKER_RETRY_DELAY_SECONDS": "0", "TIENDA_WORKER_IDLE_POLL_SECONDS": "0.05",
            "TIENDA_OUTBOX_SWEEP_SECONDS": "1"}


def an_envelope(task: str, *, message_id: str | None = None, **kwargs: object) -> bytes:
    return json.dumps({"v": 1, "id": message_id or str(uuid.uuid4()), "task": task,
                       "args": [], "kwargs": kwargs}).encode()


@contextmanager
def running_host(*, runner=None, timers: tuple[Timer, ...] = ()) -> Iterator[Host]:  # type: ignore[no-untyped-def]
    options = {"runner": runner} if runner else {}
    host = Host(queue_names=settings.QUEUES, timers=timers, **options)
    stop = threading.Event()
    thread = threading.Thread(target=host.run, args=(stop,))
    thread.start()
    try:
        yield host
    finally:
        stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive()


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of this test run, for a worker that opens its test database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.workers.settings",
            "TIENDA_TEST_CHILD": "1", "PYTHONPATH": str(ROOT), **FAST_ENV, **extra}


def start_worker(*options: str, log=subprocess.DEVNULL, **env: str  # type: ignore[no-untyped-def]
                 ) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runworker", *options],
                            cwd=ROOT, env=worker_env(**env), stdout=log, stderr=log)


@contextmanager
def stopping(worker: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """The worker, and its helper processes with it, are gone afterwards, even on failure."""
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


def helper_processes(pid: int) -> list[int]:
    """The helper processes `pid` spawned (not multiprocessing's resource tracker)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and stat[0] != "Z" and b"spawn_main" in command:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
