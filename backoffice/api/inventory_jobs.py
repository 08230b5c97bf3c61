"""Inventory jobs in the staff API: stock imports (a CSV upload), transfers and receipts, each
a job with a dry run, an apply, live progress and a CSV of its errors; low-stock thresholds
and the variants at or below them. Thin views over shop/inventory/jobs.py and low_stock.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api.base import StaffApi, body, page_of, paged, query
from backoffice.api.orders import safe_cell
from backoffice.api.serializers import Problem
from backoffice.api.serializers import page_of as page_serializer
from backoffice.api.serializers_ops import query_serializer
from shop.core.errors import ShopError
from shop.inventory import imports, job_runs, jobs, low_stock
from shop.inventory.models import InventoryJob

PREVIEW = job_runs.PREVIEW  # errors and changes shown with a job
MAX_LINES = imports.MAX_ROWS
PROBLEMS = {404: Problem, 409: Problem, 422: Problem}


# --- bodies -----------------------------------------------------------------------------------

class JobError(serializers.Serializer):
    line = serializers.IntegerField()
    sku = serializers.CharField()
    warehouse = serializers.CharField()
    message = serializers.CharField()


class JobChange(serializers.Serializer):
    line = serializers.IntegerField()
    sku = serializers.CharField()
    warehouse = serializers.CharField()
    on_hand_before = serializers.IntegerField()
    on_hand_after = serializers.IntegerField()


class JobRow(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InventoryJob.Kind.values)
    phase = serializers.ChoiceField(choices=InventoryJob.Phase.values)
    status = serializers.ChoiceField(choices=InventoryJob.Status.choices)
    reference = serializers.CharField()
    file_name = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_processed = serializers.IntegerField()
    rows_ok = serializers.IntegerField()
    rows_error = serializers.IntegerField()
    rows_changed = serializers.IntegerField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    error = serializers.CharField(allow_null=True)
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    can_apply = serializers.BooleanField()


class Job(JobRow):
    errors = JobError(many=True)
    changes = JobChange(many=True)


JobPage = page_serializer(JobRow(), "InventoryJobPage")
JobsQuery = query_serializer(
    "InventoryJobsQuery", sorted_=False,
    status=serializers.ChoiceField(choices=InventoryJob.Status.choices, required=False),
    kind=serializers.ChoiceField(choices=InventoryJob.Kind.values, required=False))
LowStockQuery = query_serializer("LowStockQuery", sorted_=False)


class ImportUpload(serializers.Serializer):
    request_only = True
    file = serializers.FileField()
    mode = serializers.ChoiceField(choices=imports.MODES, default="set")
    reason = serializers.CharField(max_length=imports.MAX_ROW_REASON, required=False,
                                   allow_blank=True, default="")


class Line(serializers.Serializer):
    sku = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=999_999_999)


class TransferBody(serializers.Serializer):
    request_only = True
    from_warehouse = serializers.CharField(max_length=20)
    to_warehouse = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=imports.MAX_ROW_REASON, allow_blank=True,
                                   required=False, default="")
    lines = Line(many=True, allow_empty=False, max_length=MAX_LINES)


class ReceiptBody(serializers.Serializer):
    request_only = True
    warehouse = serializers.CharField(max_length=20)
    supplier_reference = serializers.CharField(max_length=jobs.MAX_REFERENCE)
    lines = Line(many=True, allow_empty=False, max_length=MAX_LINES)


class LowStockRow(serializers.Serializer):
    sku = serializers.CharField()
    product = serializers.CharField()
    threshold = serializers.IntegerField()
    available = serializers.IntegerField()


LowStockPage = page_serializer(LowStockRow(), "LowStockPage")


class ThresholdBody(serializers.Serializer):
    request_only = True
    threshold = serializers.IntegerField(min_value=0, max_value=low_stock.MAX_THRESHOLD,
                                         allow_null=True)


class Threshold(serializers.Serializer):
    sku = serializers.CharField()
    threshold = serializers.IntegerField(allow_null=True)


# --- rows -------------------------------------------------------------------------------------

def _row(job: InventoryJob) -> dict[str, Any]:
    return {"id": job.pk, "kind": job.kind, "phase": job.phase, "status": job.status,
            "reference": job.reference, "file_name": job.file_name,
            "rows_total": job.rows_total, "rows_processed": job.rows_processed,
            "rows_ok": job.rows_ok, "rows_error": job.rows_error,
            "rows_changed": job.rows_changed, "progress": jobs.progress(job),
            "error": job.error, "created_by": job.created_by.email,
            "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at, "can_apply": jobs.can_apply(job)}


def _detail(job: InventoryJob, status_code: int = status.HTTP_200_OK) -> Response:
    data = {**_row(job), "errors": jobs.inventory_job_errors(job_id=job.pk, limit=PREVIEW),
            "changes": job.changes[:PREVIEW]}
    return Response(Job(data).data, status=status_code)


def _created(job: InventoryJob) -> Response:
    return _detail(jobs.inventory_job_get(job_id=job.pk), status.HTTP_201_CREATED)


def _errors_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = ("line", "sku", "warehouse", "message")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row[name]) for name in columns])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- views ------------------------------------------------------------------------------------

class InventoryJobsApi(StaffApi):
    """A stock import: `file` is a CSV of sku,warehouse,quantity[,mode][,reason] (at most
    100,000 rows and 10 MB); it is stored and its dry run queued at once."""

    permissions = {"GET": "inventory:read", "POST": "inventory:write"}
    parser_classes = [MultiPartParser]
    tag = "inventory"

    @extend_schema(parameters=[JobsQuery], responses={200: JobPage})
    def get(self, request: Request) -> Response:
        params = query(JobsQuery, request)
        page = page_of(params)
        rows = jobs.inventory_job_list(status=params.get("status"), kind=params.get("kind"))
        return Response(JobPage(paged(rows, page, _row)).data)

    @extend_schema(request={"multipart/form-data": ImportUpload},
                   responses={201: Job, 413: Problem, 422: Problem})
    def post(self, request: Request) -> Response:
        if "file" not in request.FILES:
            raise ShopError("file: send the CSV as the multipart field `file`")
        data = body(ImportUpload, request)
        upload = data["file"]
        content = upload.read(imports.MAX_BYTES + 1)
        job = jobs.inventory_job_create(data=content, file_name=upload.name or "",
                                        mode=data["mode"], reason=data["reason"],
                                        actor=request.user)
        return _created(job)


class InventoryTransfersApi(StaffApi):
    permissions = {"POST": "inventory:write"}
    tag = "inventory"

    @extend_schema(request=TransferBody, responses={201: Job, **PROBLEMS})
    def post(self, request: Request) -> Response:
        return _created(jobs.inventory_transfer_create(**body(TransferBody, request),
                                                       actor=request.user))


class InventoryReceiptsApi(StaffApi):
    permissions = {"POST": "inventory:write"}
    tag = "inventory"

    @extend_schema(request=ReceiptBody, responses={201: Job, **PROBLEMS})
    def post(self, request: Request) -> Response:
        return _created(jobs.inventory_receipt_create(**body(ReceiptBody, request),
                                                      actor=request.user))


class InventoryJobApi(StaffApi):
    permissions = {"GET": "inventory:read"}
    tag = "inventory"

    @extend_schema(responses={200: Job, 404: Problem})
    def get(self, request: Request, job_id: int) -> Response:
        return _detail(jobs.inventory_job_get(job_id=job_id))


class InventoryJobErrorsApi(StaffApi):
    permissions = {"GET": "inventory:read"}
    tag = "inventory"

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, 404: Problem})
    def get(self, request: Request, job_id: int) -> StreamingHttpResponse:
        job = jobs.inventory_job_get(job_id=job_id)
        return StreamingHttpResponse(
            _errors_csv(jobs.inventory_job_errors(job_id=job.pk)),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition":
                     f'attachment; filename="inventory-job-{job.pk}-errors.csv"'})


class InventoryJobApplyApi(StaffApi):
    """Apply a job whose dry run is done; 409 when it is not done, applying or applied."""

    permissions = {"POST": "inventory:write"}
    tag = "inventory"

    @extend_schema(request=None, responses={202: Job, 404: Problem, 409: Problem})
    def post(self, request: Request, job_id: int) -> Response:
        jobs.inventory_job_apply_request(job_id=job_id, actor=request.user)
        return _detail(jobs.inventory_job_get(job_id=job_id), status.HTTP_202_ACCEPTED)


class LowStockApi(StaffApi):
    permissions = {"GET": "inventory:read"}
    tag = "inventory"

    @extend_schema(parameters=[LowStockQuery], responses={200: LowStockPage})
    def get(self, request: Request) -> Response:
        page = page_of(query(LowStockQuery, request))
        return Response(LowStockPage(paged(low_stock.low_stock_list(), page, lambda row: {
            "sku": row.variant.sku, "product": row.variant.product.name_en,
            "threshold": row.threshold, "available": row.available})).data)


class ThresholdApi(StaffApi):
    permissions = {"PUT": "inventory:write"}
    tag = "inventory"

    @extend_schema(request=ThresholdBody, responses={200: Threshold, 404: Problem,
                                                     422: Problem})
    def put(self, request: Request, sku: str) -> Response:
        threshold = low_stock.low_stock_threshold_set(
            sku=sku, threshold=body(ThresholdBody, request)["threshold"], actor=request.user)
        return Response(Threshold({"sku": sku, "threshold": threshold}).data)
