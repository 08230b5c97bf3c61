"""The ``tienda`` command line: operators' and developers' entry into every process."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tienda.config import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from tienda.bootstrap import Tienda

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Tienda: shop operations.")
staff_app = typer.Typer(no_args_is_help=True, help="Staff accounts for the backoffice.")
stock_app = typer.Typer(no_args_is_help=True, help="Stock operations.")
etl_app = typer.Typer(no_args_is_help=True, help="Analytics: the warehouse ETL.")
app.add_typer(etl_app, name="etl")
app.add_typer(staff_app, name="staff")
app.add_typer(stock_app, name="stock")
console = Console(stderr=True)

DEMO_STAFF_PASSWORD = "tienda-demo"  # set by `tienda seed`


class CliError(Exception):
    """An error the operator can fix; printed as one line, exit status 1."""


@contextmanager
def _tienda() -> Iterator[Tienda]:
    from tienda.bootstrap import bootstrap

    tienda = bootstrap(load_settings())
    try:
        yield tienda
    finally:
        tienda.close()


class RichSeedReporter:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def step(self, name: str, total: int) -> Callable[[int], None]:
        task = self._progress.add_task(name, total=total)

        def advance(n: int = 1) -> None:
            self._progress.advance(task, n)

        return advance


def progress_bars() -> Progress:
    return Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


@app.command()
def migrate(revision: Annotated[str, typer.Option(help="target revision")] = "head",
            down: Annotated[bool, typer.Option(help="downgrade to the revision")] = False) -> None:
    """Bring the database schema to a revision (Alembic)."""
    from tienda.adapters.db import migrate as migrations

    with _tienda() as tienda:
        if down:
            migrations.downgrade(tienda.engine, "base" if revision == "head" else revision)
        else:
            migrations.upgrade(tienda.engine, revision)
        console.print(f"database at revision {migrations.current_revision(tienda.engine)}")


@app.command()
def seed(
    seed: Annotated[int, typer.Option(help="random seed: same seed, same shop")] = 42,
    products: Annotated[int, typer.Option(min=1)] = 240,
    customers: Annotated[int, typer.Option(min=1)] = 600,
    orders: Annotated[int, typer.Option(min=0)] = 5200,
    reset: Annotated[bool, typer.Option(help="drop everything first")] = False,
    check: Annotated[bool, typer.Option(
        help="migrate, then only tell: exit 0 if seeded, 3 if not")] = False,
) -> None:
    """Build the demo shop: catalog with images, stock, customers and order history."""
    from tienda.adapters.db import demo_shop
    from tienda.adapters.db import migrate as migrations

    with _tienda() as tienda:
        if check:
            migrations.upgrade(tienda.engine)
            raise typer.Exit(0 if demo_shop.is_seeded(tienda.engine) else 3)
        if reset:
            migrations.downgrade(tienda.engine)
        migrations.upgrade(tienda.engine)
        tienda.ensure_storage()
        with progress_bars() as progress:
            try:
                summary = demo_shop.seed_demo_shop(
                    tienda.engine, tienda.blobs, tienda.settings, seed=seed, products=products,
                    customers=customers, orders=orders, reporter=RichSeedReporter(progress))
            except demo_shop.ShopAlreadySeeded as exc:
                raise CliError(str(exc)) from None
        console.print(f"seeded: {summary}")


@app.command()
def frontoffice(reload: bool = False) -> None:
    """Serve the storefront and the public API."""
    _serve("tienda.entrypoints.frontoffice.app:create_app", load_settings().frontoffice_port,
           reload)


@app.command()
def backoffice(reload: bool = False) -> None:
    """Serve the backoffice API."""
    _serve("tienda.entrypoints.backoffice_api.app:create_app", load_settings().backoffice_port,
           reload)


def _serve(factory: str, port: int, reload: bool) -> None:
    import uvicorn

    settings = load_settings()
    with _tienda() as tienda:
        _wait_for_storage(tienda)
    uvicorn.run(factory, factory=True, host=settings.host, port=port, reload=reload,
                log_level="info", access_log=False)


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(min=1, max=64,
                                                    help="handlers run at once")] = None,
    processes: Annotated[int | None, typer.Option(
        min=1, max=16, help="host processes; the first also runs the timers")] = None,
) -> None:
    """Run the local functions host: queue handlers and timers, as on Azure Functions."""
    import multiprocessing

    overrides: dict[str, object] = {"worker_concurrency": concurrency} if concurrency else {}
    if processes:
        overrides["worker_processes"] = processes
    settings = load_settings(**overrides)
    # More processes use more cores (handlers are threads, bound by the GIL); on Azure the
    # Functions scale controller adds instances instead.
    spawn = multiprocessing.get_context("spawn")
    others = [spawn.Process(target=_run_host, args=(overrides, False), name=f"worker-{n}")
              for n in range(1, settings.worker_processes)]
    for process in others:
        process.start()
    try:
        _run_host(overrides, True)
    finally:
        for process in others:
            if process.is_alive() and process.pid:
                os.kill(process.pid, signal.SIGTERM)
        for process in others:
            process.join()


def _run_host(overrides: dict[str, object], with_timers: bool) -> None:
    import logging

    from tienda.bootstrap import bootstrap
    from tienda.entrypoints.workers.handlers import queue_handlers, timers
    from tienda.entrypoints.workers.host import FunctionsHost

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(processName)s "
                        "%(levelname)s %(message)s")
    logging.getLogger("azure").setLevel(logging.WARNING)
    tienda = bootstrap(load_settings(**overrides))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if not with_timers:
        _stop_with_parent(stop)
    try:
        _wait_for_storage(tienda)
        settings = tienda.settings
        host = FunctionsHost(tienda, queue_handlers(settings),
                             timers(settings) if with_timers else [])
        if with_timers:
            console.print(f"worker: queues {', '.join(queue_handlers(settings))}, "
                          f"{settings.worker_processes} process(es) of concurrency "
                          f"{settings.worker_concurrency}")
        host.run(stop)
    finally:
        tienda.close()


def _stop_with_parent(stop: threading.Event) -> None:
    """A host process started by another stops when that one dies, even by SIGKILL."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()

    def watch() -> None:
        if parent is not None:
            wait([parent.sentinel])
            stop.set()

    threading.Thread(target=watch, daemon=True).start()


def _wait_for_storage(tienda: Tienda, seconds: float = 60) -> None:
    """Local processes may start before Azurite listens; give it a minute."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            tienda.ensure_storage()
            return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise CliError(f"storage unreachable: {type(exc).__name__}") from None
            time.sleep(0.5)


@stock_app.command("set")
def stock_set(
    sku: str,
    quantity: Annotated[int, typer.Argument(min=0)],
    warehouse: Annotated[str | None, typer.Option(help="warehouse code")] = None,
) -> None:
    """Make QUANTITY the SKU's available stock (in one warehouse, or in all: the default
    warehouse gets QUANTITY and the others zero), recorded in the ledger as adjustments."""
    from tienda.adapters.db.stock_admin import StockAdminError, set_available

    with _tienda() as tienda:
        try:
            moves = set_available(tienda.engine, sku, quantity, warehouse, actor="cli")
        except StockAdminError as exc:
            raise CliError(str(exc)) from None
    console.print(f"{sku}: available {quantity}" + (f" in {warehouse}" if warehouse else "")
                  + f" ({moves} ledger movements)")


@etl_app.command("run")
def etl_run(full: Annotated[bool, typer.Option(help="re-read everything")] = False) -> None:
    """Load what changed into the warehouse, then reconcile it with the shop's database."""
    from rich.table import Table

    from tienda.entrypoints.analytics.etl import run_etl

    settings = load_settings()
    with progress_bars() as progress:
        run = run_etl(settings, full=full, reporter=RichSeedReporter(progress))
    table = Table(title=f"ETL run {run.run_id} ({run.mode}): {run.status}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(run.rows.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)
    if run.reconciliation is not None and not run.reconciliation.ok:
        days = ", ".join(str(d.date_key) for d in run.reconciliation.days[:10])
        raise CliError(f"reconciliation failed on {len(run.reconciliation.days)} day(s): {days}")
    console.print("reconciliation: the warehouse matches the shop's database")


@app.command("mail-capture")
def mail_capture() -> None:
    """Run the local SMTP capture: every message lands in .data/mail/."""
    from tienda.adapters.mail.capture import start_capture

    settings = load_settings()
    controller = start_capture(settings.mail_dir, settings.host, settings.mail_capture_port)
    console.print(f"mail capture on {settings.host}:{settings.mail_capture_port} -> "
                  f"{settings.mail_dir}")
    _wait_for_stop_signal()
    controller.stop()


def _wait_for_stop_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


@staff_app.command("create")
def staff_create(
    email: str,
    role: Annotated[str, typer.Option(help="admin, manager, support or viewer")] = "viewer",
    name: str = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)] = "",
) -> None:
    """Create a staff account for the backoffice."""
    from tienda.adapters.db.staff import StaffError, create_staff

    with _tienda() as tienda:
        try:
            create_staff(tienda.engine, email=email, role=role, name=name, password=password)
        except StaffError as exc:
            raise CliError(str(exc)) from None
    console.print(f"staff {email} created with role {role}")


@app.command()
def urls() -> None:
    """Print where the local processes listen."""
    _print_urls(load_settings())


def _print_urls(s: Settings) -> None:
    console.print(f"""[bold]Tienda is starting[/bold]
  shop (frontoffice)   http://{s.host}:{s.frontoffice_port}
  public API docs      http://{s.host}:{s.frontoffice_port}/docs
  backoffice API       http://{s.host}:{s.backoffice_port}/docs
  backoffice SPA       http://{s.host}:{s.spa_port}  (sign in below)
  mail capture (SMTP)  {s.host}:{s.mail_capture_port}, stored in {s.mail_dir}/
  demo staff login     admin@tienda.local / {DEMO_STAFF_PASSWORD}
Ctrl-C stops every process.""")


def main() -> None:
    try:
        result = app(standalone_mode=False)
    except (ConfigurationError, CliError) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, ConfigurationError) else 1)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: one line, with the usage exit status
        typer.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    except Exception as exc:
        if type(exc).__name__ != "OperationalError":
            raise
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        typer.echo(f"error: database unreachable: {reason}", err=True)
        sys.exit(1)
    if isinstance(result, int):
        sys.exit(result)
