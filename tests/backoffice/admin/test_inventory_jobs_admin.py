"""Inventory jobs and low-stock thresholds in the Django admin: the upload calls the same
service as the API, "apply" asks for the apply, viewers may look but not act."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.audit.models import AuditEntry
from shop.inventory.job_runs import inventory_job_dry_run
from shop.inventory.models import InventoryJob, LowStockThreshold
from tests.builders import a_variant, a_warehouse
from tests.shop.inventory_jobs.builders import csv_of
from workers.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]

JOBS = "admin:inventory_inventoryjob_changelist"
UPLOAD = "admin:inventory_inventoryjob_add"


def _upload(client, data: bytes, mode: str = "set"):  # type: ignore[no-untyped-def]
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile("count.csv", data),
                                         "mode": mode, "reason": "count"})


def _apply(client, jobs: list[InventoryJob]):  # type: ignore[no-untyped-def]
    return client.post(reverse(JOBS), {"action": "apply", "index": "0",
                                       "_selected_action": [str(j.pk) for j in jobs]})


@pytest.mark.azurite
def test_a_manager_uploads_a_csv_and_its_dry_run_is_queued(staff_client, azurite):
    client, manager = staff_client("manager")
    a_variant("ADM-1", stock={"MAD": 5})

    form = client.get(reverse(UPLOAD))
    response = _upload(client, csv_of([("ADM-1", "MAD", 7, "", "")]))

    job = InventoryJob.objects.get()
    assert (form.status_code, 'name="file"' in form.content.decode()) == (200, True)
    assert 'enctype="multipart/form-data"' in form.content.decode()  # a browser sends the file
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:inventory_inventoryjob_change",
                                           args=[job.pk])
    assert (job.kind, job.status, job.file_name, job.rows_total, job.created_by) == (
        "import", "queued", "count.csv", 1, manager)
    assert OutboxMessage.objects.get().payload["kwargs"] == {"job_id": job.pk}
    assert client.get(response["Location"]).status_code == 200


def test_a_file_that_is_no_stock_import_is_shown_on_the_form_and_creates_nothing(
        staff_client):
    client, _ = staff_client("manager")

    response = _upload(client, b"name;count\nA;1\n")

    assert response.status_code == 200
    assert "file: line 1 must be the header" in response.content.decode()
    assert (InventoryJob.objects.count(), OutboxMessage.objects.count()) == (0, 0)


@pytest.mark.azurite
def test_apply_asks_for_the_apply_of_checked_jobs_and_refuses_the_others(
        staff_client, azurite):
    client, manager = staff_client("manager")
    a_variant("ADM-2", stock={"MAD": 5})
    _upload(client, csv_of([("ADM-2", "MAD", 2, "add", "")]))
    _upload(client, csv_of([("ADM-2", "MAD", 9, "", "")]))
    checked, waiting = InventoryJob.objects.order_by("id")
    inventory_job_dry_run(job_id=checked.pk)

    response = _apply(client, [checked, waiting])

    checked.refresh_from_db()
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages][-2:] == [
        f"import #{waiting.pk}: the dry run of inventory job {waiting.pk} is not done "
        "(it is queued)", "Applying 1 job(s)."]
    assert (checked.phase, checked.status, checked.applied_by) == ("apply", "queued", manager)
    assert OutboxMessage.objects.filter(task__endswith="inventory_job_apply_chunk_task") \
        .get().payload["kwargs"] == {"job_id": checked.pk, "chunk": 0}


@pytest.mark.azurite
def test_a_viewer_sees_jobs_but_may_neither_upload_nor_apply(staff_client, azurite):
    manager, _ = staff_client("manager")
    a_variant("ADM-3", stock={"MAD": 5})
    _upload(manager, csv_of([("ADM-3", "MAD", 2, "add", "")]))
    job = InventoryJob.objects.get()
    inventory_job_dry_run(job_id=job.pk)
    viewer, _ = staff_client("viewer")

    listed = viewer.get(reverse(JOBS))
    upload_page = viewer.get(reverse(UPLOAD))
    upload = _upload(viewer, csv_of([("ADM-3", "MAD", 2, "add", "")]))
    applied = _apply(viewer, [job])

    job.refresh_from_db()
    assert (listed.status_code, upload_page.status_code, upload.status_code,
            applied.status_code) == (200, 403, 403, 403)
    assert (InventoryJob.objects.count(), job.phase) == (1, "dry_run")


def test_a_manager_sets_a_threshold_through_the_service(staff_client):
    client, manager = staff_client("manager")
    variant = a_variant("ADM-4", stock={"MAD": 5})
    a_warehouse("MAD")

    added = client.post(reverse("admin:inventory_lowstockthreshold_add"),
                        {"variant": str(variant.pk), "threshold": "6"})
    refused = client.post(reverse("admin:inventory_lowstockthreshold_add"),
                          {"variant": str(variant.pk), "threshold": "-1"})

    assert added.status_code == 302
    assert refused.status_code == 200
    assert LowStockThreshold.objects.get().threshold == 6
    audit = AuditEntry.objects.get(action="stock.threshold")
    assert (audit.actor, audit.entity_id, audit.after) == (manager.email, "ADM-4",
                                                           {"threshold": 6})
