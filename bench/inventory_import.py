"""Inventory import benchmark: a stock import of N rows (default 100,000, a few hundred of them
bad) from upload to done, dry run and apply, the way production runs it.

Per database (SQLite file and scratch PostgreSQL database, each in a child process of its own)
it builds a private stack (Azurite in its own process; `manage.py runworker --processes 1`
with the worker settings, as the local host; see bench/checkout.py), bulk-writes a catalog of
enough variants with a level in each of two warehouses (generation not part of the figures),
then:

1. dry run: the CSV goes through `inventory_job_create` (what the staff upload runs: parse,
   store the file in the `imports` container, create the job, enqueue its dry run), and the
   worker runs the dry run; timed from the call until the job is done;
2. apply: `inventory_job_apply_request`, then the worker runs the chunk chain (one queue hop
   per chunk of TIENDA_INVENTORY_JOB_CHUNK_ROWS rows) until the job is done.

Prints, per phase: the total time (including the queue hops), rows/s, the worker's CPU ms per
1,000 rows (its process tree's utime + stime from /proc, after minus before; Azurite's and this
process's too), and the queue hops (outbox messages of the `inventory-jobs` queue). The dry run
must report exactly the bad rows the file holds, and the apply must change every other row.
Goal: 100,000 rows < 60 s. Results go to the '## Inventory import' section of
docs/PERFORMANCE.md with ``--write`` (default: print only). Everything it starts is stopped
and the scratch database dropped at the end.

    .venv/bin/python bench/inventory_import.py [--rows 100000] [--bad 300]
        [--databases sqlite,postgresql] [--chunk-rows 500] [--write]
    smoke: .venv/bin/python bench/inventory_import.py --rows 10000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from checkout import (
    PYTHON,
    ROOT,
    TICK,
    Stack,
    _load,
    base_env,
    cpu_ticks,
    django_here,
    free_port,
    listening,
    machine,
    postgres_version,
    start_azurite,
    until,
)
from perf_doc import write_section

SECTION = "## Inventory import"
TARGET_SECONDS = 60.0
STAFF = "bench@tienda.test"
WAREHOUSES = ("MAD", "BCN")  # MAD is the default warehouse
ON_HAND, RESERVED, RESERVED_EVERY = 20, 5, 500  # every 500th variant has 5 reserved in MAD
BATCH = 5_000
QUEUE = "inventory-jobs"


# ----------------------------------------------------------------------------- stack and data


def build(stack: Stack, args: argparse.Namespace) -> None:
    """Azurite up, the database migrated, Django set up here, the queues and containers made."""
    sys.path.insert(0, str(ROOT))
    database_url = (stack.create_database() if args.database == "postgresql"
                    else f"sqlite:///{stack.tmp / 'data' / 'shop.db'}")
    ports = {k: free_port() for k in ("blob", "queue", "table")}
    stack.env = {
        **base_env(stack, database_url, ports, "shop.settings.worker"),
        "TIENDA_INVENTORY_JOB_CHUNK_ROWS": str(args.chunk_rows),
    }
    start_azurite(stack, ports)
    for port in (ports["blob"], ports["queue"]):
        until(lambda p=port: listening(p), 60, f"Azurite on port {port}")
    print(f"[{args.database}] migrating ...", flush=True)
    django_here(stack)


def make_catalog(variants: int) -> list[str]:
    """`variants` variants with ON_HAND in each warehouse (RESERVED of them reserved in MAD
    for every RESERVED_EVERY-th), written in bulk; their SKUs."""
    from shop.catalog.models import Category, Product, Variant
    from shop.inventory.models import StockLevel, Warehouse

    category = Category.objects.create(slug="bench", name_es="Banco", name_en="Bench")
    products = Product.objects.bulk_create([
        Product(slug=f"bench-{n}", category=category, is_published=True,
                name_es=f"Producto {n}", name_en=f"Product {n}")
        for n in range(-(-variants // 100))], batch_size=BATCH)
    skus = [f"BENCH-{n:06d}" for n in range(variants)]
    made = Variant.objects.bulk_create([
        Variant(product=products[n // 100], sku=sku, price_minor=1000, cost_minor=500,
                currency="EUR", attributes={"talla": "M"}) for n, sku in enumerate(skus)],
        batch_size=BATCH)
    for code in WAREHOUSES:
        warehouse = Warehouse.objects.create(code=code, name=code, is_default=code == "MAD")
        StockLevel.objects.bulk_create([
            StockLevel(variant=v, warehouse=warehouse, on_hand=ON_HAND,
                       reserved=RESERVED if code == "MAD" and n % RESERVED_EVERY == 0 else 0)
            for n, v in enumerate(made)], batch_size=BATCH)
    return skus


def import_file(rows: int, bad: int) -> tuple[bytes, int, int]:
    """The CSV (header + `rows` rows: for each variant a MAD "set" row and a BCN "add" row,
    `bad` bad rows mixed in at random places); (the file, errors expected, changes expected).
    A reserved variant's MAD row sets 2 units, below its reserved: an error too."""
    good = rows - bad
    skus = [f"BENCH-{n:06d}" for n in range(-(-good // 2))]
    lines: list[str] = []
    below = 0
    for n, sku in enumerate(skus):
        reserved = n % RESERVED_EVERY == 0
        below += reserved
        lines.append(f"{sku},MAD,{2 if reserved else ON_HAND + 1 + n % 30},,recount")
        lines.append(f"{sku},BCN,{1 + n % 7},add,")
    lines = lines[:good]
    rng = random.Random(13)
    kinds = [lambda i: f"NOPE-{i},MAD,5,,", lambda i: f"{rng.choice(skus)},MAD,1.5,,",
             lambda i: f"{skus[i % len(skus)]},MAD,7,,", lambda i: f"{rng.choice(skus)},,5,,",
             lambda i: f"{rng.choice(skus)},BCN,-3,set,"]
    for i in range(bad):
        lines.insert(rng.randrange(len(lines) + 1), kinds[i % len(kinds)](i))
    text = "sku,warehouse,quantity,mode,reason\n" + "\n".join(lines) + "\n"
    return text.encode(), bad + below, good - below


def staff() -> Any:
    from shop.users.models import User

    return User.objects.create_user(STAFF, None, name="Bench", is_staff=True)


# ----------------------------------------------------------------------------- the phases


class WriterProbe:
    """On SQLite: a tiny write transaction (BEGIN IMMEDIATE; COMMIT, as a checkout begins) every
    20 ms on a connection of its own while a phase runs; how long each waited for the lock."""

    def __init__(self, database_url: str) -> None:
        self.path = database_url.removeprefix("sqlite:///")
        self.waits: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
        while not self.stop.wait(0.02):
            began = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("COMMIT")
            self.waits.append(time.perf_counter() - began)
        db.close()

    def __enter__(self) -> WriterProbe:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()

    def figures(self) -> dict[str, float]:
        waits = sorted(self.waits) or [0.0]
        return {"max_ms": round(waits[-1] * 1000), "p99_ms": round(
            waits[int(len(waits) * 0.99)] * 1000, 1), "probes": len(self.waits)}


def hops() -> int:
    from workers.models import OutboxMessage

    return OutboxMessage.objects.filter(queue=QUEUE).count()


def timed_phase(stack: Stack, start: Any, phase: str, args: argparse.Namespace
                ) -> tuple[Any, dict[str, Any]]:
    """Run `start()` (the staff request), wait for the job to be done in `phase`; the job
    and the phase's figures."""
    from shop.inventory.models import InventoryJob

    def finished() -> bool:
        current = InventoryJob.objects.get(pk=job.pk)
        if current.status == InventoryJob.Status.FAILED:
            raise RuntimeError(f"job {job.pk} failed: {current.error}")
        return current.phase == phase and current.status == InventoryJob.Status.DONE

    names = ("worker", "azurite")
    url = stack.env["TIENDA_DATABASE_URL"]
    probe = WriterProbe(url) if url.startswith("sqlite:///") else None
    before, hops_before = cpu_ticks(stack, names), hops()
    with probe or contextlib.nullcontext():
        began = time.perf_counter()
        job = start()
        request_s = time.perf_counter() - began
        until(finished, args.timeout, f"the {phase} to be done", 0.1)
        total_s = time.perf_counter() - began
    after = cpu_ticks(stack, names)
    done = InventoryJob.objects.get(pk=job.pk)
    return done, {
        "request_s": round(request_s, 2), "total_s": round(total_s, 2),
        "in_worker_s": round((done.finished_at - done.started_at).total_seconds(), 2),
        "rows_per_s": round(done.rows_total / total_s),
        "cpu_ms_per_1000": {name: round((after[name] - before[name]) * 1000 / TICK * 1000
                                        / done.rows_total, 1) for name in after},
        "hops": hops() - hops_before, "rows_ok": done.rows_ok, "rows_error": done.rows_error,
        "rows_changed": done.rows_changed, "writer_wait": probe.figures() if probe else None}


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """One database: stack, catalog, file, dry run, apply; the figures."""
    stack = Stack(args.postgres_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanup still runs
    try:
        build(stack, args)
        data, errors, changes = import_file(args.rows, args.bad)
        began = time.perf_counter()
        make_catalog(-(-(args.rows - args.bad) // 2))
        print(f"[{args.database}] catalog in {time.perf_counter() - began:.1f} s; file "
              f"{len(data) / 1e6:.1f} MB", flush=True)
        result = phases(stack, args, data)
        result["expected"] = {"errors": errors, "changes": changes}
        return result
    except Exception:
        for name in stack.procs:
            print(f"--- {name} log tail ---\n{stack.log(name)[-3000:]}", file=sys.stderr)
        raise
    finally:
        from django.db import connections

        connections.close_all()
        stack.close()


def phases(stack: Stack, args: argparse.Namespace, data: bytes) -> dict[str, Any]:
    from shop.inventory.jobs import inventory_job_apply_request, inventory_job_create

    actor = staff()
    stack.start("worker", [str(PYTHON), "manage.py", "runworker", "--processes", "1"])
    until(lambda: "worker: queues" in stack.log("worker"), 120, "the worker to start")
    job, dry = timed_phase(stack, lambda: inventory_job_create(
        data=data, file_name="bench.csv", mode="set", reason="bench count", actor=actor),
        "dry_run", args)
    print(f"[{args.database}] dry run: {json.dumps(dry)}", flush=True)
    _, apply = timed_phase(stack, lambda: inventory_job_apply_request(
        job_id=job.pk, actor=actor), "apply", args)
    print(f"[{args.database}] apply: {json.dumps(apply)}", flush=True)
    return {"dry_run": dry, "apply": apply, "chunks": job.chunks_total}


# ----------------------------------------------------------------------------- report


def render_section(results: dict[str, Any], command: str) -> str:
    lines = [SECTION, "",
             f"`{command}` on {results['machine']}, 2 cores shared with other work; "
             f"{results['date']}. Each database in its own stack: SQLite (WAL, BEGIN "
             f"IMMEDIATE) or PostgreSQL {results['postgresql']} (scratch database), a private "
             "Azurite, and `manage.py runworker --processes 1` (worker settings, concurrency "
             f"4) as the runner. {results['rows']:,} rows with {results['bad']} bad ones mixed "
             f"in, chunks of {results['chunk_rows']} rows. Time: from the service call "
             "(`inventory_job_create` / `inventory_job_apply_request`) until the job is done, "
             "queue hops included; CPU: each process tree's utime + stime from /proc, after "
             "minus before. SQLite writer wait: a `BEGIN IMMEDIATE; COMMIT` every 20 ms on a "
             "connection of its own during the phase (what a checkout waits for before it "
             "starts). Load average (1/5/15 min) before "
             f"{results['load_before']}, at the end {results['load_after']}.", "",
             "| database | phase | total | upload / request | in worker | rows/s | worker CPU "
             "ms / 1,000 rows | Azurite CPU ms / 1,000 | queue hops | errors / changed | "
             "SQLite writer wait max / p99 |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for database, r in results["databases"].items():
        for phase in ("dry_run", "apply"):
            p, wait = r[phase], r[phase]["writer_wait"]
            cpu = p["cpu_ms_per_1000"]
            lines.append(
                f"| {database} | {phase.replace('_', ' ')} | {p['total_s']} s | "
                f"{p['request_s']} s | {p['in_worker_s']} s | {p['rows_per_s']:,} | "
                f"{cpu['worker']} | {cpu['azurite']} | {p['hops']} | {p['rows_error']:,} / "
                f"{p['rows_changed']:,} | "
                + (f"{wait['max_ms']} / {wait['p99_ms']} ms |" if wait else "n/a |"))
        both = r["dry_run"]["total_s"] + r["apply"]["total_s"]
        met = "yes" if both < TARGET_SECONDS else "**no**"
        lines.append(f"| {database} | **upload to applied** | **{both:.1f} s** | | | "
                     f"{results['rows'] / both:,.0f} | | | | < 60 s: {met} | |")
    lines += ["", "Expected errors / changes (from the file): " + ", ".join(
        f"{db} {r['expected']['errors']:,} / {r['expected']['changes']:,}"
        for db, r in results["databases"].items()) + "."]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--bad", type=int, default=300, help="bad rows mixed into --rows")
    p.add_argument("--databases", default="sqlite,postgresql")
    p.add_argument("--chunk-rows", type=int, default=500,
                   help="TIENDA_INVENTORY_JOB_CHUNK_ROWS")
    p.add_argument("--timeout", type=float, default=900, help="longest wait for a phase")
    p.add_argument("--postgres-url", default=os.environ.get(
        "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    p.add_argument("--database", help=argparse.SUPPRESS)  # the child: one database
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)  # the child's JSON
    return p.parse_args(argv)


def run_child(argv: list[str], database: str, stack_tmp: Path) -> dict[str, Any]:
    """One database in a process of its own (Django is set up once per process)."""
    out = stack_tmp / f"{database}.json"
    subprocess.run([str(PYTHON), __file__, *argv, "--database", database, "--result",
                    str(out)], check=True, cwd=ROOT)
    return dict(json.loads(out.read_text()))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.database:
        args.result.write_text(json.dumps(run_one(args)))
        return 0
    import tempfile

    results: dict[str, Any] = {
        "load_before": _load(), "machine": machine(), "rows": args.rows, "bad": args.bad,
        "chunk_rows": args.chunk_rows,
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "postgresql": postgres_version(args.postgres_url), "databases": {}}
    child_argv = [a for a in argv if a != "--write"]
    with tempfile.TemporaryDirectory(prefix="tienda-import-bench-") as tmp:
        for database in args.databases.split(","):
            results["databases"][database] = run_child(child_argv, database, Path(tmp))
    results["load_after"] = _load()
    command = " ".join([".venv/bin/python bench/inventory_import.py", *argv])
    section = render_section(results, command)
    print(section)
    if args.write:
        write_section(ROOT / "docs" / "PERFORMANCE.md", SECTION, section)
        print("written to docs/PERFORMANCE.md")
    worst = max(r["dry_run"]["total_s"] + r["apply"]["total_s"]
                for r in results["databases"].values())
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
