"""Checkout and confirmation benchmark of the Django port, over HTTP against PostgreSQL, on
loopback only.

Builds a private stack (a scratch database migrated and seeded by `manage.py seed_demo`,
Azurite, `manage.py mail_capture`, the storefront under gunicorn as deployed), then:

1. checkout: ``--clients`` closed-loop shoppers (create cart, 1-2 lines, checkout through
   /api/v1) for at most ``--seconds`` or ``--checkouts`` flows, after ``--warmup-flows``
   unmeasured ones, with no worker running: the
   storefront's CPU per checkout flow (its processes' utime + stime from /proc, before and
   after, divided by the flows done), checkout POST p50/p99 and the errors;
2. worker: ``manage.py runworker`` confirms the orders phase 1 left queued (not measured: it
   includes the worker's start), then ``--confirmations`` more checkouts are placed and the
   worker's CPU per confirmation with its e-mail is measured the same way, until every order
   is confirmed and every e-mail captured.

Targets: storefront ≤ 20 ms CPU per checkout flow, worker ≤ 25 ms CPU per confirmation, p99
< 250 ms at 16 clients, zero errors. Results go to the '## Checkout and confirmation'
section of docs/PERFORMANCE.md (``--no-write`` to only print). Everything it starts is stopped
and the scratch database dropped at the end, also on failure or SIGTERM.

    .venv/bin/python bench/checkout.py [--clients 16] [--seconds 30] [--checkouts 0]
        [--confirmations 300] [--products 60] [--no-write]
    smoke: .venv/bin/python bench/checkout.py --seconds 10 --checkouts 30 \\
        --confirmations 30 --products 20 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
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
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from perf_doc import write_section

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
AZURITE = ROOT / "node_modules" / ".bin" / "azurite"
TARGET_CHECKOUT_CPU_MS, TARGET_CONFIRM_CPU_MS, TARGET_P99_MS = 20.0, 25.0, 250.0
SECTION = "## Checkout and confirmation"
TICK = os.sysconf("SC_CLK_TCK")

# ----------------------------------------------------------------------------- the stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def until(condition: Any, seconds: float, what: str, step: float = 0.2) -> None:
    """Wait (bounded) for `condition()`; fails naming `what`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(step)


def listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


@dataclass
class Stack:
    """The processes and the scratch database of one run; ``close`` undoes all of it."""

    admin_url: str
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tienda-bench-")))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    database: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def create_database(self) -> str:
        self.database = f"tienda_bench_co_{secrets.token_hex(4)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        return self.admin_url.rsplit("/", 1)[0] + "/" + self.database

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        with (self.tmp / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def manage(self, *args: str) -> str:
        done = subprocess.run([str(PYTHON), "manage.py", *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=1800)
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn's workers too
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for name in list(self.procs)[::-1]:
            self.stop(name)
        if self.database:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


SETUP = """
import json
from django.conf import settings
from shop.catalog.models import Variant
from shop.inventory.services import stock_set
from workers.queues import ensure_queues
ensure_queues()
skus = list(Variant.objects.filter(is_published=True, product__is_published=True)
            .order_by("sku").values_list("sku", flat=True))
for sku in skus:
    stock_set(sku=sku, quantity=1_000_000, warehouse_code=None, actor="bench")
print("SKUS " + json.dumps(skus))
"""


def base_env(stack: Stack, database_url: str, ports: dict[str, int],
             settings_module: str) -> dict[str, str]:
    """The environment of a bench's Django processes: this one's minus any TIENDA_/DJANGO_
    variable, a local run on the scratch database and the private Azurite."""
    from shop.settings.storage import azurite_connection_string

    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TIENDA_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": settings_module, "TIENDA_ENVIRONMENT": "local",
        "TIENDA_DATABASE_URL": database_url, "TIENDA_DATA_DIR": str(stack.tmp / "data"),
        "TIENDA_STORAGE_CONNECTION_STRING": azurite_connection_string(
            blob_port=ports["blob"], queue_port=ports["queue"]),
    }


def start_azurite(stack: Stack, ports: dict[str, int]) -> None:
    """A private, in-memory Azurite on the `blob`, `queue` and `table` ports."""
    stack.start("azurite", [
        str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
        "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", str(ports["blob"]),
        "--queueHost", "127.0.0.1", "--queuePort", str(ports["queue"]), "--tableHost",
        "127.0.0.1", "--tablePort", str(ports["table"])])


def django_here(stack: Stack) -> None:
    """The scratch database migrated, Django set up in this process with the stack's
    environment, and the queues and containers made (what Bicep makes on Azure)."""
    stack.manage("migrate", "--noinput", "-v", "0")
    os.environ.update(stack.env)
    import django

    django.setup()
    from shop.notifications.storage import ensure_containers
    from workers.queues import ensure_queues

    ensure_queues()
    ensure_containers()


def build(stack: Stack, args: argparse.Namespace) -> tuple[str, list[str]]:
    """Services up, database migrated and seeded; the storefront's base URL and the SKUs."""
    database_url = stack.create_database()
    ports = {k: free_port() for k in ("blob", "queue", "table", "smtp", "web")}
    stack.env = {
        **base_env(stack, database_url, ports, "shop.settings.storefront"),
        "TIENDA_SMTP_PORT": str(ports["smtp"]), "TIENDA_MAIL_CAPTURE_PORT": str(ports["smtp"]),
        "TIENDA_PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['web']}",
        "TIENDA_BIND": f"127.0.0.1:{ports['web']}", "TIENDA_WEB_WORKERS": str(args.web_workers),
    }
    start_azurite(stack, ports)
    stack.start("mail", [str(PYTHON), "manage.py", "mail_capture"])
    for port in (ports["blob"], ports["queue"], ports["smtp"]):
        until(lambda p=port: listening(p), 60, f"a service on port {port}")
    print(f"migrating and seeding {args.products} products into {stack.database} ...")
    stack.manage("migrate", "--noinput", "-v", "0")
    stack.manage("collectstatic", "--noinput", "-v", "0")  # the manifest the pages need
    stack.manage("seed_demo", "--products", str(args.products), "--customers", "10",
                 "--orders", "0")
    out = stack.manage("shell", "-c", SETUP)
    skus = json.loads(next(line for line in out.splitlines() if line.startswith("SKUS "))[5:])
    web = stack.start("storefront", [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c",
                                     "shop/gunicorn_conf.py", "shop.wsgi"])
    base = f"http://127.0.0.1:{ports['web']}"
    until(lambda: not _exited(web, stack) and _healthy(base), 120,
          "the storefront to answer /healthz")
    return base, skus


def _exited(proc: subprocess.Popen[bytes], stack: Stack) -> bool:
    if proc.poll() is not None:
        raise RuntimeError("gunicorn exited:\n" + stack.log("storefront")[-3000:])
    return False


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            return bool(response.status == 200)
    except OSError:
        return False


# ----------------------------------------------------------------------------- CPU from /proc


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks: utime + stime + cutime + cstime)."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # cutime + cstime: children it has already reaped, which /proc lists no more
        table[int(entry.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    return table


def cpu_ticks(stack: Stack, names: tuple[str, ...]) -> dict[str, int]:
    """CPU ticks so far of each named process with all its descendants, and of this one."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> int:
        return table.get(pid, (0, 0))[1] + sum(tree(c) for c in children.get(pid, []))

    found = {name: tree(stack.procs[name].pid) for name in names if name in stack.procs}
    found["bench (load generator)"] = table.get(os.getpid(), (0, 0))[1]
    return found


def ms_per(before: dict[str, int], after: dict[str, int], units: int) -> dict[str, float]:
    return {name: round((after[name] - before[name]) * 1000 / TICK / units, 1)
            for name in after if units and name in before}


# ----------------------------------------------------------------------------- shoppers


@dataclass
class FlowStats:
    checkout_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    order_ids: list[str] = field(default_factory=list)


CHECKOUT_BODY = {
    "email": "bench@example.com", "shipping_method": "standard", "locale": "es",
    "payment_token": "tok_sandbox_ok",
    "shipping_address": {"name": "Bench Shopper", "line1": "Calle Mayor 1", "city": "Madrid",
                         "postal_code": "28013", "country": "ES"},
}


class Refused(Exception):
    pass


async def _post(client: aiohttp.ClientSession, path: str, body: dict[str, Any] | None,
                headers: dict[str, str], status: int) -> dict[str, Any]:
    async with client.post(path, json=body, headers=headers) as response:
        if response.status != status:
            raise Refused(f"HTTP {response.status} {path.split('/')[-1]}")
        return dict(await response.json())


async def one_checkout(client: aiohttp.ClientSession, skus: list[str], rng: random.Random,
                       stats: FlowStats) -> None:
    started = time.perf_counter()
    try:
        cart = await _post(client, "/api/v1/carts", None, {}, 201)
        path, headers = f"/api/v1/carts/{cart['id']}", {"X-Cart-Token": cart["token"]}
        for sku in rng.sample(skus, min(len(skus), rng.randint(1, 2))):
            await _post(client, path + "/lines", {"sku": sku, "quantity": rng.randint(1, 2)},
                        headers, 200)
        posted = time.perf_counter()
        placed = await _post(client, path + "/checkout", CHECKOUT_BODY,
                             {**headers, "Idempotency-Key": str(uuid.uuid4())}, 201)
    except Refused as exc:
        stats.errors[exc.args[0]] += 1
        return
    except (aiohttp.ClientError, TimeoutError) as exc:
        stats.errors[type(exc).__name__] += 1
        return
    done = time.perf_counter()
    stats.checkout_ms.append((done - posted) * 1000)
    stats.flow_ms.append((done - started) * 1000)
    stats.order_ids.append(placed["order_id"])


async def closed_loop(base: str, skus: list[str], clients: int, seconds: float,
                      flows: int) -> tuple[FlowStats, float]:
    """`clients` shoppers, each starting a new flow when its last one ends, until `seconds`
    have passed or `flows` flows were started (0: no limit on flows)."""
    stats, deadline, started_flows = FlowStats(), time.monotonic() + seconds, 0

    async def shopper(n: int) -> None:
        nonlocal started_flows
        rng = random.Random(n)
        while time.monotonic() < deadline and (not flows or started_flows < flows):
            started_flows += 1
            await one_checkout(client, skus, rng, stats)

    # aiohttp: about 0.3 ms of CPU per request, taken from the shop on this shared machine.
    connector = aiohttp.TCPConnector(limit=clients, keepalive_timeout=1)
    async with aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=60),
                                     connector=connector) as client:
        began = time.monotonic()
        await asyncio.gather(*(shopper(n) for n in range(clients)))
        return stats, time.monotonic() - began


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * pct // 100) - 1))]


# ----------------------------------------------------------------------------- phases


def checkout_phase(stack: Stack, base: str, skus: list[str], args: argparse.Namespace
                   ) -> tuple[dict[str, Any], list[str]]:
    print(f"checkout: {args.clients} clients, at most {args.seconds:.0f} s"
          f"{f' or {args.checkouts} flows' if args.checkouts else ''}; worker not running")
    # Not measured: each gunicorn worker's first requests import and compile what it uses.
    warm, _ = asyncio.run(closed_loop(base, skus, args.clients, args.seconds,
                                      args.warmup_flows))
    before = cpu_ticks(stack, ("storefront", "azurite"))
    stats, elapsed = asyncio.run(closed_loop(base, skus, args.clients, args.seconds,
                                             args.checkouts))
    after = cpu_ticks(stack, ("storefront", "azurite"))
    stats.errors.update(warm.errors)
    done = len(stats.order_ids)
    return {"clients": args.clients, "seconds": round(elapsed, 1), "checkouts": done,
            "checkouts_per_s": done / elapsed if elapsed else 0.0,
            "checkout_p50_ms": percentile(stats.checkout_ms, 50),
            "checkout_p99_ms": percentile(stats.checkout_ms, 99),
            "flow_p50_ms": percentile(stats.flow_ms, 50),
            "flow_p99_ms": percentile(stats.flow_ms, 99),
            "errors": dict(stats.errors), "cpu_ms": ms_per(before, after, done),
            "warmup": len(warm.order_ids)}, warm.order_ids + stats.order_ids


def confirmed(database_url: str, ids: list[str]) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM orders WHERE id = ANY(%s::uuid[]) "
                           "AND status = 'confirmed'", (ids,)).fetchone()
    return int(row[0]) if row else 0


def mails(stack: Stack) -> int:
    return len(list((stack.tmp / "data" / "mail").glob("*.eml")))


def worker_phase(stack: Stack, base: str, skus: list[str], backlog: list[str],
                 args: argparse.Namespace) -> dict[str, Any]:
    database_url = stack.env["TIENDA_DATABASE_URL"]
    stack.env = {**stack.env, "DJANGO_SETTINGS_MODULE": "shop.settings.worker"}
    stack.start("worker", [str(PYTHON), "manage.py", "runworker", "--processes",
                           str(args.worker_processes)])
    until(lambda: "worker: queues" in stack.log("worker"), 120, "the worker to start")
    print(f"worker: confirming the {len(backlog)} orders left by the checkout phase "
          "(not measured)")
    until(lambda: confirmed(database_url, backlog) == len(backlog) and
          mails(stack) >= len(backlog), args.drain_timeout, "the backlog to be confirmed")
    print(f"worker: {args.confirmations} more checkouts ({args.worker_clients} clients), "
          "measuring until every one is confirmed and its e-mail captured")
    names = ("worker", "mail", "azurite", "storefront")
    before, began = cpu_ticks(stack, names), time.monotonic()
    stats, _ = asyncio.run(closed_loop(base, skus, args.worker_clients, args.drain_timeout,
                                       args.confirmations))
    placed, expected_mails = stats.order_ids, len(backlog) + len(stats.order_ids)
    with contextlib.suppress(RuntimeError):
        until(lambda: confirmed(database_url, placed) == len(placed)
              and mails(stack) >= expected_mails, args.drain_timeout, "the confirmations")
    after, elapsed = cpu_ticks(stack, names), time.monotonic() - began
    done = confirmed(database_url, placed)
    return {"placed": len(placed), "confirmed": done, "unconfirmed": len(placed) - done,
            "mails": mails(stack) - len(backlog), "seconds": round(elapsed, 1),
            "errors": dict(stats.errors), "worker_processes": args.worker_processes,
            "cpu_ms": ms_per(before, after, done)}


def server_errors(stack: Stack) -> dict[str, int]:
    """Exceptions the services logged, by their last traceback line."""
    found: Counter[str] = Counter()
    for name in ("storefront", "worker", "mail"):
        lines = stack.log(name).splitlines()
        for n, line in enumerate(lines):
            if "WORKER TIMEOUT" in line or "[CRITICAL]" in line:
                found[f"{name}: {line.split('] ', 3)[-1][:160]}"] += 1
            if line.startswith("Traceback"):
                tail = next((x for x in lines[n + 1:] if x and not x.startswith((" ", "\t"))),
                            "?")
                found[f"{name}: {tail[:160]}"] += 1
    return dict(found)


# ----------------------------------------------------------------------------- the report


def verdicts_for(results: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    c, w = results["checkout"], results.get("worker")
    storefront_ms = c["cpu_ms"].get("storefront", float("nan"))
    out = {"storefront CPU per checkout flow": (
        storefront_ms <= TARGET_CHECKOUT_CPU_MS,
        f"{storefront_ms} ms (target ≤ {TARGET_CHECKOUT_CPU_MS:.0f} ms)"),
        "checkout p99": (c["checkout_p99_ms"] < TARGET_P99_MS,
                         f"{c['checkout_p99_ms']:.0f} ms at {c['clients']} clients "
                         f"(target < {TARGET_P99_MS:.0f} ms)")}
    if w:
        worker_ms = w["cpu_ms"].get("worker", float("nan"))
        out["worker CPU per confirmation"] = (
            worker_ms <= TARGET_CONFIRM_CPU_MS,
            f"{worker_ms} ms with its e-mail (target ≤ {TARGET_CONFIRM_CPU_MS:.0f} ms)")
    errors = {**c["errors"], **(w["errors"] if w else {}), **results["server_errors"]}
    if w and w["unconfirmed"]:
        errors["unconfirmed orders"] = w["unconfirmed"]
    if w and w["mails"] != w["placed"]:
        errors["e-mails captured ≠ orders placed"] = w["mails"] - w["placed"]
    out["errors"] = (not errors, f"{errors or 'none'}")
    return out


def render_section(results: dict[str, Any], verdicts: dict[str, tuple[bool, str]],
                   command: str) -> str:
    c, w = results["checkout"], results.get("worker")
    lines = [SECTION, "",
             f"`{command}` on {results['machine']}; {results['date']}. Storefront under "
             f"gunicorn (`-c shop/gunicorn_conf.py shop.wsgi`, {results['web_workers']} "
             f"workers), PostgreSQL {results['postgresql']}, private Azurite and "
             f"`manage.py mail_capture`, {results['skus']} SKUs in stock; the load generator "
             f"(aiohttp) runs on the same machine. CPU is each process tree's utime + stime "
             f"from /proc, after minus before, per unit of work. Load average (1/5/15 min) "
             f"before {results['load_before']}, at the end {results['load_after']}.", "",
             "| target | met | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {line} |"
              for name, (ok, line) in verdicts.items()]
    lines += ["", f"**Checkout** ({c['clients']} closed-loop clients, {c['seconds']:.0f} s, "
              f"after {c['warmup']} warm-up flows, worker not running; one flow = create "
              "cart, 1-2 lines, checkout):", "",
              "| checkouts | checkouts/s | checkout POST p50 | p99 | whole flow p50 | p99 |",
              "|---|---|---|---|---|---|",
              f"| {c['checkouts']} | {c['checkouts_per_s']:.1f} | {c['checkout_p50_ms']:.0f} ms "
              f"| {c['checkout_p99_ms']:.0f} ms | {c['flow_p50_ms']:.0f} ms | "
              f"{c['flow_p99_ms']:.0f} ms |", "",
              "CPU per checkout flow, ms: " + _ms(c["cpu_ms"]) + "."]
    if w:
        lines += ["", f"**Worker** (`manage.py runworker --processes {w['worker_processes']}`):"
                  f" {w['placed']} checkouts placed while it ran, {w['confirmed']} confirmed "
                  f"and {w['mails']} e-mails captured in {w['seconds']:.1f} s. CPU per "
                  "confirmation with its e-mail, ms: " + _ms(w["cpu_ms"]) + " (the storefront "
                  "and Azurite figures include placing those checkouts)."]
    return "\n".join(lines) + "\n"


def _ms(values: dict[str, float]) -> str:
    return ", ".join(f"{name} {value}" for name, value in values.items())


def machine() -> str:
    model = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (f"{os.cpu_count()} CPUs ({model.group(1) if model else 'unknown'}), "
            f"{platform.machine()}, Python {platform.python_version()}")


def postgres_version(admin_url: str) -> str:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


# ----------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16, help="concurrent shoppers in phase 1")
    p.add_argument("--seconds", type=float, default=30, help="longest checkout phase")
    p.add_argument("--checkouts", type=int, default=0, help="most flows in phase 1 (0: any)")
    p.add_argument("--warmup-flows", type=int, default=32,
                   help="flows before phase 1 is measured (their orders join the backlog)")
    p.add_argument("--confirmations", type=int, default=300, help="orders timed in phase 2")
    p.add_argument("--worker-clients", type=int, default=4, help="shoppers in phase 2")
    p.add_argument("--worker-processes", type=int, default=1)
    p.add_argument("--drain-timeout", type=float, default=300)
    p.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--products", type=int, default=60, help="products seeded")
    p.add_argument("--postgres-url", default=os.environ.get(
        "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--skip-worker", action="store_true")
    p.add_argument("--no-write", action="store_true", help="do not touch docs/PERFORMANCE.md")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    stack = Stack(args.postgres_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanup still runs
    try:
        results: dict[str, Any] = {
            "load_before": _load(), "machine": machine(), "web_workers": args.web_workers,
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "postgresql": postgres_version(args.postgres_url)}
        base, skus = build(stack, args)
        results["skus"] = len(skus)
        results["checkout"], backlog = checkout_phase(stack, base, skus, args)
        if not args.skip_worker:
            results["worker"] = worker_phase(stack, base, skus, backlog, args)
        results["server_errors"] = server_errors(stack)
        results["load_after"] = _load()
        return results
    except Exception:
        for name in stack.procs:
            print(f"--- {name} log tail ---\n{stack.log(name)[-2000:]}", file=sys.stderr)
        raise
    finally:
        stack.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))  # shop.settings.storage, for the Azurite connection string
    results = run(args)
    verdicts = verdicts_for(results)
    command = " ".join([".venv/bin/python bench/checkout.py", *(argv or sys.argv[1:])])
    section = render_section(results, verdicts, command)
    print(section)
    if not args.no_write:
        write_section(ROOT / "docs" / "PERFORMANCE.md", SECTION, section)
        print("written to docs/PERFORMANCE.md")
    return 0 if all(ok for ok, _ in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
