"""Every API route x every role and anonymous gets the expected 401/403/2xx (legacy
test_authorization_matrix).

The matrix is the URL conf itself: each view's declared permission and the role table
(backoffice.roles.ROLE_PERMISSIONS) decide the expected answer, and each route needs a sample
request below. A new route without a declared permission, or without a sample, fails here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from backoffice.roles import PERMISSIONS, PUBLIC, ROLE_PERMISSIONS, SIGNED_IN
from shop.catalog.models import ProductImage
from tests.backoffice.api.builders import ROLES, SKU, World, email_of, png_bytes
from tests.backoffice.api.helpers import poison_message, temp_staff
from tests.backoffice.api.routes import (
    URLCONF,
    Route,
    a_campaign_in,
    api_routes,
    campaign_body,
    inventory_job_samples,
)
from tests.backoffice.builders import PASSWORD

pytestmark = [pytest.mark.urls(URLCONF)]


@dataclass
class Call:
    path: str
    json: Any = None
    files: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _product_body(w: World) -> dict[str, Any]:
    return {"category_id": w.category.pk, "name_es": f"Camiseta {_serial()}", "name_en": "Tee",
            "is_published": True}


_counter = iter(range(1, 10**6))


def _serial() -> int:
    return next(_counter)


def _variant_body(sku: str | None = None) -> dict[str, Any]:
    return {"sku": sku or f"NEW-{_serial()}", "attributes": {"talla": "L"}, "price_minor": 2500,
            "cost_minor": 900, "currency": "EUR"}


def _edit_product(w: World) -> Call:
    w.product.refresh_from_db()
    return Call(f"/api/products/{w.product.pk}",
                json={**_product_body(w), "slug": "producto-1"},
                headers={"HTTP_IF_MATCH": f'"{w.product.version}"'})


def _edit_variant(w: World) -> Call:
    w.variant.refresh_from_db()
    return Call(f"/api/variants/{w.variant.pk}", json=_variant_body(SKU),
                headers={"HTTP_IF_MATCH": f'"{w.variant.version}"'})


def _image(w: World) -> int:
    return ProductImage.objects.create(product=w.product, blob_key="products/x/a.jpg",
                                       thumbnail_key="products/x/a-thumb.jpg",
                                       content_type="image/jpeg", width=1, height=1).pk


def _upload(w: World) -> Call:
    return Call(f"/api/products/{w.product.pk}/images",
                files={"file": SimpleUploadedFile("a.png", png_bytes(), "image/png")})


def _poison(action: str) -> Call:
    return Call(f"/api/jobs/poison/notifications/{poison_message('notifications')}/{action}")


def _report(path: str) -> Callable[[World], Call]:
    def sample(w: World) -> Call:
        w.load_warehouse()
        return Call(path)
    return sample


REPORT_NAMES = ("kpis", "sales-over-time", "sales-by", "new-vs-returning", "cohorts", "rfm",
                "abc", "days-of-inventory", "sell-through", "stock-outs")
SAMPLES: dict[tuple[str, str], Callable[[World], Call]] = {
    ("GET", "/healthz"): lambda w: Call("/healthz"),
    ("POST", "/api/auth/login"): lambda w: Call(
        "/api/auth/login", json={"email": email_of("viewer"), "password": PASSWORD}),
    ("POST", "/api/auth/logout"): lambda w: Call("/api/auth/logout"),
    ("GET", "/api/auth/me"): lambda w: Call("/api/auth/me"),
    ("GET", "/api/staff"): lambda w: Call("/api/staff"),
    ("POST", "/api/staff"): lambda w: Call("/api/staff", json={
        "email": f"new{_serial()}@tienda.test", "name": "New", "role": "viewer",
        "password": "a long enough password"}),
    ("PUT", "/api/staff/{staff_id}"): lambda w: Call(
        f"/api/staff/{temp_staff()}", json={"role": "support", "is_active": True}),
    ("GET", "/api/products"): lambda w: Call("/api/products?q=camiseta&sort=-updated_at"),
    ("POST", "/api/products"): lambda w: Call("/api/products", json=_product_body(w)),
    ("GET", "/api/products/{product_id}"): lambda w: Call(f"/api/products/{w.product.pk}"),
    ("PUT", "/api/products/{product_id}"): _edit_product,
    ("POST", "/api/products/bulk"): lambda w: Call(
        "/api/products/bulk", json={"ids": [w.product.pk], "action": "feature"}),
    ("POST", "/api/products/{product_id}/variants"): lambda w: Call(
        f"/api/products/{w.product.pk}/variants", json=_variant_body()),
    ("PUT", "/api/variants/{variant_id}"): _edit_variant,
    ("POST", "/api/products/{product_id}/images"): _upload,
    ("DELETE", "/api/images/{image_id}"): lambda w: Call(f"/api/images/{_image(w)}"),
    ("GET", "/api/categories"): lambda w: Call("/api/categories"),
    ("POST", "/api/categories"): lambda w: Call("/api/categories", json={
        "name_es": f"Hogar {_serial()}", "name_en": "Home"}),
    ("PUT", "/api/categories/{category_id}"): lambda w: Call(
        f"/api/categories/{w.category.pk}", json={"slug": "ropa", "name_es": "Ropa",
                                                   "name_en": "Clothes"}),
    ("GET", "/api/orders"): lambda w: Call("/api/orders?status=confirmed&sort=-total"),
    ("GET", "/api/orders/export.csv"): lambda w: Call("/api/orders/export.csv"),
    ("GET", "/api/orders/{order_id}"): lambda w: Call(f"/api/orders/{w.order('pending')}"),
    ("POST", "/api/orders/{order_id}/ship"): lambda w: Call(
        f"/api/orders/{w.order()}/ship", json={"tracking_number": "1Z999"}),
    ("POST", "/api/orders/{order_id}/cancel"): lambda w: Call(
        f"/api/orders/{w.order()}/cancel", json={"reason": "customer asked"}),
    ("POST", "/api/orders/{order_id}/refund"): lambda w: Call(
        f"/api/orders/{w.order()}/refund", json={"reason": "damaged"}),
    ("POST", "/api/orders/{order_id}/deliver"): lambda w: Call(
        f"/api/orders/{w.order('shipped')}/deliver"),
    ("POST", "/api/orders/{order_id}/notes"): lambda w: Call(
        f"/api/orders/{w.order('pending')}/notes", json={"text": "called the customer"}),
    ("GET", "/api/customers"): lambda w: Call("/api/customers?q=ana"),
    ("GET", "/api/customers/{customer_id}"): lambda w: Call(f"/api/customers/{w.customer.pk}"),
    ("GET", "/api/inventory"): lambda w: Call("/api/inventory?warehouse=MAD"),
    ("POST", "/api/inventory/adjustments"): lambda w: Call(
        "/api/inventory/adjustments", json={"sku": SKU, "warehouse": "MAD", "delta": 1,
                                            "reason": "found one"}),
    ("GET", "/api/inventory/{sku}/ledger"): lambda w: Call(f"/api/inventory/{SKU}/ledger"),
    ("GET", "/api/jobs"): lambda w: Call("/api/jobs"),
    ("GET", "/api/jobs/poison/{queue}"): lambda w: Call("/api/jobs/poison/notifications"),
    ("POST", "/api/jobs/poison/{queue}/{message_id}/retry"): lambda w: _poison("retry"),
    ("POST", "/api/jobs/poison/{queue}/{message_id}/discard"): lambda w: _poison("discard"),
    ("GET", "/api/audit"): lambda w: Call("/api/audit?entity=product"),
    ("GET", "/api/mailbox"): lambda w: Call("/api/mailbox"),
    ("GET", "/api/mailbox/{message_id}"): lambda w: Call(f"/api/mailbox/{w.mail_id}"),
    **{("GET", f"/api/reports/{name}"): _report(f"/api/reports/{name}?from=2026-01-01"
                                                  "&to=2026-01-31") for name in REPORT_NAMES},
    ("GET", "/api/reports/reconciliation"): _report("/api/reports/reconciliation"),
    ("GET", "/api/campaigns"): lambda w: Call("/api/campaigns?status=draft"),
    ("POST", "/api/campaigns"): lambda w: Call("/api/campaigns", json=campaign_body()),
    ("GET", "/api/campaigns/{campaign_id}"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}"),
    ("PUT", "/api/campaigns/{campaign_id}"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}", json=campaign_body(),
        headers={"HTTP_IF_MATCH": '"1"'}),
    ("POST", "/api/campaigns/segment-count"): lambda w: Call(
        "/api/campaigns/segment-count", json={"segment": {"language": "es"}}),
    ("GET", "/api/campaigns/rfm-segments"): lambda w: Call("/api/campaigns/rfm-segments"),
    ("GET", "/api/campaigns/{campaign_id}/preview"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}/preview?locale=en"),
    ("POST", "/api/campaigns/{campaign_id}/test-send"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}/test-send", json={"locale": "es"}),
    ("POST", "/api/campaigns/{campaign_id}/send"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}/send", json={"scheduled_at": None}),
    ("POST", "/api/campaigns/{campaign_id}/pause"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('sending')}/pause"),
    ("POST", "/api/campaigns/{campaign_id}/resume"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('paused')}/resume"),
    ("POST", "/api/campaigns/{campaign_id}/cancel"): lambda w: Call(
        f"/api/campaigns/{a_campaign_in('draft')}/cancel"),
    **{key: (lambda w, build=build: Call(**build(w)))
       for key, build in inventory_job_samples().items()},
}


def test_every_route_declares_a_known_permission_and_has_a_matrix_sample():
    problems = []
    for route in api_routes():
        if route.permission not in (*PERMISSIONS, PUBLIC, SIGNED_IN):
            problems.append(f"{route.pattern} declares no known permission: {route.permission}")
        if (route.method, route.path) not in SAMPLES:
            problems.append(f"{route.method} {route.path} has no sample in the matrix")

    assert problems == []
    assert len(api_routes()) == len(SAMPLES) == 71


def test_the_openapi_document_has_every_route_with_its_permission():
    schema = SchemaGenerator(urlconf=URLCONF).get_schema(request=None, public=True)

    documented = {(method.upper(), path, operation["x-permission"])
                  for path, item in schema["paths"].items() for method, operation in item.items()}

    assert documented == {(r.method, r.path, r.permission) for r in api_routes()
                          if r.path != "/healthz"}


def _expected(permission: str, role: str | None) -> str:
    if permission == PUBLIC:
        return "2xx"
    if role is None:
        return "401"
    if permission == SIGNED_IN:
        return "2xx"
    return "2xx" if permission in ROLE_PERMISSIONS[role] else "403"


def _send(client: Client, method: str, call: Call) -> Any:
    if call.files is not None:
        return client.post(call.path, call.files, **call.headers)
    return client.generic(method, call.path, data=_json(call.json),
                          content_type="application/json", **call.headers)


def _json(value: Any) -> str:
    import json

    return json.dumps(value) if value is not None else ""


def _answer(world: World, route: Route, role: str | None) -> int:
    client = world.client(role)  # a new session each time: a sign-out ends only its own
    if _expected(route.permission or "", role) != "2xx":
        # refused before the body or the path is even looked at
        return _send(client, route.method, Call(route.placeholder_path())).status_code
    response = _send(client, route.method, SAMPLES[(route.method, route.path)](world))
    assert response.status_code < 300 or response.status_code >= 400, response.content
    return response.status_code


@pytest.mark.azurite
@pytest.mark.django_db(transaction=True)  # the ETL reads the source on a thread
def test_every_route_answers_every_role_and_anonymous_as_the_permission_table_says(
        world, azurite, captured_mail, transactional_db, warehouse):
    world.mail_id, world.load_warehouse = captured_mail, warehouse
    mismatches = []
    for route in api_routes():
        for role in (None, *ROLES):
            expected = _expected(route.permission or "", role)
            status = _answer(world, route, role)
            got = "2xx" if 200 <= status < 300 else str(status)
            if got != expected:
                mismatches.append(f"{route.method} {route.path} as {role or 'anonymous'}: "
                                  f"expected {expected}, got {status}")

    assert mismatches == []
