"""`manage.py runworker` as a process: several processes share the queues and stop together,
helpers stop when the first one is killed, `--once` drains, signals stop it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.conftest import poll
from tests.workers.helpers import (
    alive,
    an_envelope,
    helper_processes,
    start_worker,
    stopping,
    worker_env,
)
from tests.workers.tasks import runs
from workers import queues

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite,
              pytest.mark.usefixtures("empty_queues")]


def test_several_worker_processes_share_the_queue_and_stop_together(tmp_path):
    log_path = tmp_path / "worker.log"

    with log_path.open("wb") as log, stopping(start_worker("--processes", "3",
                                                           "--concurrency", "2",
                                                           log=log)) as worker:
        helpers = poll(lambda: (found := helper_processes(worker.pid)) and len(found) == 2
                       and found, 60, "two helper processes")
        poll(lambda: log_path.read_text().count(" started") == 3, 60, "three hosts to start")
        for n in range(40):
            queues.send("notifications",
                        an_envelope("tests.workers.tasks.audited_task", key=f"p{n}"))
        poll(lambda: runs() == 40, 120, "every message to run")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    assert not any(alive(pid) for pid in helpers)
    assert [runs(f"p{n}") for n in range(40)] == [1] * 40
    log = log_path.read_text()
    stopped = sorted(line.split(" stopped:")[0].rsplit(" ", 1)[1]
                     for line in log.splitlines() if " stopped: " in line)
    assert stopped == ["worker-0", "worker-1", "worker-2"]
    processed = [int(line.split(" stopped: ")[1].split()[0])
                 for line in log.splitlines() if " stopped: " in line]
    assert sum(processed) == 40
    assert "Traceback" not in log


def test_helper_processes_stop_when_the_first_is_killed():
    with stopping(start_worker("--processes", "2")) as worker:
        [helper] = poll(lambda: helper_processes(worker.pid), 60, "the helper process")
        try:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)

            poll(lambda: not alive(helper), 30, "the helper to stop with the first process")
        finally:
            if alive(helper):
                os.kill(helper, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_worker_with_exit_zero_and_no_traceback(tmp_path, signum):
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log, stopping(start_worker(log=log)) as worker:
        poll(lambda: "worker: queues" in log_path.read_text(), 60, "the worker to start")
        worker.send_signal(signum)
        assert worker.wait(timeout=60) == 0

    log = log_path.read_text()
    assert "worker-0 stopped: 0 processed, 0 failed" in log
    assert "Traceback" not in log


def test_once_sweeps_the_outbox_runs_what_is_queued_and_exits():
    queues.send("notifications", an_envelope("tests.workers.tasks.audited_task", key="once"))

    finished = subprocess.run(
        [*start_worker_command(), "--once"], env=worker_env(), capture_output=True, timeout=120)

    assert finished.returncode == 0, finished.stderr.decode()
    assert runs("once") == 1
    assert queues.depth("notifications") == 0


@pytest.mark.parametrize(("options", "message"), [
    (["--processes", "0"], "--processes must be between 1 and 16"),
    (["--concurrency", "65"], "--concurrency must be between 1 and 64"),
])
def test_bad_options_are_one_line_errors_with_a_non_zero_exit(options, message):
    finished = subprocess.run([*start_worker_command(), *options], env=worker_env(),
                              capture_output=True, timeout=60)

    assert finished.returncode == 1
    assert finished.stderr.decode().strip() == f"CommandError: {message}"


def start_worker_command() -> list[str]:
    import sys

    from tests.workers.helpers import ROOT

    return [sys.executable, str(ROOT / "manage.py"), "runworker"]
