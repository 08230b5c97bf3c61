"""Orders: filtered list, CSV export, detail with its timeline and invoice link, the staff's
transitions (through shop.orders.services, so stock, payment, e-mail and audit follow) and
notes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api import selectors_ops
from backoffice.api.base import StaffApi, body, page_of, query
from backoffice.api.serializers import Problem
from backoffice.api.serializers_ops import (
    ExportQuery,
    NoteBody,
    OrderDetail,
    OrderNote,
    OrderPage,
    OrdersQuery,
    ReasonBody,
    ShipBody,
)
from shop.orders import services

TRANSITION_RESPONSES = {200: OrderDetail, 404: Problem,
                        409: OpenApiResponse(Problem, description="not allowed now")}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such
# cells are written with a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _detail(order_id: Any) -> Response:
    return Response(OrderDetail(selectors_ops.order_detail_row(order_id=order_id)).data)


class OrdersApi(StaffApi):
    permissions = {"GET": "orders:read"}
    tag = "orders"

    @extend_schema(parameters=[OrdersQuery], responses={200: OrderPage})
    def get(self, request: Request) -> Response:
        filters = query(OrdersQuery, request)
        page = page_of(filters)
        return Response(OrderPage(selectors_ops.orders_page(filters=filters, page=page)).data)


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell no spreadsheet will evaluate."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors_ops.CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[name]) for name in selectors_ops.CSV_COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


class OrdersExportApi(StaffApi):
    permissions = {"GET": "orders:read"}
    tag = "orders"

    @extend_schema(parameters=[ExportQuery],
                   responses={(200, "text/csv"): OpenApiTypes.STR, 422: Problem})
    def get(self, request: Request) -> StreamingHttpResponse:
        filters = query(ExportQuery, request)
        rows = selectors_ops.orders_export(filters=filters, sort=filters.get("sort"))
        return StreamingHttpResponse(
            csv_chunks(rows), content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="orders.csv"'})


class OrderApi(StaffApi):
    permissions = {"GET": "orders:read"}
    tag = "orders"

    @extend_schema(responses={200: OrderDetail, 404: Problem})
    def get(self, request: Request, order_id: Any) -> Response:
        return _detail(order_id)


class OrderShipApi(StaffApi):
    permissions = {"POST": "orders:write"}
    tag = "orders"

    @extend_schema(request=ShipBody, responses=TRANSITION_RESPONSES)
    def post(self, request: Request, order_id: Any) -> Response:
        data = body(ShipBody, request)
        services.order_ship(order_id=order_id, tracking_number=data["tracking_number"].strip(),
                            actor=request.user)
        return _detail(order_id)


class OrderCancelApi(StaffApi):
    permissions = {"POST": "orders:write"}
    tag = "orders"

    @extend_schema(request=ReasonBody, responses=TRANSITION_RESPONSES)
    def post(self, request: Request, order_id: Any) -> Response:
        reason = body(ReasonBody, request)["reason"].strip()
        services.order_cancel(order_id=order_id, reason=reason, actor=request.user)
        return _detail(order_id)


class OrderRefundApi(StaffApi):
    permissions = {"POST": "orders:write"}
    tag = "orders"

    @extend_schema(request=ReasonBody, responses=TRANSITION_RESPONSES)
    def post(self, request: Request, order_id: Any) -> Response:
        reason = body(ReasonBody, request)["reason"].strip()
        services.order_refund(order_id=order_id, reason=reason, actor=request.user)
        return _detail(order_id)


class OrderDeliverApi(StaffApi):
    permissions = {"POST": "orders:write"}
    tag = "orders"

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    def post(self, request: Request, order_id: Any) -> Response:
        services.order_deliver(order_id=order_id, actor=request.user)
        return _detail(order_id)


class OrderNotesApi(StaffApi):
    permissions = {"POST": "orders:write"}
    tag = "orders"

    @extend_schema(request=NoteBody, responses={201: OrderNote, 404: Problem})
    def post(self, request: Request, order_id: Any) -> Response:
        note = services.order_note_add(order_id=order_id, text=body(NoteBody, request)["text"],
                                       actor=request.user)
        row = {name: getattr(note, name) for name in ("id", "author", "text", "created_at")}
        return Response(OrderNote(row).data, status=status.HTTP_201_CREATED)
