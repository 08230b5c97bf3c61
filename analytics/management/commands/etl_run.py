"""`manage.py etl_run [--full]`: load what changed into the warehouse, then reconcile it with
the shop's database. One line per step, a row count per staged table at the end. Exit 1 with
one line when the reconciliation finds differences, 2 when the warehouse URL is unusable."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from analytics.etl import EtlRun, run_etl
from analytics.warehouse import WarehouseUrlError

BAD_WAREHOUSE = 2


class StepLines:
    """Each step's name when it starts, its time when it ends, on one line."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def step(self, name: str, total: int) -> Callable[[int], None]:
        started, done = time.monotonic(), 0
        self._out.write(f"{name:<10}", ending="")
        self._out.flush()

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if done >= total:
                self._out.write(f"done in {time.monotonic() - started:.2f} s")

        return advance


def row_table(run: EtlRun) -> list[str]:
    width = max((len(name) for name in run.rows), default=5)
    lines = [f"{'table':<{width}}  {'rows':>12}"]
    lines += [f"{name:<{width}}  {count:>12,}" for name, count in sorted(run.rows.items())]
    return lines


class Command(BaseCommand):
    help = "Load what changed into the analytics warehouse, then reconcile it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true",
                            help="re-read everything and rebuild the order facts")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = run_etl(full=options["full"], reporter=StepLines(self.stdout))
        except WarehouseUrlError as exc:
            raise CommandError(str(exc), returncode=BAD_WAREHOUSE) from exc
        self.stdout.write(f"ETL run {run.run_id} ({run.mode}): {run.status}")
        for line in row_table(run):
            self.stdout.write(line)
        result = run.reconciliation
        if result is not None and not result.ok:
            days = ", ".join(str(d.date_key) for d in result.days[:10])
            orders = ", ".join(o.order_id for o in result.orders[:5])
            raise CommandError(f"reconciliation failed on {len(result.days)} day(s): {days}"
                               f" (orders: {orders or 'none found'})")
        self.stdout.write("reconciliation: the warehouse matches the shop's database")
