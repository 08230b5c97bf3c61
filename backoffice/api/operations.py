"""Customers, inventory, background jobs, the audit log and the local mailbox."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api import jobs_services, selectors_ops
from backoffice.api.base import StaffApi, body, page_of, paged_list, query
from backoffice.api.serializers import Problem
from backoffice.api.serializers_ops import (
    AdjustmentBody,
    AuditPage,
    AuditQuery,
    CustomerDetail,
    CustomerPage,
    CustomersQuery,
    InventoryQuery,
    JobsOverview,
    LedgerPage,
    LedgerQuery,
    Mail,
    MailboxQuery,
    MailPage,
    PoisonList,
    StockPage,
    StockRow,
)
from shop.core.errors import NotFound
from shop.inventory.services import stock_adjust

NOT_FOUND = {404: Problem}


class CustomersApi(StaffApi):
    permissions = {"GET": "customers:read"}
    tag = "customers"

    @extend_schema(parameters=[CustomersQuery], responses={200: CustomerPage})
    def get(self, request: Request) -> Response:
        params = query(CustomersQuery, request)
        page = page_of(params)
        return Response(CustomerPage(selectors_ops.customers_page(q=params.get("q"),
                                                                  page=page)).data)


class CustomerApi(StaffApi):
    permissions = {"GET": "customers:read"}
    tag = "customers"

    @extend_schema(responses={200: CustomerDetail, **NOT_FOUND})
    def get(self, request: Request, customer_id: int) -> Response:
        return Response(CustomerDetail(selectors_ops.customer_detail(
            customer_id=customer_id)).data)


class InventoryApi(StaffApi):
    permissions = {"GET": "inventory:read"}
    tag = "inventory"

    @extend_schema(parameters=[InventoryQuery], responses={200: StockPage})
    def get(self, request: Request) -> Response:
        params = query(InventoryQuery, request)
        page = page_of(params)
        return Response(StockPage(selectors_ops.stock_page(
            q=params.get("q"), warehouse=params.get("warehouse"),
            low_only=params.get("low_only", False), page=page)).data)


class AdjustmentsApi(StaffApi):
    """A delta with a reason, never an overwrite: an adjustment cannot undo a sale made while
    the operator was counting. 409 when on hand would fall below what is reserved."""

    permissions = {"POST": "inventory:write"}
    tag = "inventory"

    @extend_schema(request=AdjustmentBody, responses={200: StockRow, **NOT_FOUND,
                                                      409: Problem})
    def post(self, request: Request) -> Response:
        data = body(AdjustmentBody, request)
        stock_adjust(sku=data["sku"], warehouse_code=data["warehouse"], delta=data["delta"],
                     reason=data["reason"].strip(), actor=request.user)
        return Response(StockRow(selectors_ops.stock_row(sku=data["sku"],
                                                         warehouse=data["warehouse"])).data)


class LedgerApi(StaffApi):
    permissions = {"GET": "inventory:read"}
    tag = "inventory"

    @extend_schema(parameters=[LedgerQuery], responses={200: LedgerPage, **NOT_FOUND})
    def get(self, request: Request, sku: str) -> Response:
        page = page_of(query(LedgerQuery, request))
        return Response(LedgerPage(selectors_ops.ledger_page(sku=sku, page=page)).data)


class JobsApi(StaffApi):
    permissions = {"GET": "jobs:read"}
    tag = "jobs"

    @extend_schema(responses={200: JobsOverview})
    def get(self, request: Request) -> Response:
        return Response(JobsOverview(jobs_services.jobs_overview()).data)


class PoisonApi(StaffApi):
    permissions = {"GET": "jobs:read"}
    tag = "jobs"

    @extend_schema(responses={200: PoisonList, **NOT_FOUND})
    def get(self, request: Request, queue: str) -> Response:
        return Response(PoisonList({"items": jobs_services.poison_messages(queue=queue)}).data)


class PoisonRetryApi(StaffApi):
    permissions = {"POST": "jobs:write"}
    tag = "jobs"

    @extend_schema(request=None, responses={204: None, **NOT_FOUND})
    def post(self, request: Request, queue: str, message_id: str) -> Response:
        jobs_services.poison_message_retry(queue=queue, message_id=message_id,
                                           actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PoisonDiscardApi(StaffApi):
    permissions = {"POST": "jobs:write"}
    tag = "jobs"

    @extend_schema(request=None, responses={204: None, **NOT_FOUND})
    def post(self, request: Request, queue: str, message_id: str) -> Response:
        jobs_services.poison_message_discard(queue=queue, message_id=message_id,
                                             actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditApi(StaffApi):
    permissions = {"GET": "audit:read"}
    tag = "audit"

    @extend_schema(parameters=[AuditQuery], responses={200: AuditPage})
    def get(self, request: Request) -> Response:
        filters = query(AuditQuery, request)
        page = page_of(filters)
        return Response(AuditPage(selectors_ops.audit_page(filters=filters, page=page)).data)


# --- the local mailbox -------------------------------------------------------------------------

def _mails() -> list[Any]:
    if not settings.IS_LOCAL:
        raise NotFound("the mailbox exists only where mail is captured locally")
    from shop.notifications.capture import read_mailbox

    return read_mailbox(settings.MAIL_CAPTURE_DIR)


def _summary(mail: Any) -> dict[str, Any]:
    return {"id": mail.id, "subject": mail.subject, "to": mail.to, "date": mail.received_at}


def _html(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("html",))
    return str(part.get_content()) if part is not None else None


class MailboxApi(StaffApi):
    permissions = {"GET": "mailbox:read"}
    tag = "mailbox"

    @extend_schema(parameters=[MailboxQuery], responses={200: MailPage, **NOT_FOUND})
    def get(self, request: Request) -> Response:
        page = page_of(query(MailboxQuery, request))
        return Response(MailPage(paged_list([_summary(m) for m in _mails()], page)).data)


class MailApi(StaffApi):
    permissions = {"GET": "mailbox:read"}
    tag = "mailbox"

    @extend_schema(responses={200: Mail, **NOT_FOUND})
    def get(self, request: Request, message_id: str) -> Response:
        mail = next((m for m in _mails() if m.id == message_id), None)
        if mail is None:
            raise NotFound(f"there is no message {message_id}")
        return Response(Mail({**_summary(mail), "text": mail.text(),
                              "html": _html(mail.message)}).data)
