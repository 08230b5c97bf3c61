"""Analytics ETL benchmark: a SQLite history of >= 1,000,000 order lines, a full load into the
warehouse (DuckDB by default), an incremental run after 10,000 changed orders, and the p95 of
every report query. Results go to the '## Analytics ETL' section of docs/PERFORMANCE.md.

    .venv/bin/python bench/etl.py [--lines 1000000] [--changed 10000] [--warehouse URL]
"""

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

from perf_doc import write_section

from tienda.adapters.db import migrate
from tienda.adapters.db.engine import build_engine
from tienda.config import Settings, load_settings
from tienda.entrypoints.analytics import reports as r
from tienda.entrypoints.analytics import reports_customers as rc
from tienda.entrypoints.analytics import reports_inventory as ri
from tienda.entrypoints.analytics.etl import run_etl
from tienda.entrypoints.analytics.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
HISTORY_DAYS = 730
VARIANTS, PRODUCTS, CUSTOMERS, WAREHOUSES = 1200, 400, 60_000, 3
_FMT = "%Y-%m-%d %H:%M:%S.%f"


def _ts(moment: datetime) -> str:
    return moment.strftime(_FMT)


def _catalog(db: sqlite3.Connection, now: str, rng: random.Random) -> list[int]:
    db.executemany("INSERT INTO categories (id, parent_id, slug, name_es, name_en, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(c, None if c <= 5 else 1 + c % 5, f"c{c}", f"C{c}", f"Category {c}", now,
                     now) for c in range(1, 21)])
    db.executemany("INSERT INTO products (id, category_id, slug, name_es, name_en, created_at,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(p, 6 + p % 15, f"p{p}", f"P{p}", f"Product {p}", now, now)
                    for p in range(1, PRODUCTS + 1)])
    prices = [rng.randrange(500, 12000, 5) for _ in range(VARIANTS)]
    db.executemany("INSERT INTO variants (id, product_id, sku, attributes, price_minor, "
                   "cost_minor, currency, created_at, updated_at) "
                   "VALUES (?, ?, ?, '{}', ?, ?, 'EUR', ?, ?)",
                   [(v, 1 + v % PRODUCTS, f"SKU-{v:05d}", prices[v - 1],
                     prices[v - 1] * 45 // 100, now, now) for v in range(1, VARIANTS + 1)])
    db.executemany("INSERT INTO warehouses (id, code, name, is_default) VALUES (?, ?, ?, ?)",
                   [(w, f"W{w}", f"Warehouse {w}", w == 1) for w in range(1, WAREHOUSES + 1)])
    db.executemany("INSERT INTO stock_levels (variant_id, warehouse_id, on_hand, reserved, "
                   "updated_at) VALUES (?, ?, ?, 0, ?)",
                   [(v, w, rng.choice([0, 5, 20, 80, 200]), now)
                    for v in range(1, VARIANTS + 1) for w in range(1, WAREHOUSES + 1)])
    db.executemany("INSERT INTO customers (id, email, locale, created_at, updated_at) "
                   "VALUES (?, ?, 'es', ?, ?)",
                   [(c, f"c{c}@example.com", now, now) for c in range(1, CUSTOMERS + 1)])
    return prices


def _lifecycle(rng: random.Random, placed: datetime, cutoff: datetime) -> list[tuple[str,
                                                                                      datetime]]:
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


def _orders(rng: random.Random, prices: list[int], lines_wanted: int,
            cutoff: datetime) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]],
                                                list[tuple[Any, ...]]]]:
    made, number = 0, 0
    span = HISTORY_DAYS * 86400
    while made < lines_wanted:
        number += 1
        order_id = str(uuid.UUID(int=rng.getrandbits(128)))
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
        " shipping_method, shipping_address, access_token_hash, placed_at, updated_at) VALUES"
        " (?, ?, ?, ?, ?, ?, 'es', 'EUR', ?, 0, ?, ?, ?, 'standard', '{}', 'x', ?, ?)", orders)
    db.executemany(
        "INSERT INTO order_lines (order_id, variant_id, warehouse_id, sku, product_name,"
        " quantity, unit_price_minor, unit_cost_minor, discount_minor, tax_minor, total_minor)"
        " VALUES (?, ?, ?, ?, 'item', ?, ?, ?, 0, 0, ?)", lines)
    db.executemany("INSERT INTO order_events (order_id, status_to, actor, created_at) "
                   "VALUES (?, ?, 'bench', ?)", events)


def generate(path: Path, lines_wanted: int, cutoff: datetime) -> int:
    """A migrated SQLite shop with at least ``lines_wanted`` order lines; returns orders."""
    settings = load_settings(database_url=f"sqlite:///{path}")
    engine = build_engine(settings)
    migrate.upgrade(engine)
    engine.dispose()
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
    db.executemany("INSERT INTO order_events (order_id, status_from, status_to, actor, "
                   "created_at) VALUES (?, 'delivered', 'refunded', 'bench', ?)",
                   [(i, stamp) for i in ids])
    db.execute("COMMIT")
    db.close()


def report_calls(end: date) -> dict[str, Callable[[Any], Any]]:
    start = end - timedelta(days=29)
    return {
        "kpi_tiles": lambda wh: r.kpi_tiles(wh, start, end),
        "sales_over_time(day)": lambda wh: r.sales_over_time(wh, start, end, grain="day"),
        "sales_over_time(month, 1y)": lambda wh: r.sales_over_time(
            wh, end - timedelta(days=364), end, grain="month"),
        "sales_by(product)": lambda wh: r.sales_by(wh, start, end, level="product"),
        "sales_by(variant)": lambda wh: r.sales_by(wh, start, end, level="variant"),
        "sales_by(category)": lambda wh: r.sales_by(wh, start, end, level="category"),
        "new_vs_returning": lambda wh: r.new_vs_returning(wh, start, end),
        "cohort_retention(1y)": lambda wh: rc.cohort_retention(
            wh, end - timedelta(days=364), end),
        "rfm_segments(1y)": lambda wh: rc.rfm_segments(wh, end - timedelta(days=364), end),
        "abc_analysis": lambda wh: ri.abc_analysis(wh, start, end),
        "days_of_inventory": lambda wh: ri.days_of_inventory(wh, start, end),
        "sell_through": lambda wh: ri.sell_through(wh, start, end),
        "stock_outs": lambda wh: ri.stock_outs(wh, start, end),
    }


def p95_ms(call: Callable[[Any], Any], wh: Any, runs: int) -> float:
    call(wh)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call(wh)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.quantiles(timings, n=20)[18]


def _count_orders(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])


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


def _timed_run(settings: Settings, full: bool) -> tuple[Any, float, StepTimes]:
    steps = StepTimes()
    run, seconds = _timed(lambda: run_etl(settings, full=full, reporter=steps))
    steps.finish()
    return run, seconds, steps


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--changed", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warehouse", default="", help="warehouse URL (default: DuckDB file)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--source", type=Path, help="reuse a shop.db generated by a past run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tienda-etl-bench-"))
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    source = args.source or work / "shop.db"
    if args.source:
        orders, gen_s = _count_orders(source), 0.0
    else:
        print(f"generating {args.lines:,} lines in {work} ...", flush=True)
        orders, gen_s = _timed(lambda: generate(source, args.lines, now - timedelta(days=1)))
    settings: Settings = load_settings(
        environment="test", database_url=f"sqlite:///{source}",
        warehouse_url=args.warehouse or f"duckdb:///{work / 'warehouse.duckdb'}")
    full, full_s, full_steps = _timed_run(settings, True)
    lines = full.rows["order_lines"]
    print(f"full: {full.status} {lines:,} lines in {full_s:.1f}s ({full_steps})", flush=True)
    change_orders(source, args.changed, now)
    incremental, inc_s, inc_steps = _timed_run(settings, False)
    print(f"incremental: {incremental.status} {incremental.rows['orders']:,} orders "
          f"in {inc_s:.2f}s ({inc_steps})", flush=True)
    with open_warehouse(settings, read_only=True) as wh:
        p95 = {name: p95_ms(call, wh, args.runs)
               for name, call in report_calls((now - timedelta(days=1)).date()).items()}
    print(f"generated in {gen_s:.0f} s", flush=True)
    section = _section(settings, orders, lines, (full_s, full_steps), full.status, incremental,
                       (inc_s, inc_steps), p95, args.runs)
    print(section)
    write_section(args.out, "## Analytics ETL", section)
    return 0 if full.status == incremental.status == "succeeded" else 1


def _section(settings: Settings, orders: int, lines: int, full_timing: tuple[float, StepTimes],
             full_status: str, incremental: Any, inc_timing: tuple[float, StepTimes],
             p95: dict[str, float], runs: int) -> str:
    (full_s, full_steps), (inc_s, inc_steps) = full_timing, inc_timing
    warehouse = settings.warehouse_url.split(":", 1)[0]
    rows = "\n".join(f"| {name} | {ms:.1f} |" for name, ms in p95.items())
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"""## Analytics ETL

`bench/etl.py` — machine: {os.cpu_count()} cores ({platform.machine()}, Python
{platform.python_version()}), load average at the end {load} (1/5/15 min), date:
{date.today().isoformat()}; source SQLite, warehouse {warehouse}. History: {orders:,} orders,
{lines:,} order lines over {HISTORY_DAYS} days (generation not part of the figures).

| step | time | throughput | target |
|---|---|---|---|
| full load (extract, stage, merge, reconcile) | {full_s:.1f} s | \
{lines / full_s:,.0f} lines/s | < 30 s |
| incremental after {incremental.rows['orders']:,} changed orders | {inc_s:.2f} s | \
{incremental.rows['orders'] / inc_s:,.0f} orders/s | < 3 s |

Runs: full {full_status}, incremental {incremental.status} (reconciled to the cent).
Steps of the full load: {full_steps}.
Steps of the incremental run: {inc_steps}.
The source side of the reconciliation runs on its own connection during the load, so
`reconcile` is the wait for it plus the warehouse side.

Report queries, current period plus the previous one (30 days unless noted), p95 of {runs}
runs on a warm read-only connection (target < 200 ms):

| report | p95 ms |
|---|---|
{rows}
"""


if __name__ == "__main__":
    sys.exit(main())
