"""Orders: filtered list, CSV export, detail with its timeline, transitions and notes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from tienda.entrypoints.backoffice_api.auth import backoffice, requires
from tienda.entrypoints.backoffice_api.routes.common import paging
from tienda.entrypoints.backoffice_api.schemas import PageOf, Problem
from tienda.entrypoints.backoffice_api.schemas_ops import (
    NoteBody,
    OrderDetail,
    OrderNote,
    OrderRow,
    ReasonBody,
    ShipBody,
)
from tienda.service_layer.backoffice import orders
from tienda.service_layer.backoffice.auth import StaffIdentity
from tienda.service_layer.backoffice.ports import OrderFilters, PageRequest, Row

router = APIRouter(tags=["orders"])
OrderId = Annotated[str, Path(max_length=36)]
Status = Literal["pending", "confirmed", "shipped", "delivered", "cancelled", "refunded"]
Total = Annotated[int | None, Query(ge=0, le=10**12)]
TRANSITION_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem}, 409: {"model": Problem, "description": "not allowed now"}}
CSV_COLUMNS = ("number", "placed_at", "status", "email", "customer_id", "currency",
               "total_minor", "shipping_method", "tracking_number", "id")


def order_filters(status: Status | None = None,
                  from_: Annotated[date | None, Query(alias="from")] = None,
                  to: date | None = None,
                  customer: Annotated[str | None, Query(max_length=100,
                                                        description="e-mail contains")] = None,
                  min_total: Total = None, max_total: Total = None) -> OrderFilters:
    return OrderFilters(status, from_, to, customer, min_total, max_total)


@router.get("/api/orders", response_model=PageOf[OrderRow])
def list_orders(request: Request, filters: OrderFilters = Depends(order_filters),
                page: PageRequest = Depends(paging),
                _staff: StaffIdentity = requires("orders:read")) -> Any:
    return orders.list_orders(backoffice(request), filters, page)


@router.get("/api/orders/export.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}}})
def export_orders(request: Request, filters: OrderFilters = Depends(order_filters),
                  sort: Annotated[str | None, Query(max_length=40)] = None,
                  _staff: StaffIdentity = requires("orders:read")) -> StreamingResponse:
    rows = orders.export_orders(backoffice(request), filters, sort)
    first = next(rows, None)  # a bad sort fails here, as a 422, before streaming starts
    return StreamingResponse(_csv(first, rows), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="orders.csv"'})


def _csv(first: Row | None, rest: Iterator[Row]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    if first is not None:
        for row in _chain(first, rest):
            writer.writerow(row)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def _chain(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


@router.get("/api/orders/{order_id}", response_model=OrderDetail,
            responses={404: {"model": Problem}})
def order(order_id: OrderId, request: Request,
          _staff: StaffIdentity = requires("orders:read")) -> Any:
    return orders.order_detail(backoffice(request), order_id)


@router.post("/api/orders/{order_id}/ship", response_model=OrderDetail,
             responses=TRANSITION_RESPONSES)
def ship(order_id: OrderId, body: ShipBody, request: Request,
         staff: StaffIdentity = requires("orders:write")) -> Any:
    return orders.ship(backoffice(request), staff.email, order_id, body.tracking_number)


@router.post("/api/orders/{order_id}/cancel", response_model=OrderDetail,
             responses=TRANSITION_RESPONSES)
def cancel(order_id: OrderId, body: ReasonBody, request: Request,
           staff: StaffIdentity = requires("orders:write")) -> Any:
    return orders.cancel(backoffice(request), staff.email, order_id, body.reason)


@router.post("/api/orders/{order_id}/refund", response_model=OrderDetail,
             responses=TRANSITION_RESPONSES)
def refund(order_id: OrderId, body: ReasonBody, request: Request,
           staff: StaffIdentity = requires("orders:write")) -> Any:
    return orders.refund(backoffice(request), staff.email, order_id, body.reason)


@router.post("/api/orders/{order_id}/deliver", response_model=OrderDetail,
             responses=TRANSITION_RESPONSES)
def deliver(order_id: OrderId, request: Request,
            staff: StaffIdentity = requires("orders:write")) -> Any:
    return orders.deliver(backoffice(request), staff.email, order_id)


@router.post("/api/orders/{order_id}/notes", response_model=OrderNote, status_code=201,
             responses={404: {"model": Problem}})
def add_note(order_id: OrderId, body: NoteBody, request: Request,
             staff: StaffIdentity = requires("orders:write")) -> Any:
    return orders.add_note(backoffice(request), staff.email, order_id, body.text)
