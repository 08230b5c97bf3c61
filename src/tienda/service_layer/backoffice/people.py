"""Customers, the staff list and the audit log: read-only views."""

from __future__ import annotations

from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.errors import InvalidInput, NotFound
from tienda.service_layer.backoffice.ports import AuditFilters, Page, PageRequest, Row


def list_customers(bo: Backoffice, q: str | None, page: PageRequest) -> Page:
    return bo.customers.customers(q, page)


def customer_detail(bo: Backoffice, customer_id: int) -> Row:
    detail = bo.customers.customer_detail(customer_id)
    if detail is None:
        raise NotFound(f"there is no customer {customer_id}")
    return detail


def list_staff(bo: Backoffice) -> list[Row]:
    return bo.staff.staff()


def audit_entries(bo: Backoffice, filters: AuditFilters, page: PageRequest) -> Page:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("'from' must not be after 'to'")
    return bo.audit.entries(filters, page)
