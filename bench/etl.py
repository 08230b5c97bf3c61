"""Analytics ETL benchmark on the Django port: a migrated SQLite shop with >= 1,000,000 order
lines, a full load into the warehouse (DuckDB by default), an incremental run after 10,000
changed orders, and the p95 of every report query. Targets: full < 20 s, incremental < 3 s,
every report p95 < 200 ms. Results go to the '## Analytics ETL' section of
docs/PERFORMANCE.md (``--no-write`` to only print them).

    .venv/bin/python bench/etl.py [--lines 1000000] [--changed 10000] [--warehouse URL]
                                         [--source shop.db] [--no-write]

The history is written with sqlite3 directly into the tables Django migrated (generation is
not part of the figures); extraction, reconciliation and reports go through the port."""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
HISTORY_DAYS = 730
VARIANTS, PRODUCTS, CUSTOMERS, WAREHOUSES = 1200, 400, 60_000, 3
_FMT = "%Y-%m-%d %H:%M:%S.%f"
TARGETS = {"full": 20.0, "incremental": 3.0, "report_ms": 200.0}


def _ts(moment: datetime) -> str:
    return moment.strftime(_FMT)


def _catalog(db: sqlite3.Connection, now: str, rng: random.Random) -> list[int]:
    db.executemany("INSERT INTO categories (id, parent_id, slug, name_es, name_en, position, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                   [(c, None if c <= 5 else 1 + c % 5, f"c{c}", f"C{c}", f"Category {c}", now,
                     now) for c in range(1, 21)])
    db.executemany("INSERT INTO products (id, category_id, slug, name_es, name_en, "
                   "description_es, description_en, is_published, is_featured, version, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', '', 1, 0, 1, ?, ?)",
                   [(p, 6 + p % 15, f"p{p}", f"P{p}", f"Product {p}", now, now)
                    for p in range(1, PRODUCTS + 1)])
    prices = [rng.randrange(500, 12000, 5) for _ in range(VARIANTS)]
    db.executemany("INSERT INTO variants (id, product_id, sku, attributes, price_minor, "
                   "cost_minor, currency, is_published, version, created_at, updated_at) "
                   "VALUES (?, ?, ?, '{}', ?, ?, 'EUR', 1, 1, ?, ?)",
                   [(v, 1 + v % PRODUCTS, f"SKU-{v:05d}", prices[v - 1],
                     prices[v - 1] * 45 // 100, now, now) for v in range(1, VARIANTS + 1)])
    db.executemany("INSERT INTO warehouses (id, code, name, is_default, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [(w, f"W{w}", f"Warehouse {w}", w == 1, now)
                    for w in range(1, WAREHOUSES + 1)])
    db.executemany("INSERT INTO stock_levels (variant_id, warehouse_id, on_hand, reserved, "
                   "updated_at) VALUES (?, ?, ?, 0, ?)",
                   [(v, w, rng.choice([0, 5, 20, 80, 200]), now)
                    for v in range(1, VARIANTS + 1) for w in range(1, WAREHOUSES + 1)])
    db.executemany("INSERT INTO customers (id, email, name, locale, marketing_consent, "
                   "created_at, updated_at) VALUES (?, ?, '', 'es', 0, ?, ?)",
                   [(c, f"c{c}@example.com", now, now) for c in range(1, CUSTOMERS + 1)])
    return prices


def _lifecycle(rng: random.Random, placed: datetime,
               cutoff: datetime) -> list[tuple[str, datetime]]:
    events, at = [("pending", placed)], placed
    roll = rng.random()
    for status, gap in (("confirmed", 1), ("shipped", 24), ("delivered", 72)):
        if roll < 0.05 and status == "shipped":
            events.append(("cancelled", at + timedelta(hours=2)))
            break
        at += timedelta(hours=gap)
        if at > cutoff:
            break
        events.append((status, at))
    if events[-1][0] == "delivered" and roll > 0.98:
        events.append(("refunded", at + timedelta(days=5)))
    return [e for e in events if e[1] <= cutoff]


Generated = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _orders(rng: random.Random, prices: list[int], lines_wanted: int,
            cutoff: datetime) -> Iterator[Generated]:
    """Orders as Django stores them on SQLite: UUIDs as 32 hex digits, naive-UTC text."""
    made, number = 0, 0
    span = HISTORY_DAYS * 86400
    while made < lines_wanted:
        number += 1
        order_id = uuid.UUID(int=rng.getrandbits(128)).hex
        placed = cutoff - timedelta(seconds=rng.randrange(span))
        items = [(rng.randrange(1, VARIANTS + 1), rng.choice((1, 1, 1, 2, 3)))
                 for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))]
        subtotal = sum(prices[v - 1] * q for v, q in items)
        shipping = 0 if subtotal >= 5000 else 495
        total = subtotal + shipping
        tax = total - (total * 10000 + 6050) // 12100
        events = _lifecycle(rng, placed, cutoff)
        customer = rng.randrange(1, CUSTOMERS + 1) if rng.random() < 0.7 else None
        channel = rng.choices(("web", "pos", "marketplace"), (85, 10, 5))[0]
        yield ((order_id, f"B-{number:08d}", customer, "x@example.com", events[-1][0], channel,
                subtotal, shipping, tax, total, _ts(placed), _ts(events[-1][1])),
               [(order_id, v, 1 + v % WAREHOUSES, f"SKU-{v:05d}", q, prices[v - 1],
                 prices[v - 1] * 45 // 100, prices[v - 1] * q) for v, q in items],
               [(order_id, status, _ts(at)) for status, at in events])
        made += len(items)


def _insert(db: sqlite3.Connection, orders: list[Any], lines: list[Any],
            events: list[Any]) -> None:
    db.executemany(
        "INSERT INTO orders (id, number, customer_id, email, status, channel, locale, currency,"
        " subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor,"
        " shipping_method, shipping_address, placed_at, updated_at) VALUES"
        " (?, ?, ?, ?, ?, ?, 'es', 'EUR', ?, 0, ?, ?, ?, 'standard', '{}', ?, ?)", orders)
    db.executemany(
        "INSERT INTO order_lines (order_id, variant_id, warehouse_id, sku, product_name,"
        " quantity, unit_price_minor, unit_cost_minor, discount_minor, tax_minor, total_minor)"
        " VALUES (?, ?, ?, ?, 'item', ?, ?, ?, 0, 0, ?)", lines)
    db.executemany("INSERT INTO order_events (order_id, status_to, actor, note, created_at) "
                   "VALUES (?, ?, 'bench', '', ?)", events)


def generate(path: Path, lines_wanted: int, cutoff: datetime) -> int:
    """Fill the migrated SQLite shop at ``path`` with >= ``lines_wanted`` lines; orders made."""
    rng = random.Random(20240601)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    prices = _catalog(db, _ts(cutoff - timedelta(days=HISTORY_DAYS + 1)), rng)
    batch: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    count = 0
    for order, lines, events in _orders(rng, prices, lines_wanted, cutoff):
        batch[0].append(order)
        batch[1].extend(lines)
        batch[2].extend(events)
        count += 1
        if len(batch[0]) == 20_000:
            _insert(db, *batch)
            batch = ([], [], [])
    _insert(db, *batch)
    db.execute("COMMIT")
    db.close()
    return count


def change_orders(path: Path, how_many: int, now: datetime) -> None:
    """Refund ``how_many`` of the latest delivered orders now (status, event, updated_at):
    changes land on recent orders, as they do in a shop."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    ids = [r[0] for r in db.execute(
        "SELECT id FROM orders WHERE status = 'delivered' ORDER BY placed_at DESC LIMIT ?",
        (how_many,))]
    stamp = _ts(now)
    db.executemany("UPDATE orders SET status = 'refunded', updated_at = ? WHERE id = ?",
                   [(stamp, i) for i in ids])
    db.executemany("INSERT INTO order_events (order_id, status_from, status_to, actor, note, "
                   "created_at) VALUES (?, 'delivered', 'refunded', 'bench', '', ?)",
                   [(i, stamp) for i in ids])
    db.execute("COMMIT")
    db.close()


def report_calls(end: date) -> dict[str, Callable[[Any], Any]]:
    from analytics import reports as r

    start, year = end - timedelta(days=29), end - timedelta(days=364)
    return {
        "kpi_tiles": lambda wh: r.kpi_tiles(wh, start, end),
        "sales_over_time(day)": lambda wh: r.sales_over_time(wh, start, end, grain="day"),
        "sales_over_time(month, 1y)": lambda wh: r.sales_over_time(wh, year, end,
                                                                   grain="month"),
        "sales_by(product)": lambda wh: r.sales_by(wh, start, end, level="product"),
        "sales_by(variant)": lambda wh: r.sales_by(wh, start, end, level="variant"),
        "sales_by(category)": lambda wh: r.sales_by(wh, start, end, level="category"),
        "new_vs_returning": lambda wh: r.new_vs_returning(wh, start, end),
        "cohort_retention(1y)": lambda wh: r.cohort_retention(wh, year, end),
        "rfm_segments(1y)": lambda wh: r.rfm_segments(wh, year, end),
        "abc_analysis": lambda wh: r.abc_analysis(wh, start, end),
        "days_of_inventory": lambda wh: r.days_of_inventory(wh, start, end),
        "sell_through": lambda wh: r.sell_through(wh, start, end),
        "stock_outs": lambda wh: r.stock_outs(wh, start, end),
        "last_reconciliation": lambda wh: r.last_reconciliation(wh),
    }


def p95_ms(call: Callable[[Any], Any], wh: Any, runs: int) -> float:
    call(wh)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call(wh)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.quantiles(timings, n=20)[18]


class StepTimes:
    """A run's reporter that keeps the wall time of each step (until the next one starts)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def step(self, name: str, total: int) -> Callable[[int], None]:
        self.finish()
        self._current = (name, time.perf_counter())
        return lambda n: None

    def finish(self) -> None:
        if self._current:
            name, began = self._current
            self.seconds[name] = time.perf_counter() - began
            self._current = None

    def __str__(self) -> str:
        return ", ".join(f"{name} {s:.2f} s" for name, s in self.seconds.items())


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def _timed_run(full: bool) -> tuple[Any, float, StepTimes]:
    from analytics.etl import run_etl

    steps = StepTimes()
    run, seconds = _timed(lambda: run_etl(full=full, reporter=steps))
    steps.finish()
    return run, seconds, steps


def _django(source: Path, warehouse: str, work: Path) -> None:
    """Settings of the worker (which runs the ETL on Azure) over the benchmark's files."""
    os.environ.update({"DJANGO_SETTINGS_MODULE": "shop.settings.worker",
                       "TIENDA_DATA_DIR": str(work),
                       "TIENDA_DATABASE_URL": f"sqlite:///{source}",
                       "TIENDA_WAREHOUSE_URL": warehouse})
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    connections.close_all()


def _count_orders(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--changed", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warehouse", default="", help="warehouse URL (default: DuckDB file)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--source", type=Path, help="reuse a shop.db generated by a past run")
    parser.add_argument("--no-write", action="store_true", help="print, do not write --out")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="tienda-etl-bench-"))
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    source = args.source or work / "shop.db"
    _django(source, args.warehouse or f"duckdb:///{work / 'warehouse.duckdb'}", work)
    if args.source:
        orders, gen_s = _count_orders(source), 0.0
    else:
        print(f"migrating and generating {args.lines:,} lines in {work} ...", flush=True)
        _migrate()
        orders, gen_s = _timed(lambda: generate(source, args.lines, now - timedelta(days=1)))
    full, full_s, full_steps = _timed_run(True)
    lines = full.rows["order_lines"]
    print(f"full: {full.status} {lines:,} lines in {full_s:.1f}s ({full_steps})", flush=True)
    change_orders(source, args.changed, now)
    incremental, inc_s, inc_steps = _timed_run(False)
    print(f"incremental: {incremental.status} {incremental.rows['orders']:,} orders "
          f"in {inc_s:.2f}s ({inc_steps})", flush=True)
    p95 = _report_p95((now - timedelta(days=1)).date(), args.runs)
    print(f"generated in {gen_s:.0f} s", flush=True)
    section = _section(orders, lines, (full_s, full_steps), full.status, incremental,
                       (inc_s, inc_steps), p95, args.runs)
    print(section)
    if not args.no_write:
        from perf_doc import write_section

        write_section(args.out, "## Analytics ETL", section)
    return 0 if full.status == incremental.status == "succeeded" else 1


def _report_p95(end: date, runs: int) -> dict[str, float]:
    from analytics.reports import open_reports_warehouse

    with open_reports_warehouse() as wh:
        return {name: p95_ms(call, wh, runs) for name, call in report_calls(end).items()}


def _met(value: float, target: float) -> str:
    return "yes" if value < target else "**no**"


def _section(orders: int, lines: int, full_timing: tuple[float, StepTimes], full_status: str,
             incremental: Any, inc_timing: tuple[float, StepTimes], p95: dict[str, float],
             runs: int) -> str:
    from django.conf import settings

    (full_s, full_steps), (inc_s, inc_steps) = full_timing, inc_timing
    changed = incremental.rows["orders"]
    rows = "\n".join(f"| {name} | {ms:.1f} | {_met(ms, TARGETS['report_ms'])} |"
                     for name, ms in p95.items())
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"""## Analytics ETL

`bench/etl.py` — machine: {os.cpu_count()} cores ({platform.machine()}, Python
{platform.python_version()}), load average at the end {load} (1/5/15 min), date:
{date.today().isoformat()}; source SQLite read through Django, warehouse
{settings.WAREHOUSE_URL.split(':', 1)[0]}. History: {orders:,} orders, {lines:,} order lines
over {HISTORY_DAYS} days (generation not part of the figures).

| step | time | throughput | target | met |
|---|---|---|---|---|
| full load (extract, stage, merge, reconcile) | {full_s:.1f} s | \
{lines / full_s:,.0f} lines/s | < {TARGETS['full']:.0f} s | {_met(full_s, TARGETS['full'])} |
| incremental after {changed:,} changed orders | {inc_s:.2f} s | \
{changed / inc_s:,.0f} orders/s | < {TARGETS['incremental']:.0f} s | \
{_met(inc_s, TARGETS['incremental'])} |

Runs: full {full_status}, incremental {incremental.status} (reconciled to the cent, up to each
run's watermark; the result is stored in `etl_runs`).
Steps of the full load: {full_steps}.
Steps of the incremental run: {inc_steps}.

Report queries, current period plus the previous one (30 days unless noted), p95 of {runs}
runs on a warm read-only connection:

| report | p95 ms | < {TARGETS['report_ms']:.0f} ms |
|---|---|---|
{rows}
"""


if __name__ == "__main__":
    sys.exit(main())
