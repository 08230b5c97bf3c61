"""Checkout and confirmation benchmark, over HTTP against PostgreSQL, on loopback only.

Builds a private stack (scratch database, Azurite, mail capture, the frontoffice under
gunicorn as production runs it), then measures three things in one run:

1. checkout: ``--clients`` closed-loop shoppers (create cart, 1-2 lines, checkout) for
   ``--seconds`` with no worker running: checkouts/s, p50 and p99;
2. pgbench TPC-B on the same PostgreSQL server, in its own scratch database: the ceiling;
3. worker: ``tienda worker`` running while an open-loop generator places ``--rate`` checkouts/s
   for ``--worker-seconds``: confirmations/s, queue lag (confirmed minus pending event time)
   and the drain time once the load stops.

Results go to the '## Checkout and confirmation' section of docs/PERFORMANCE.md. Everything it
starts is stopped and every scratch database dropped at the end, also on failure.

    .venv/bin/python bench/checkout.py [--clients 16] [--seconds 30] [--rate 50]
        [--worker-seconds 60] [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from perf_doc import write_section
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv-legacy" / "bin"
AZURITE = ROOT / "tools" / "node_modules" / ".bin" / "azurite"
TARGET_RATIO, TARGET_P99_MS, TARGET_LAG_P99_S = 0.25, 250.0, 5.0
console = Console()


# ----------------------------------------------------------------------------- the stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after {seconds:.0f} s")


@dataclass
class Stack:
    """The processes and scratch databases of one run; ``close`` undoes all of it."""

    admin_url: str
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tienda-bench-")))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def admin(self) -> Engine:
        return create_engine(_sqlalchemy(self.admin_url), isolation_level="AUTOCOMMIT")

    def create_database(self, prefix: str) -> str:
        name = f"{prefix}_{secrets.token_hex(4)}"
        engine = self.admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.databases.append(name)
        return name

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(False)

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, env=self.env, cwd=self.tmp, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn's workers too
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.tmp / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if \
            path.exists() else ""

    def close(self) -> None:
        for name in list(self.procs)[::-1]:
            self.stop(name)
        engine = self.admin()
        with engine.connect() as conn:
            for name in self.databases:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _sqlalchemy(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def start_services(stack: Stack, database_url: str) -> dict[str, int]:
    from tienda.config import azurite_connection_string

    ports = {k: free_port() for k in ("blob", "queue", "table", "smtp", "web")}
    stack.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TIENDA_")},
        "TIENDA_ENVIRONMENT": "local", "TIENDA_DATABASE_URL": database_url,
        "TIENDA_DATA_DIR": str(stack.tmp / "data"),
        "TIENDA_STORAGE_CONNECTION_STRING": azurite_connection_string(
            "127.0.0.1", ports["blob"], ports["queue"]),
        "TIENDA_SMTP_PORT": str(ports["smtp"]), "TIENDA_MAIL_CAPTURE_PORT": str(ports["smtp"]),
        "TIENDA_FRONTOFFICE_PORT": str(ports["web"]),
        "TIENDA_PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['web']}",
    }
    azurite = stack.start("azurite", [
        str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
        "--location", str(stack.tmp / "azurite"), "--blobHost", "127.0.0.1", "--blobPort",
        str(ports["blob"]), "--queueHost", "127.0.0.1", "--queuePort", str(ports["queue"]),
        "--tableHost", "127.0.0.1", "--tablePort", str(ports["table"])])
    mail = stack.start("mail", [str(BIN / "tienda"), "mail-capture"])
    wait_for_port(ports["blob"], azurite)
    wait_for_port(ports["queue"], azurite)
    wait_for_port(ports["smtp"], mail)
    return ports


def start_frontoffice(stack: Stack, port: int, workers: int) -> str:
    web = stack.start("frontoffice", [
        str(BIN / "gunicorn"), "-k", "uvicorn.workers.UvicornWorker", "-w", str(workers),
        "-b", f"127.0.0.1:{port}", "--timeout", "120", "--no-control-socket",
        "tienda.entrypoints.frontoffice.app:create_app()"])
    wait_for_port(port, web)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # importing the app takes ~5 s of CPU per worker
    while not _healthy(base):
        if web.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("frontoffice not healthy:\n" + stack.log_tail("frontoffice"))
        time.sleep(0.5)
    return base


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def seed_shop(stack: Stack, database_url: str, products: int) -> list[str]:
    """Migrate, seed a catalogue, and make a million of every published SKU available."""
    from tienda.adapters.db import migrate
    from tienda.adapters.db.demo_shop import seed_demo_shop
    from tienda.adapters.db.stock_admin import set_available
    from tienda.bootstrap import bootstrap
    from tienda.config import load_settings

    settings = load_settings(**{k.removeprefix("TIENDA_").lower(): v
                                for k, v in stack.env.items() if k.startswith("TIENDA_")})
    tienda = bootstrap(settings)
    try:
        migrate.upgrade(tienda.engine)
        tienda.ensure_storage()
        seed_demo_shop(tienda.engine, tienda.blobs, settings, products=products, customers=10,
                       orders=0)
        with tienda.engine.connect() as conn:
            skus = list(conn.execute(text(
                "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id "
                "WHERE v.is_published AND p.is_published ORDER BY v.sku")).scalars())
        for sku in skus:
            set_available(tienda.engine, sku, 1_000_000, None, actor="bench")
        return skus
    finally:
        tienda.close()


def queue_depth(stack: Stack) -> int:
    """Messages waiting in the order-confirmation and notifications queues (approximate)."""
    from tienda.bootstrap import bootstrap
    from tienda.config import load_settings

    settings = load_settings(**{k.removeprefix("TIENDA_").lower(): v
                                for k, v in stack.env.items() if k.startswith("TIENDA_")})
    tienda = bootstrap(settings)
    try:
        return sum(tienda.queues.depth(q) for q in tienda.queue_names)
    finally:
        tienda.close()


def server_errors(stack: Stack, name: str) -> dict[str, int]:
    """Exceptions the process logged, by their last traceback line."""
    path = stack.tmp / f"{name}.log"
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    found: Counter[str] = Counter()
    for n, line in enumerate(lines):
        if "WORKER TIMEOUT" in line or "[CRITICAL]" in line:
            found[line.split("] ", 3)[-1][:160]] += 1
        if line.startswith("Traceback"):
            tail = next((x for x in lines[n + 1:] if x and not x.startswith((" ", "\t"))),
                        "?")
            found[tail[:160]] += 1
    return dict(found)


# ----------------------------------------------------------------------------- shoppers


@dataclass
class FlowStats:
    checkout_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    order_ids: list[str] = field(default_factory=list)


CHECKOUT_BODY = {
    "email": "bench@example.com", "shipping_method": "standard",
    "payment_token": "tok_sandbox_ok",
    "shipping_address": {"name": "Bench Shopper", "line1": "Calle Mayor 1", "city": "Madrid",
                         "postal_code": "28013", "country": "ES"},
}


async def one_checkout(client: aiohttp.ClientSession, skus: list[str], rng: random.Random,
                       stats: FlowStats) -> None:
    started = time.perf_counter()
    try:
        created = await _expect(client, "/api/v1/carts", None, {}, 201)
        path, headers = f"/api/v1/carts/{created['id']}", {"X-Cart-Token": created["token"]}
        for sku in rng.sample(skus, rng.randint(1, 2)):
            await _expect(client, path + "/lines", {"sku": sku, "quantity": rng.randint(1, 2)},
                          headers, 200)
        posted = time.perf_counter()
        placed = await _expect(client, path + "/checkout", CHECKOUT_BODY, headers, 201)
    except _Refused as exc:
        stats.errors[exc.args[0]] += 1
        return
    except (aiohttp.ClientError, TimeoutError) as exc:
        stats.errors[type(exc).__name__] += 1
        return
    done = time.perf_counter()
    stats.checkout_ms.append((done - posted) * 1000)
    stats.flow_ms.append((done - started) * 1000)
    stats.order_ids.append(placed["order_id"])


class _Refused(Exception):
    pass


async def _expect(client: aiohttp.ClientSession, path: str, body: dict[str, Any] | None,
                  headers: dict[str, str], status: int) -> dict[str, Any]:
    async with client.post(path, json=body, headers=headers) as response:
        if response.status != status:
            raise _Refused(f"HTTP {response.status} {path.split('/')[-1]}")
        return dict(await response.json())


def _client(base: str, connections: int) -> aiohttp.ClientSession:
    """aiohttp rather than httpx: a request costs the load generator about 0.3 ms of CPU
    instead of 2.4, and that CPU is taken from the shop on this shared machine. gunicorn's
    uvicorn workers close a connection idle for 2 s (--keep-alive); a client that reuses it
    at that moment gets an error, so idle connections are dropped before that."""
    return aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=60),
                                 connector=aiohttp.TCPConnector(limit=connections,
                                                                keepalive_timeout=1))


async def closed_loop(base: str, skus: list[str], clients: int, seconds: float
                      ) -> tuple[FlowStats, float]:
    stats, deadline = FlowStats(), time.monotonic() + seconds

    async def shopper(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < deadline:
            await one_checkout(client, skus, rng, stats)

    async with _client(base, clients) as client:
        started = time.monotonic()
        await asyncio.gather(*(shopper(n) for n in range(clients)))
        return stats, time.monotonic() - started


async def open_loop(base: str, skus: list[str], rate: float, seconds: float,
                    max_in_flight: int) -> tuple[FlowStats, float, int]:
    """Start a checkout every 1/rate s whatever the earlier ones are doing (open loop);
    returns the stats, the time placing took and how many starts were skipped (too many in
    flight: the frontoffice could not keep the rate)."""
    stats, rng, skipped, tasks = FlowStats(), random.Random(7), 0, set()
    async with _client(base, max_in_flight) as client:
        started, total = time.monotonic(), int(rate * seconds)
        for n in range(total):
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            if len(tasks) >= max_in_flight:
                skipped += 1
                continue
            task = asyncio.create_task(one_checkout(client, skus, rng, stats))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        return stats, time.monotonic() - started, skipped


# ----------------------------------------------------------------------------- phases


def checkout_phase(base: str, skus: list[str], args: argparse.Namespace,
                   cpu: CpuSampler) -> tuple[dict[str, Any], list[str]]:
    console.print(f"[bold]checkout[/]: {args.clients} clients for {args.seconds:.0f} s, "
                  "worker not running")
    cpu.start()
    stats, elapsed = asyncio.run(closed_loop(base, skus, args.clients, args.seconds))
    cores = cpu.stop()
    done = len(stats.checkout_ms)
    return {
        "clients": args.clients, "seconds": round(elapsed, 1), "checkouts": done,
        "checkouts_per_s": done / elapsed,
        "checkout_p50_ms": percentile(stats.checkout_ms, 50),
        "checkout_p99_ms": percentile(stats.checkout_ms, 99),
        "flow_p50_ms": percentile(stats.flow_ms, 50), "flow_p99_ms": percentile(stats.flow_ms, 99),
        "errors": dict(stats.errors), "cores": cores,
        "cpu_ms_per_checkout": _cpu_ms_per(cores, elapsed, done),
    }, stats.order_ids


def _cpu_ms_per(cores: dict[str, float], elapsed: float, count: int) -> dict[str, float]:
    return {k: round(v * elapsed * 1000 / count, 1) for k, v in cores.items()
            if count and k not in ("machine", "other") and v > 0.005}


def pgbench_phase(stack: Stack, args: argparse.Namespace, cpu: CpuSampler) -> dict[str, Any]:
    name = stack.create_database("tienda_bench_pgbench")
    url = make_url(stack.admin_url)
    conn = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
            "-U", url.username or "postgres"]
    console.print(f"[bold]pgbench[/]: -i -s {args.pgbench_scale}, then "
                  f"-c {args.pgbench_clients} -j 2 -T {args.pgbench_seconds:.0f}")
    subprocess.run(["pgbench", *conn, "-i", "-q", "-s", str(args.pgbench_scale), name],
                   check=True, capture_output=True, timeout=600)
    cpu.start()
    run = subprocess.run(["pgbench", *conn, "-c", str(args.pgbench_clients), "-j", "2", "-T",
                          str(int(args.pgbench_seconds)), name],
                         check=True, capture_output=True, text=True,
                         timeout=args.pgbench_seconds + 120)
    cores = cpu.stop()
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", run.stdout)
    if tps is None:
        raise RuntimeError("pgbench printed no tps:\n" + run.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", run.stdout)
    return {"tps": float(tps.group(1)), "latency_avg_ms": float(latency.group(1))
            if latency else None, "cores": cores, "scale": args.pgbench_scale,
            "clients": args.pgbench_clients, "seconds": args.pgbench_seconds}


def worker_phase(stack: Stack, base: str, skus: list[str], database_url: str,
                 backlog: list[str], args: argparse.Namespace, cpu: CpuSampler
                 ) -> dict[str, Any]:
    if args.worker_concurrency:
        stack.env["TIENDA_WORKER_CONCURRENCY"] = str(args.worker_concurrency)
    stack.env["TIENDA_WORKER_PROCESSES"] = str(args.worker_processes)
    engine = create_engine(_sqlalchemy(database_url))
    try:
        stack.start("worker", [str(BIN / "tienda"), "worker"])
        _wait_for_log(stack, "worker", "worker: queues")
        capacity = _drain_backlog(stack, engine, backlog, args, cpu)
        console.print(f"[bold]worker[/]: {args.rate:g} checkouts/s for "
                      f"{args.worker_seconds:.0f} s")
        cpu.start()
        window_start = datetime.now(UTC)
        stats, placing_s, skipped = asyncio.run(
            open_loop(base, skus, args.rate, args.worker_seconds, args.max_in_flight))
        window_end = datetime.now(UTC)
        cores = cpu.stop()
        drain_s, left = _drain(engine, stats.order_ids, args.drain_timeout)
        lags = _lags(engine, stats.order_ids)
    finally:
        engine.dispose()
    figures = _worker_figures(stats, placing_s, skipped, window_start, window_end, drain_s,
                              left, lags, cores, args)
    return {**figures, "capacity": capacity}


def _drain_backlog(stack: Stack, engine: Engine, backlog: list[str], args: argparse.Namespace,
                   cpu: CpuSampler) -> dict[str, Any]:
    """The worker's own ceiling: the checkout phase's orders are still queued; time their
    confirmation with no checkouts running, then wait for the queues to empty."""
    console.print(f"[bold]worker capacity[/]: draining the {len(backlog)} orders queued by "
                  "the checkout phase, no checkouts running")
    cpu.start()
    drain_s, left = _drain(engine, backlog, args.drain_timeout)
    cores = cpu.stop()
    deadline = time.monotonic() + args.drain_timeout
    while queue_depth(stack) and time.monotonic() < deadline:
        time.sleep(0.5)
    done = len(backlog) - left
    return {"orders": len(backlog), "confirmed": done, "seconds": round(drain_s, 1),
            "confirmed_per_s": done / drain_s if drain_s else 0.0, "cores": cores,
            "cpu_ms_per_confirmation": _cpu_ms_per(cores, drain_s, done)}


def _wait_for_log(stack: Stack, name: str, needle: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while needle not in stack.log_tail(name, 50):
        if stack.procs[name].poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start:\n" + stack.log_tail(name))
        time.sleep(0.2)


def _confirmed(engine: Engine, ids: list[str]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM orders WHERE id = ANY(:ids) AND status = 'confirmed'"),
            {"ids": ids}).scalar_one())


def _drain(engine: Engine, ids: list[str], timeout: float) -> tuple[float, int]:
    """Seconds from the end of the load until every placed order is confirmed, and how many
    were still unconfirmed at the deadline."""
    started = time.monotonic()
    while (left := len(ids) - _confirmed(engine, ids)) and time.monotonic() - started < timeout:
        time.sleep(0.25)
    return time.monotonic() - started, left


def _lags(engine: Engine, ids: list[str]) -> list[tuple[datetime, datetime | None]]:
    with engine.connect() as conn:
        return [(r.pending_at, r.confirmed_at) for r in conn.execute(text(
            "SELECT p.created_at AS pending_at, c.created_at AS confirmed_at "
            "FROM order_events p LEFT JOIN order_events c "
            "ON c.order_id = p.order_id AND c.status_to = 'confirmed' "
            "WHERE p.status_to = 'pending' AND p.order_id = ANY(:ids)"), {"ids": ids})]


def _worker_figures(stats: FlowStats, placing_s: float, skipped: int, start: datetime,
                    end: datetime, drain_s: float, left: int,
                    lags: list[tuple[datetime, datetime | None]], cores: dict[str, float],
                    args: argparse.Namespace) -> dict[str, Any]:
    confirmed = sorted(c for _, c in lags if c is not None)
    lag_s = [(c - p).total_seconds() for p, c in lags if c is not None]
    window = (end - start).total_seconds()
    in_window = sum(1 for c in confirmed if start <= c <= end)
    per_second = Counter(int((c - start).total_seconds()) for c in confirmed
                         if start <= c <= end)
    full_seconds = [per_second.get(s, 0) for s in range(5, int(window) - 1)]
    span = (confirmed[-1] - min(p for p, _ in lags)).total_seconds() if confirmed else 0.0
    return {
        "rate": args.rate, "seconds": args.worker_seconds, "placed": len(stats.order_ids),
        "placed_per_s": len(stats.order_ids) / placing_s, "skipped": skipped,
        "errors": dict(stats.errors), "checkout_p99_ms": percentile(stats.checkout_ms, 99),
        "confirmed": len(confirmed), "unconfirmed": left,
        "confirmed_per_s_window": in_window / window,
        "confirmed_per_s_overall": len(confirmed) / span if span else 0.0,
        "slowest_second": min(full_seconds) if full_seconds else 0,
        "lag_p50_s": percentile(lag_s, 50), "lag_p99_s": percentile(lag_s, 99),
        "lag_max_s": max(lag_s, default=float("nan")), "drain_s": drain_s, "cores": cores,
        "worker_concurrency": args.worker_concurrency or 4,
        "worker_processes": args.worker_processes,
        "max_in_flight": args.max_in_flight,
    }


# ----------------------------------------------------------------------------- measuring


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * pct // 100) - 1))]


def _process_table() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command name, CPU ticks used so far), from /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        head, _, rest = raw.rpartition(")")
        fields = rest.split()
        # utime + stime, plus cutime + cstime: the time of children it has already reaped
        # (PostgreSQL backends that exited, the pgbench client), which /proc lists no more
        table[int(entry.name)] = (int(fields[1]), head.partition("(")[2],
                                  sum(int(v) for v in fields[11:15]))
    return table


def _busy_ticks() -> int:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return sum(values) - values[3] - values[4]  # all but idle and iowait


class CpuSampler:
    """Cores used per process group over a phase, to see where the machine's time goes.
    The PostgreSQL server is shared: its figure includes anyone else's queries."""

    def __init__(self, procs: dict[str, subprocess.Popen[bytes]], bench_pid: int) -> None:
        self._procs, self._bench = procs, bench_pid
        self._begin: tuple[float, dict[str, int]] = (0.0, {})

    def _groups(self) -> dict[str, int]:
        table = _process_table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)

        def tree(pid: int) -> int:
            return table.get(pid, (0, "", 0))[2] + sum(tree(c) for c in children.get(pid, []))

        groups = {name: tree(proc.pid) for name, proc in self._procs.items()}
        groups["bench (load generator, pgbench client)"] = table.get(self._bench, (0, "", 0))[2]
        groups["postgresql (whole server)"] = sum(t for _, comm, t in table.values()
                                                  if comm == "postgres")
        groups["machine"] = _busy_ticks()
        return groups

    def start(self) -> None:
        self._begin = (time.monotonic(), self._groups())

    def stop(self) -> dict[str, float]:
        began, before = self._begin
        elapsed, after = time.monotonic() - began, self._groups()
        tick = os.sysconf("SC_CLK_TCK")
        cores = {k: (v - before.get(k, 0)) / tick / elapsed for k, v in after.items()}
        cores["other"] = cores["machine"] - sum(v for k, v in cores.items() if k != "machine")
        return {k: round(v, 2) for k, v in cores.items()}


def machine_facts(admin_url: str) -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    mem_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
                 .group(1))  # type: ignore[union-attr]
    engine = create_engine(_sqlalchemy(admin_url))
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        settings = dict(conn.execute(text(
            "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', "
            "'synchronous_commit', 'shared_buffers', 'max_connections')")).all())
    engine.dispose()
    return {"cpus": str(os.cpu_count()), "cpu_model": model.group(1) if model else "unknown",
            "ram": f"{mem_kb / 1024 / 1024:.1f} GiB", "python": sys.version.split()[0],
            "postgresql": f"{version} (fsync {settings['fsync']}, synchronous_commit "
                          f"{settings['synchronous_commit']}, shared_buffers "
                          f"{int(settings['shared_buffers']) * 8 // 1024} MB, max_connections "
                          f"{settings['max_connections']})"}


def uptime_line() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# ----------------------------------------------------------------------------- the report

SECTION = "## Checkout and confirmation"
def _cores(cores: dict[str, float]) -> str:
    shown = {k: v for k, v in cores.items() if k != "machine"}
    return (f"{cores['machine']:.2f} of {os.cpu_count()} cores busy: "
            + ", ".join(f"{k} {v:.2f}" for k, v in shown.items()))


def render_section(results: dict[str, Any], verdicts: dict[str, tuple[bool, str]],
                   facts: dict[str, str], command: str) -> str:
    lines = [SECTION, "",
             f"`{command}` on {facts['cpus']} CPUs ({facts['cpu_model']}), {facts['ram']} RAM, "
             f"Python {facts['python']}, PostgreSQL {facts['postgresql']}; "
             f"{results['date']}. Frontoffice under gunicorn (`-k uvicorn.workers.UvicornWorker "
             f"-w {results['web_workers']}`), private Azurite and mail capture, a scratch "
             f"database seeded with {results['skus']} SKUs in stock; the load generator runs on "
             "the same machine. Other engineers' tests share it; load averages (1/5/15 min) "
             f"from `uptime`: before {_load(results['load_before'])}, after the checkout phase "
             f"{_load(results['load_after_checkout'])}, at the end {_load(results['load_after'])}.",
             "", "| target | met | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {line} |"
              for name, (ok, line) in verdicts.items()]
    lines += ["", *_checkout_lines(results["checkout"])]
    if "pgbench" in results:
        lines += ["", *_pgbench_lines(results["pgbench"])]
    if "worker" in results:
        lines += ["", *_worker_lines(results["worker"])]
    errors = {k: v for k, v in results.get("server_errors", {}).items() if v}
    lines += ["", f"Exceptions logged by the services: {errors or 'none'}."]
    return "\n".join(lines) + "\n"


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def _checkout_lines(c: dict[str, Any]) -> list[str]:
    return [
        f"**Checkout** ({c['clients']} closed-loop clients, {c['seconds']:.0f} s, worker not "
        "running; one flow = create cart, 1-2 lines, checkout):", "",
        "| checkouts | checkouts/s | checkout POST p50 | p99 | whole flow p50 | p99 | errors |",
        "|---|---|---|---|---|---|---|",
        f"| {c['checkouts']} | {c['checkouts_per_s']:.1f} | {c['checkout_p50_ms']:.0f} ms | "
        f"{c['checkout_p99_ms']:.0f} ms | {c['flow_p50_ms']:.0f} ms | {c['flow_p99_ms']:.0f} ms "
        f"| {sum(c['errors'].values())} {c['errors'] or ''} |", "",
        f"CPU during the phase: {_cores(c['cores'])}. CPU per checkout flow, ms: "
        + ", ".join(f"{k} {v}" for k, v in c["cpu_ms_per_checkout"].items()) + "."]


def _pgbench_lines(p: dict[str, Any]) -> list[str]:
    return [f"**pgbench** TPC-B on the same server (`pgbench -i -s {p['scale']}`, then "
            f"`pgbench -c {p['clients']} -j 2 -T {p['seconds']:.0f}`): **{p['tps']:.0f} TPS**, "
            f"latency average {p['latency_avg_ms']} ms. CPU: {_cores(p['cores'])}."]


def _worker_lines(w: dict[str, Any]) -> list[str]:
    return [
        f"**Worker** (`tienda worker`, {w['worker_processes']} processes of concurrency "
        f"{w['worker_concurrency']}, open-loop "
        f"checkouts at {w['rate']:g}/s for {w['seconds']:.0f} s):", "",
        "| placed | placed/s | confirmed/s in window | slowest second | confirmed/s overall "
        "| lag p50 | lag p99 | lag max | drain after load | unconfirmed |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {w['placed']} | {w['placed_per_s']:.1f} | {w['confirmed_per_s_window']:.1f} | "
        f"{w['slowest_second']} | {w['confirmed_per_s_overall']:.1f} | {w['lag_p50_s']:.2f} s | "
        f"{w['lag_p99_s']:.2f} s | {w['lag_max_s']:.2f} s | {w['drain_s']:.1f} s | "
        f"{w['unconfirmed']} |", "",
        f"Checkout errors during the phase: {w['errors'] or 'none'}; starts skipped (more than "
        f"{w['max_in_flight']} flows in flight): {w['skipped']}; checkout POST p99 "
        f"{w['checkout_p99_ms']:.0f} ms. CPU during the load: {_cores(w['cores'])}.", "",
        *_capacity_lines(w["capacity"])]


def _capacity_lines(c: dict[str, Any]) -> list[str]:
    return [
        f"Worker capacity, before that load (the {c['orders']} orders the checkout phase left "
        f"queued, confirmed with no checkouts running): {c['confirmed']} confirmed in "
        f"{c['seconds']:.1f} s = **{c['confirmed_per_s']:.1f} confirmations/s**. "
        f"CPU: {_cores(c['cores'])}. CPU per confirmation (with its e-mail), ms: "
        + ", ".join(f"{k} {v}" for k, v in c["cpu_ms_per_confirmation"].items()) + "."]


# ----------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16, help="concurrent shoppers")
    p.add_argument("--seconds", type=float, default=30, help="length of the checkout phase")
    p.add_argument("--rate", type=float, default=50, help="checkouts/s in the worker phase")
    p.add_argument("--worker-seconds", type=float, default=60, help="length of the load")
    p.add_argument("--drain-timeout", type=float, default=180,
                   help="longest wait for the backlog after the load")
    p.add_argument("--worker-concurrency", type=int, default=None,
                   help="TIENDA_WORKER_CONCURRENCY (default: the application's, 4)")
    p.add_argument("--worker-processes", type=int, default=os.cpu_count() or 1,
                   help="TIENDA_WORKER_PROCESSES (default: one per core)")
    p.add_argument("--max-in-flight", type=int, default=64,
                   help="open-loop flows in flight at most; further starts are skipped")
    p.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--products", type=int, default=60, help="products in the seeded catalogue")
    p.add_argument("--pgbench-scale", type=int, default=10)
    p.add_argument("--pgbench-clients", type=int, default=16)
    p.add_argument("--pgbench-seconds", type=float, default=30)
    p.add_argument("--postgres-url", default=os.environ.get(
        "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--skip-pgbench", action="store_true")
    p.add_argument("--skip-worker", action="store_true")
    p.add_argument("--no-write", action="store_true", help="do not touch docs/PERFORMANCE.md")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    stack = Stack(args.postgres_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanup still runs
    try:
        database_url = stack.url(stack.create_database("tienda_bench"))
        ports = start_services(stack, database_url)
        console.print(f"seeding {args.products} products into {database_url} ...")
        skus = seed_shop(stack, database_url, args.products)
        base = start_frontoffice(stack, ports["web"], args.web_workers)
        cpu = CpuSampler(stack.procs, bench_pid=os.getpid())
        results: dict[str, Any] = {
            "skus": len(skus), "load_before": os.getloadavg(), "uptime_before": uptime_line(),
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "web_workers": args.web_workers, "facts": machine_facts(args.postgres_url)}
        results["checkout"], backlog = checkout_phase(base, skus, args, cpu)
        results["load_after_checkout"] = os.getloadavg()
        if not args.skip_pgbench:
            results["pgbench"] = pgbench_phase(stack, args, cpu)
        if not args.skip_worker:
            results["worker"] = worker_phase(stack, base, skus, database_url, backlog, args,
                                             cpu)
        results["load_after"] = os.getloadavg()
        results["server_errors"] = {n: server_errors(stack, n) for n in ("frontoffice",
                                                                         "worker")}
        results["uptime_after"] = uptime_line()
        return results
    except Exception:
        for name in stack.procs:
            console.print(f"[dim]--- {name} log tail ---\n{stack.log_tail(name)}[/]")
        raise
    finally:
        stack.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console.print(f"[dim]{uptime_line()}[/]")
    results = run(args)
    verdicts = print_summary(results)
    command = " ".join([".venv/bin/python bench/checkout.py", *(argv or sys.argv[1:])])
    section = render_section(results, verdicts, results["facts"], command)
    if not args.no_write:
        path = write_section(ROOT / "docs" / "PERFORMANCE.md", SECTION, section)
        console.print(f"written to {path.relative_to(ROOT)}")
    else:
        console.print(section)
    return 0 if all(ok for ok, _ in verdicts.values()) else 1


def verdicts_for(results: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    c, out = results["checkout"], {}
    out["errors"] = (not c["errors"], f"checkout errors: {c['errors'] or 'none'}")
    out["p99"] = (c["checkout_p99_ms"] < TARGET_P99_MS,
                  f"p99 {c['checkout_p99_ms']:.0f} ms at {c['clients']} clients "
                  f"(target < {TARGET_P99_MS:.0f} ms)")
    if "pgbench" in results:
        ratio = c["checkouts_per_s"] / results["pgbench"]["tps"]
        out["ratio"] = (ratio >= TARGET_RATIO, f"{c['checkouts_per_s']:.1f} checkouts/s = "
                        f"{ratio:.1%} of pgbench {results['pgbench']['tps']:.0f} TPS "
                        f"(target >= {TARGET_RATIO:.0%})")
    if "worker" in results:
        w = results["worker"]
        kept = (not w["unconfirmed"] and not w["errors"] and not w["skipped"]
                and w["placed_per_s"] >= 0.98 * w["rate"] and w["lag_p99_s"] < TARGET_LAG_P99_S)
        out["worker"] = (kept, f"placed {w['placed_per_s']:.1f}/s, confirmed "
                         f"{w['confirmed_per_s_window']:.1f}/s in the window, lag p99 "
                         f"{w['lag_p99_s']:.2f} s (target {w['rate']:g}/s for "
                         f"{w['seconds']:.0f} s, lag p99 < {TARGET_LAG_P99_S:.0f} s)")
    return out


def print_summary(results: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    verdicts = verdicts_for(results)
    table = Table(title="Checkout and confirmation")
    table.add_column("target")
    table.add_column("met")
    table.add_column("figures")
    for name, (ok, line) in verdicts.items():
        table.add_row(name, "[green]yes[/]" if ok else "[red]NO[/]", line)
    console.print(table)
    for key in ("uptime_before", "uptime_after", "checkout", "pgbench", "worker",
                "server_errors"):
        if key in results:
            console.print(f"{key}: {results[key]}")
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
