"""Inventory jobs, transfers, receipts, low stock and thresholds through the staff API (the
contract in the issue-13 brief), with the queued messages run through the worker's runner."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.inventory.models import InventoryJob
from tests.backoffice.api.builders import SKU
from tests.builders import a_variant, ledger_matches_levels, stock_of
from tests.shop.inventory_jobs.builders import Queue, csv_of
from workers.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]
JOB_KEYS = {"id", "kind", "phase", "status", "reference", "file_name", "rows_total",
            "rows_processed", "rows_ok", "rows_error", "rows_changed", "progress", "error",
            "created_by", "created_at", "started_at", "finished_at", "can_apply", "errors",
            "changes"}


@pytest.fixture(autouse=True)
def staff_language(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"  # as shop.settings.backoffice: staff messages are English


def _upload(client, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/api/inventory/jobs",
                       {"file": SimpleUploadedFile("stock.csv", data, "text/csv"), **fields})


def _post(client, path: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, data or {}, content_type="application/json")


@pytest.mark.azurite
def test_staff_import_check_and_apply_a_csv_and_download_its_errors(world, azurite):
    manager = world.client("manager")
    data = csv_of([(SKU, "MAD", 40, "", "recount"), ("NOPE", "MAD", 1, "", ""),
                   (SKU, "BCN", "x", "add", ""), (SKU, "BCN", 5, "add", "")])

    created = _upload(manager, data, mode="set", reason="yearly count")
    Queue().run_all()
    checked = manager.get(f"/api/inventory/jobs/{created.json()['id']}")
    errors_csv = manager.get(f"/api/inventory/jobs/{created.json()['id']}/errors.csv")
    applying = _post(manager, f"/api/inventory/jobs/{created.json()['id']}/apply")
    twice = _post(manager, f"/api/inventory/jobs/{created.json()['id']}/apply")
    Queue().run_all()
    done = manager.get(f"/api/inventory/jobs/{created.json()['id']}").json()

    assert created.status_code == 201
    assert set(created.json()) == JOB_KEYS
    assert {k: created.json()[k] for k in ("kind", "phase", "status", "file_name",
                                           "rows_total", "progress", "can_apply",
                                           "created_by")} == {
        "kind": "import", "phase": "dry_run", "status": "queued", "file_name": "stock.csv",
        "rows_total": 4, "progress": 0, "can_apply": False, "created_by": "manager@tienda.test"}
    job = checked.json()
    assert (job["status"], job["rows_ok"], job["rows_error"], job["can_apply"]) == (
        "done", 2, 2, True)
    assert job["errors"] == [
        {"line": 3, "sku": "NOPE", "warehouse": "MAD", "message": "unknown SKU 'NOPE'"},
        {"line": 4, "sku": SKU, "warehouse": "BCN",
         "message": "quantity 'x' is not a whole number"}]
    assert job["changes"] == [
        {"line": 2, "sku": SKU, "warehouse": "MAD", "on_hand_before": 1000,
         "on_hand_after": 40},
        {"line": 5, "sku": SKU, "warehouse": "BCN", "on_hand_before": 0, "on_hand_after": 5}]
    assert errors_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(b"".join(errors_csv.streaming_content).decode()))) == [
        ["line", "sku", "warehouse", "message"], ["3", "NOPE", "MAD", "unknown SKU 'NOPE'"],
        ["4", SKU, "BCN", "quantity 'x' is not a whole number"]]
    assert (applying.status_code, applying.json()["phase"], applying.json()["status"]) == (
        202, "apply", "queued")
    assert (twice.status_code, twice.json()) == (
        409, {"detail": f"inventory job {job['id']} is applying"})
    assert (done["status"], done["progress"], done["rows_changed"], done["can_apply"]) == (
        "done", 100, 2, False)
    assert stock_of(SKU) == [("MAD", 40, 0), ("BCN", 5, 0)]
    assert ledger_matches_levels()


@pytest.mark.azurite
def test_transfers_and_receipts_become_jobs_listed_newest_first(world, azurite):
    manager = world.client("manager")

    transfer = _post(manager, "/api/inventory/transfers", {
        "from_warehouse": "MAD", "to_warehouse": "BCN", "reason": "rebalance",
        "lines": [{"sku": SKU, "quantity": 10}]})
    receipt = _post(manager, "/api/inventory/receipts", {
        "warehouse": "BCN", "supplier_reference": "PO-9", "lines": [{"sku": SKU,
                                                                     "quantity": 4}]})
    listed = manager.get("/api/inventory/jobs?per_page=1").json()
    transfers = manager.get("/api/inventory/jobs?kind=transfer&status=queued").json()
    done = manager.get("/api/inventory/jobs?status=done").json()

    assert (transfer.status_code, transfer.json()["kind"], transfer.json()["reference"]) == (
        201, "transfer", "MAD → BCN")
    assert (receipt.status_code, receipt.json()["kind"], receipt.json()["reference"]) == (
        201, "receipt", "PO-9")
    assert ([j["id"] for j in listed["items"]], listed["total"], listed["per_page"]) == (
        [receipt.json()["id"]], 2, 1)
    assert [j["id"] for j in transfers["items"]] == [transfer.json()["id"]]
    assert done == {"items": [], "total": 0, "page": 1, "per_page": 25}


@pytest.mark.azurite
@pytest.mark.parametrize(("path", "payload", "detail"), [
    ("/api/inventory/jobs", {"file": b"sku;warehouse\nA;MAD\n"},
     "file: line 1 must be the header sku,warehouse,quantity[,mode][,reason]; "
     "missing sku, warehouse, quantity; unknown sku;warehouse"),
    ("/api/inventory/jobs", {"file": b"sku,warehouse,quantity\nA,MAD,1\n", "mode": "swap"},
     "mode: \"swap\" is not a valid choice."),
    ("/api/inventory/jobs", {}, "file: send the CSV as the multipart field `file`"),
    ("/api/inventory/transfers", {"from_warehouse": "MAD", "to_warehouse": "MAD",
                                  "lines": [{"sku": SKU, "quantity": 1}]},
     "to_warehouse: must differ from from_warehouse"),
    ("/api/inventory/transfers", {"from_warehouse": "MAD", "to_warehouse": "BCN",
                                  "lines": [{"sku": SKU, "quantity": 0}]},
     "lines.0.quantity: Ensure this value is greater than or equal to 1."),
    ("/api/inventory/receipts", {"warehouse": "MAD", "supplier_reference": "PO-1",
                                 "lines": []},
     "lines.non_field_errors: This list may not be empty."),
])
def test_a_bad_request_is_a_422_naming_the_problem_and_creates_nothing(
        world, azurite, path, payload, detail):
    client = world.client("manager")
    if path == "/api/inventory/jobs":
        files = {k: SimpleUploadedFile("x.csv", v) if k == "file" else v
                 for k, v in payload.items()}
        response = client.post(path, files)
    else:
        response = _post(client, path, payload)

    assert (response.status_code, response.json()["detail"]) == (422, detail)
    assert (InventoryJob.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_an_unknown_job_is_a_404_and_applying_it_too(world):
    manager = world.client("manager")

    assert manager.get("/api/inventory/jobs/999").status_code == 404
    assert manager.get("/api/inventory/jobs/999/errors.csv").status_code == 404
    assert _post(manager, "/api/inventory/jobs/999/apply").json() == {
        "detail": "there is no inventory job 999"}


@pytest.mark.azurite
def test_readers_see_jobs_but_only_writers_start_or_apply_them(world, azurite):
    created = _upload(world.client("manager"), csv_of([(SKU, "MAD", 5, "", "")])).json()
    Queue().run_all()

    answers = {role: (world.client(role).get("/api/inventory/jobs").status_code,
                      _upload(world.client(role), csv_of([(SKU, "MAD", 5, "", "")]))
                      .status_code,
                      _post(world.client(role), f"/api/inventory/jobs/{created['id']}/apply")
                      .status_code)
               for role in (None, "viewer", "support")}

    assert answers == {None: (401, 401, 401), "viewer": (200, 403, 403),
                       "support": (200, 403, 403)}
    assert InventoryJob.objects.get().phase == "dry_run"


def test_thresholds_are_set_and_the_low_variants_listed(world):
    manager = world.client("manager")
    a_variant("LOW-9", stock={"MAD": 2})

    set_low = manager.put("/api/inventory/thresholds/LOW-9", {"threshold": 2},
                          content_type="application/json")
    set_ok = manager.put(f"/api/inventory/thresholds/{SKU}", {"threshold": 5},
                         content_type="application/json")
    low = world.client("viewer").get("/api/inventory/low-stock").json()
    removed = manager.put("/api/inventory/thresholds/LOW-9", {"threshold": None},
                          content_type="application/json")
    after = manager.get("/api/inventory/low-stock").json()
    refused = [manager.put(path, {"threshold": value}, content_type="application/json")
               for path, value in (("/api/inventory/thresholds/NOPE", 1),
                                   (f"/api/inventory/thresholds/{SKU}", -1))]
    viewer = world.client("viewer").put(f"/api/inventory/thresholds/{SKU}", {"threshold": 1},
                                        content_type="application/json")

    assert (set_low.json(), set_ok.json()) == ({"sku": "LOW-9", "threshold": 2},
                                               {"sku": SKU, "threshold": 5})
    assert low["items"] == [{"sku": "LOW-9", "product": low["items"][0]["product"],
                             "threshold": 2, "available": 2}]
    assert removed.json() == {"sku": "LOW-9", "threshold": None}
    assert after["total"] == 0
    assert [r.status_code for r in refused] == [404, 422]
    assert viewer.status_code == 403
