"""What every staff API view shares: the session authentication, the one permission each
operation declares (`permissions = {"GET": "catalog:read", ...}`, shown in OpenAPI as
`x-permission` and read back by the role-matrix test), paging, sort whitelists, ETag/If-Match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import DataError
from django.db.models import F, QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backoffice.roles import HasPermission, is_active_staff
from shop.core.errors import PreconditionRequired, ShopError, StaleEdit

MAX_PAGE = 100_000
MAX_ID = 2_147_483_647
_VERSION = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


class StaffSessionAuthentication(SessionAuthentication):
    """Django's session, for staff only: a shopper's session is no backoffice session. CSRF is
    enforced on writes by SessionAuthentication (the SPA sends X-CSRFToken)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        found = super().authenticate(request)
        if found is None or not is_active_staff(found[0]):
            return None
        return found


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = StaffSessionAuthentication
    name = "staffSession"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "Set by POST /api/auth/login"}


class StaffSchema(AutoSchema):
    """Adds `x-permission` (the operation's declared permission) to every operation, and names
    operations after their view (`products_get`, `order_ship_post`)."""

    def get_operation_id(self) -> str:
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(self.view).__name__.removesuffix("Api"))
        return f"{name.lower()}_{self.method.lower()}"

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["x-permission"] = self.view.permissions[self.method.upper()]
        return operation

    def _get_serializer_name(self, serializer: Any, direction: str,
                             bypass_extensions: bool = False) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        # Bodies that are only ever sent keep the legacy component names (`ProductBody`, not
        # `ProductBodyRequest`) that the SPA's generated client refers to.
        if direction == "request" and getattr(serializer, "request_only", False):
            return name.removesuffix("Request")
        return name

    def get_tags(self) -> list[str]:
        return [getattr(self.view, "tag", "backoffice")]


class StaffApi(APIView):
    """Base of every staff API view. `permissions` maps each HTTP method the view serves to the
    one permission it requires; a method without an entry is not served."""

    authentication_classes = [StaffSessionAuthentication]
    permissions: ClassVar[dict[str, str]] = {}
    schema = StaffSchema()
    tag = "backoffice"

    def get_permissions(self) -> list[Any]:
        method = "GET" if self.request.method == "HEAD" else self.request.method or ""
        declared = self.permissions.get(method)
        if declared is None:  # never served without a declared permission, not even OPTIONS
            raise exceptions.MethodNotAllowed(self.request.method or "")
        return [HasPermission(declared)()]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DataError):
            # e.g. a number out of the column's range that the database refuses to compare.
            exc = ShopError("a value cannot be stored or searched for (out of range or "
                            "unusual characters)")
        return super().handle_exception(exc)


# --- query parameters --------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    page: int
    per_page: int
    sort: str | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=100, default=25)


class SortedPageQuery(PageQuery):
    sort = serializers.CharField(max_length=40, required=False,
                                 help_text="a field, - for descending")


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The validated query parameters (422 naming the problem otherwise)."""
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def page_of(values: dict[str, Any]) -> Page:
    return Page(values.pop("page", 1), values.pop("per_page", 25), values.pop("sort", None))


def ordered(rows: QuerySet[Any], sort: str | None, columns: dict[str, str], default: str,
            tiebreak: str) -> QuerySet[Any]:
    """`sort` like `-placed_at` or `total`, among `columns` (API name → ORM lookup)."""
    wanted = sort or default
    name = wanted.removeprefix("-")
    if name not in columns:
        raise ShopError(f"cannot sort by {name!r}; choose one of "
                        f"{', '.join(sorted(columns))} (prefix - for descending)")
    column = F(columns[name])
    first = column.desc() if wanted.startswith("-") else column.asc()
    return rows.order_by(first, tiebreak)


def paged(rows: QuerySet[Any], page: Page, item: Any) -> dict[str, Any]:
    """`{items, total, page, per_page}` with `item(row)` for each row of the page."""
    window = rows[page.offset:page.offset + page.per_page]
    return {"items": [item(row) for row in window], "total": rows.count(), "page": page.page,
            "per_page": page.per_page}


def paged_list(rows: list[Any], page: Page) -> dict[str, Any]:
    return {"items": rows[page.offset:page.offset + page.per_page], "total": len(rows),
            "page": page.page, "per_page": page.per_page}


# --- optimistic concurrency --------------------------------------------------------------------

def expected_version(if_match: str | None) -> int:
    """The version named by an If-Match header (`"3"`, `W/"3"` or `3`)."""
    if not if_match:
        raise PreconditionRequired("send If-Match with the ETag of the version you edited")
    match = _VERSION.match(if_match.strip())
    if match is None:
        raise StaleEdit(f"If-Match {if_match!r} names no version; reload and try again", 0)
    return int(match.group(1))


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = f'"{version}"'
    return response
