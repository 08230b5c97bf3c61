"""Campaign benchmark: one campaign to N consenting customers (default 100,000) sent the way
production does, into the local mail capture, unthrottled.

Builds a private stack (the scratch PostgreSQL database, Azurite, `manage.py mail_capture` in
its own process, `manage.py runworker` with the worker settings; see bench/checkout.py),
bulk-creates N consenting customers (half es, half en), then:

1. profile (``--profile-batch``, before the worker starts): a separate campaign, its snapshot
   and one batch of that many recipients run in this process under cProfile (the figures
   include the profiler's overhead); the campaign is then cancelled;
2. send: the campaign is created and sent through shop.campaigns.services (what the staff
   request runs: validate, mark sending, enqueue the snapshot), then the worker runs the
   snapshot task and the batch chain until the campaign is done.

Prints: the send request's time, the snapshot time, the total time (started_at to
finished_at), messages/s, and CPU per message of the worker, of the capture and of Azurite
(each process tree's utime + stime from /proc, after minus before). Goal: 100,000 messages
< 5 min. Results go to the '## Campaigns' section of docs/PERFORMANCE.md with ``--write``
(default: print only). Everything it starts is stopped and the scratch database dropped.

    .venv/bin/python bench/campaign.py [--recipients 100000] [--batch-size 500]
        [--profile-batch 2000] [--write]
    smoke: .venv/bin/python bench/campaign.py --recipients 2000 --profile-batch 500
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from checkout import (
    PYTHON,
    ROOT,
    Stack,
    _load,
    base_env,
    cpu_ticks,
    django_here,
    free_port,
    listening,
    machine,
    ms_per,
    postgres_version,
    start_azurite,
    until,
)
from perf_doc import write_section

SECTION = "## Campaigns"
TARGET_SECONDS = 300.0
CUSTOMER_CHUNK = 10_000
STAFF = "bench@tienda.test"


def build(stack: Stack, args: argparse.Namespace) -> None:
    """Azurite and the capture up, the scratch database migrated, Django set up here."""
    sys.path.insert(0, str(ROOT))
    database_url = stack.create_database()
    ports = {k: free_port() for k in ("blob", "queue", "table", "smtp")}
    stack.env = {
        **base_env(stack, database_url, ports, "shop.settings.worker"),
        "TIENDA_SMTP_PORT": str(ports["smtp"]), "TIENDA_MAIL_CAPTURE_PORT": str(ports["smtp"]),
        "TIENDA_CAMPAIGN_RATE_PER_SECOND": "0",
        "TIENDA_CAMPAIGN_BATCH_SIZE": str(args.batch_size),
    }
    start_azurite(stack, ports)
    stack.start("mail", [str(PYTHON), "manage.py", "mail_capture"])
    for port in (ports["blob"], ports["queue"], ports["smtp"]):
        until(lambda p=port: listening(p), 60, f"a service on port {port}")
    print(f"migrating {stack.database} ...", flush=True)
    django_here(stack)


def make_customers(n: int) -> float:
    """N consenting customers, alternately es and en; the seconds it took."""
    from shop.customers.models import Customer

    began = time.perf_counter()
    for start in range(0, n, CUSTOMER_CHUNK):
        Customer.objects.bulk_create([
            Customer(email=f"bench{i}@example.com", locale=("es", "en")[i % 2],
                     marketing_consent=True)
            for i in range(start, min(n, start + CUSTOMER_CHUNK))])
    return time.perf_counter() - began


def campaign_values(name: str) -> dict[str, Any]:
    body = ("Hola:\n\nEsta semana, todo al 50 %. Ven a vernos a la tienda o entra en la web.\n\n"
            "Un saludo,\nTienda")
    return {"name": name, "subject_es": "Rebajas de invierno: todo al 50 %",
            "subject_en": "Winter sale: everything 50% off", "body_es": body,
            "body_en": body.replace("Hola", "Hello").replace("todo al", "all at"),
            "segment": {"language": None, "bought_in_category": None,
                        "last_order_before": None, "last_order_after": None,
                        "rfm_segment": None}}


def profile_batch(size: int) -> dict[str, Any]:
    """One batch of `size` recipients of a separate campaign, in this process under cProfile,
    into the real capture; the campaign is cancelled afterwards."""
    from django.conf import settings

    from shop.campaigns import services
    from shop.campaigns.models import Campaign
    from shop.campaigns.sending import campaign_batch_send

    settings.CAMPAIGNS = {**settings.CAMPAIGNS, "BATCH_SIZE": size}
    campaign = services.campaign_create(values=campaign_values("profile"), actor=STAFF)
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    services.campaign_recipients_snapshot(campaign_id=campaign.pk, actor=STAFF)
    profiler = cProfile.Profile()
    cpu = time.process_time()
    profiler.enable()
    campaign_batch_send(campaign_id=campaign.pk, batch=0)
    profiler.disable()
    cpu = time.process_time() - cpu
    services.campaign_cancel(campaign_id=campaign.pk, actor=STAFF)
    sent = Campaign.objects.get(pk=campaign.pk).deliveries.filter(status="sent").count()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(14)
    return {"sent": sent, "cpu_ms": round(cpu * 1000 / max(sent, 1), 2),
            "top": _profile_rows(out.getvalue())}


def _profile_rows(text: str) -> list[str]:
    """The pstats table without its preamble, paths shortened to the package."""
    rows = text.splitlines()
    start = next(i for i, row in enumerate(rows) if row.lstrip().startswith("ncalls"))
    keep = [row.rstrip() for row in rows[start:] if row.strip()]
    return [row.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
            .replace("/usr/lib/python3.12/", "") for row in keep]


def send_phase(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    from shop.campaigns import services
    from shop.campaigns.models import Campaign

    stack.start("worker", [str(PYTHON), "manage.py", "runworker", "--processes", "1"])
    until(lambda: "worker: queues" in stack.log("worker"), 120, "the worker to start")
    campaign = services.campaign_create(values=campaign_values("bench"), actor=STAFF)
    names = ("worker", "mail", "azurite")
    before = cpu_ticks(stack, names)
    began = time.perf_counter()
    services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor=STAFF)
    request_ms = (time.perf_counter() - began) * 1000
    print(f"send request (service) {request_ms:.0f} ms; waiting for the worker ...", flush=True)

    def current() -> Campaign:
        return Campaign.objects.get(pk=campaign.pk)

    until(lambda: current().recipients_at is not None, args.timeout, "the snapshot", 0.5)
    snapshot = current()
    print(f"snapshot: {snapshot.recipients_total:,} recipients in "
          f"{(snapshot.recipients_at - snapshot.started_at).total_seconds():.1f} s", flush=True)
    until(lambda: current().status == "done", args.timeout, "the campaign to be done", 1.0)
    after = cpu_ticks(stack, names)
    done = current()
    total_s = (done.finished_at - done.started_at).total_seconds()
    mails = sum(1 for _ in (stack.tmp / "data" / "mail").glob("*.eml"))
    return {"request_ms": round(request_ms), "recipients": done.recipients_total,
            "sent": done.sent, "failed": done.failed, "skipped": done.skipped,
            "mails_captured": mails, "snapshot_s": round(
                (done.recipients_at - done.started_at).total_seconds(), 1),
            "total_s": round(total_s, 1), "per_s": round(done.sent / total_s),
            "cpu_ms": ms_per(before, after, done.sent)}


def render_section(results: dict[str, Any], command: str) -> str:
    s, p = results["send"], results.get("profile")
    met = "yes" if s["total_s"] < TARGET_SECONDS else "**no**"
    lines = [SECTION, "",
             f"`{command}` on {results['machine']}, 2 cores shared with other work; "
             f"{results['date']}. PostgreSQL {results['postgresql']}, private Azurite, "
             "`manage.py mail_capture` (every message an .eml file) and `manage.py runworker "
             "--processes 1` (worker settings), each in its own process; rate 0 "
             f"(unthrottled), batches of {results['batch_size']}. CPU is each process tree's "
             "utime + stime from /proc, after minus before, per message sent. Load average "
             f"(1/5/15 min) before {results['load_before']}, at the end "
             f"{results['load_after']}.", "",
             "| recipients | send request | snapshot | total (started → done) | messages/s "
             "| < 5 min |", "|---|---|---|---|---|---|",
             f"| {s['recipients']:,} | {s['request_ms']} ms | {s['snapshot_s']} s | "
             f"{s['total_s']} s | {s['per_s']:,} | {met} |", "",
             f"Sent {s['sent']:,}, failed {s['failed']}, skipped {s['skipped']}; "
             f"{s['mails_captured']:,} messages in the capture (profile batch included).", "",
             "CPU per message, ms: " + ", ".join(f"{k} {v}" for k, v in s["cpu_ms"].items())
             + " (bench = this process, polling)."]
    if p:
        lines += ["", f"Profile: one batch of {p['sent']:,} in the bench process under "
                  f"cProfile, {p['cpu_ms']} ms CPU per message with the profiler on; top "
                  "functions by own time:", "", "```", *p["top"], "```"]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--recipients", type=int, default=100_000)
    p.add_argument("--batch-size", type=int, default=500, help="CAMPAIGNS['BATCH_SIZE']")
    p.add_argument("--profile-batch", type=int, default=2000,
                   help="recipients of the profiled in-process batch (0: no profile)")
    p.add_argument("--timeout", type=float, default=1800, help="longest wait for the send")
    p.add_argument("--postgres-url", default=os.environ.get(
        "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    stack = Stack(args.postgres_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanup still runs
    try:
        results: dict[str, Any] = {
            "load_before": _load(), "machine": machine(), "batch_size": args.batch_size,
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "postgresql": postgres_version(args.postgres_url)}
        build(stack, args)
        print(f"{args.recipients:,} customers in {make_customers(args.recipients):.1f} s",
              flush=True)
        if args.profile_batch:
            results["profile"] = profile_batch(args.profile_batch)
            print("\n".join(results["profile"]["top"]), flush=True)
        results["send"] = send_phase(stack, args)
        results["load_after"] = _load()
        return results
    except Exception:
        for name in stack.procs:
            print(f"--- {name} log tail ---\n{stack.log(name)[-2000:]}", file=sys.stderr)
        raise
    finally:
        from django.db import connections

        connections.close_all()
        stack.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = run(args)
    command = " ".join([".venv/bin/python bench/campaign.py", *(argv or sys.argv[1:])])
    section = render_section(results, command)
    print(section)
    if args.write:
        write_section(ROOT / "docs" / "PERFORMANCE.md", SECTION, section)
        print("written to docs/PERFORMANCE.md")
    return 0 if results["send"]["total_s"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
