"""Customers, inventory, background jobs, the audit log and the local mailbox."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from tienda.entrypoints.backoffice_api.auth import backoffice, requires
from tienda.entrypoints.backoffice_api.routes.common import page_only, paging
from tienda.entrypoints.backoffice_api.schemas import PageOf, Problem
from tienda.entrypoints.backoffice_api.schemas_ops import (
    AdjustmentBody,
    AuditEntry,
    CustomerDetail,
    CustomerRow,
    JobsOverview,
    LedgerEntry,
    Mail,
    MailSummary,
    PoisonList,
    StockRow,
)
from tienda.service_layer.backoffice import inventory, jobs, people
from tienda.service_layer.backoffice.auth import StaffIdentity
from tienda.service_layer.backoffice.ports import AuditFilters, PageRequest

router = APIRouter()
Text = Annotated[str | None, Query(max_length=100)]
Name = Annotated[str, Path(max_length=64)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


@router.get("/api/customers", response_model=PageOf[CustomerRow], tags=["customers"])
def customers(request: Request, q: Text = None, page: PageRequest = Depends(paging),
              _staff: StaffIdentity = requires("customers:read")) -> Any:
    return people.list_customers(backoffice(request), q, page)


@router.get("/api/customers/{customer_id}", response_model=CustomerDetail,
            tags=["customers"], responses=NOT_FOUND)
def customer(customer_id: Annotated[int, Path(ge=1, le=2_147_483_647)], request: Request,
             _staff: StaffIdentity = requires("customers:read")) -> Any:
    return people.customer_detail(backoffice(request), customer_id)


@router.get("/api/inventory", response_model=PageOf[StockRow], tags=["inventory"])
def stock(request: Request, q: Text = None,
          warehouse: Annotated[str | None, Query(max_length=20)] = None,
          low_only: bool = False, page: PageRequest = Depends(paging),
          _staff: StaffIdentity = requires("inventory:read")) -> Any:
    return inventory.list_levels(backoffice(request), q, warehouse, low_only, page)


@router.post("/api/inventory/adjustments", response_model=StockRow, tags=["inventory"],
             responses={**NOT_FOUND, 409: {"model": Problem}})
def adjust(body: AdjustmentBody, request: Request,
           staff: StaffIdentity = requires("inventory:write")) -> Any:
    return inventory.adjust(backoffice(request), staff.email, body.sku, body.warehouse,
                            body.delta, body.reason)


@router.get("/api/inventory/{sku}/ledger", response_model=PageOf[LedgerEntry],
            tags=["inventory"], responses=NOT_FOUND)
def ledger(sku: Name, request: Request, page: PageRequest = Depends(paging),
           _staff: StaffIdentity = requires("inventory:read")) -> Any:
    return inventory.ledger(backoffice(request), sku, page)


@router.get("/api/jobs", response_model=JobsOverview, tags=["jobs"])
def jobs_overview(request: Request, _staff: StaffIdentity = requires("jobs:read")) -> Any:
    return jobs.overview(backoffice(request))


@router.get("/api/jobs/poison/{queue}", response_model=PoisonList, tags=["jobs"],
            responses=NOT_FOUND)
def poison(queue: Name, request: Request, _staff: StaffIdentity = requires("jobs:read")
           ) -> Any:
    return {"items": jobs.poison_messages(backoffice(request), queue)}


@router.post("/api/jobs/poison/{queue}/{message_id}/retry", status_code=204, tags=["jobs"],
             responses=NOT_FOUND)
def retry(queue: Name, message_id: Name, request: Request,
          staff: StaffIdentity = requires("jobs:write")) -> Response:
    jobs.retry_poison(backoffice(request), staff.email, queue, message_id)
    return Response(status_code=204)


@router.post("/api/jobs/poison/{queue}/{message_id}/discard", status_code=204, tags=["jobs"],
             responses=NOT_FOUND)
def discard(queue: Name, message_id: Name, request: Request,
            staff: StaffIdentity = requires("jobs:write")) -> Response:
    jobs.discard_poison(backoffice(request), staff.email, queue, message_id)
    return Response(status_code=204)


@router.get("/api/audit", response_model=PageOf[AuditEntry], tags=["audit"])
def audit(request: Request, actor: Text = None,
          entity: Annotated[str | None, Query(max_length=60)] = None,
          action: Annotated[str | None, Query(max_length=60)] = None,
          from_: Annotated[date | None, Query(alias="from")] = None, to: date | None = None,
          page: PageRequest = Depends(paging),
          _staff: StaffIdentity = requires("audit:read")) -> Any:
    filters = AuditFilters(actor, entity, action, from_, to)
    return people.audit_entries(backoffice(request), filters, page)


@router.get("/api/mailbox", response_model=PageOf[MailSummary], tags=["mailbox"],
            responses=NOT_FOUND)
def mailbox(request: Request, page: PageRequest = Depends(page_only),
            _staff: StaffIdentity = requires("mailbox:read")) -> Any:
    return jobs.mailbox_page(backoffice(request), page)


@router.get("/api/mailbox/{message_id}", response_model=Mail, tags=["mailbox"],
            responses=NOT_FOUND)
def mail(message_id: Annotated[str, Path(max_length=80)], request: Request,
         _staff: StaffIdentity = requires("mailbox:read")) -> Any:
    return jobs.mail(backoffice(request), message_id)
