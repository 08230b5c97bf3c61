"""Acceptance 1: every API route x every role and anonymous gets the expected 401/403/2xx.

The matrix is the route table itself: each route's declared permission and the role table
decide the expected answer, and each route needs a sample request below. A new route without a
declared permission, or without a sample, fails this suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import APIRoute

from tests.integration.backoffice.world import ROLES, SKU, World, email_of, png_bytes, sign_in
from tienda.adapters.db.tables import products, variants
from tienda.entrypoints.backoffice_api.app import api_routes, create_app
from tienda.entrypoints.backoffice_api.auth import declared_permission
from tienda.service_layer.backoffice.permissions import PERMISSIONS, PUBLIC, SIGNED_IN, allows

pytestmark = pytest.mark.azurite


@dataclass
class Call:
    path: str
    json: Any = None
    files: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    fresh_session: bool = False


def _product_body(world: World) -> dict[str, Any]:
    return {"category_id": world.category_id, "name_es": f"Camiseta {world.unique()}",
            "name_en": "T-shirt", "description_es": "", "description_en": "",
            "is_published": True, "is_featured": False}


def _variant_body(world: World, sku: str | None = None) -> dict[str, Any]:
    return {"sku": sku or f"NEW-{world.unique()}", "attributes": {"talla": "L"},
            "price_minor": 2500, "cost_minor": 900, "currency": "EUR"}


def _edit_product(w: World) -> Call:
    return Call(f"/api/products/{w.product_id}", json={**_product_body(w), "slug": "producto-1"},
                headers={"If-Match": f'"{w.version(products, w.product_id)}"'})


def _edit_variant(w: World) -> Call:
    return Call(f"/api/variants/{w.variant_id}", json=_variant_body(w, SKU),
                headers={"If-Match": f'"{w.version(variants, w.variant_id)}"'})


def _poison(w: World, action: str) -> Call:
    queue = w.tienda.settings.queue_notifications
    return Call(f"/api/jobs/poison/{queue}/{w.poison_message()}/{action}")


def _report(w: World, path: str) -> Call:
    w.warehouse_loaded()
    return Call(path)


SAMPLES: dict[tuple[str, str], Callable[[World], Call]] = {
    ("GET", "/healthz"): lambda w: Call("/healthz"),
    ("POST", "/api/auth/login"): lambda w: Call(
        "/api/auth/login", json={"email": email_of("viewer"), "password": "correct horse battery"}),
    ("POST", "/api/auth/logout"): lambda w: Call("/api/auth/logout", fresh_session=True),
    ("GET", "/api/auth/me"): lambda w: Call("/api/auth/me"),
    ("GET", "/api/staff"): lambda w: Call("/api/staff"),
    ("POST", "/api/staff"): lambda w: Call("/api/staff", json={
        "email": f"new{w.unique()}@tienda.test", "name": "New", "role": "viewer",
        "password": "a long enough password"}),
    ("PUT", "/api/staff/{staff_id}"): lambda w: Call(
        f"/api/staff/{w.staff_member()}", json={"role": "support", "is_active": True}),
    ("GET", "/api/products"): lambda w: Call("/api/products?q=camiseta&sort=-updated_at"),
    ("POST", "/api/products"): lambda w: Call("/api/products", json=_product_body(w)),
    ("GET", "/api/products/{product_id}"): lambda w: Call(f"/api/products/{w.product_id}"),
    ("PUT", "/api/products/{product_id}"): _edit_product,
    ("POST", "/api/products/bulk"): lambda w: Call(
        "/api/products/bulk", json={"ids": [w.product_id], "action": "feature"}),
    ("POST", "/api/products/{product_id}/variants"): lambda w: Call(
        f"/api/products/{w.product_id}/variants", json=_variant_body(w)),
    ("PUT", "/api/variants/{variant_id}"): _edit_variant,
    ("POST", "/api/products/{product_id}/images"): lambda w: Call(
        f"/api/products/{w.product_id}/images", files={"file": ("a.png", png_bytes(),
                                                                "image/png")}),
    ("DELETE", "/api/images/{image_id}"): lambda w: Call(f"/api/images/{w.image()}"),
    ("GET", "/api/categories"): lambda w: Call("/api/categories"),
    ("POST", "/api/categories"): lambda w: Call("/api/categories", json={
        "name_es": f"Hogar {w.unique()}", "name_en": "Home"}),
    ("PUT", "/api/categories/{category_id}"): lambda w: Call(
        f"/api/categories/{w.category_id}", json={"slug": "ropa", "name_es": "Ropa",
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
    ("GET", "/api/customers/{customer_id}"): lambda w: Call(f"/api/customers/{w.customer_id}"),
    ("GET", "/api/inventory"): lambda w: Call("/api/inventory?warehouse=MAD"),
    ("POST", "/api/inventory/adjustments"): lambda w: Call(
        "/api/inventory/adjustments", json={"sku": SKU, "warehouse": "MAD", "delta": 1,
                                            "reason": "found one"}),
    ("GET", "/api/inventory/{sku}/ledger"): lambda w: Call(f"/api/inventory/{SKU}/ledger"),
    ("GET", "/api/jobs"): lambda w: Call("/api/jobs"),
    ("GET", "/api/jobs/poison/{queue}"): lambda w: Call(
        f"/api/jobs/poison/{w.tienda.settings.queue_notifications}"),
    ("POST", "/api/jobs/poison/{queue}/{message_id}/retry"): lambda w: _poison(w, "retry"),
    ("POST", "/api/jobs/poison/{queue}/{message_id}/discard"): lambda w: _poison(w, "discard"),
    ("GET", "/api/audit"): lambda w: Call("/api/audit?entity=product"),
    ("GET", "/api/mailbox"): lambda w: Call("/api/mailbox"),
    ("GET", "/api/mailbox/{message_id}"): lambda w: Call(f"/api/mailbox/{w.mail_id}"),
    **{("GET", f"/api/reports/{name}"): (lambda path: lambda w: _report(w, path))(
        f"/api/reports/{name}?from=2026-01-01&to=2026-01-31")
       for name in ("kpis", "sales-over-time", "sales-by", "new-vs-returning", "cohorts", "rfm",
                    "abc", "days-of-inventory", "sell-through", "stock-outs")},
    ("GET", "/api/reports/reconciliation"): lambda w: _report(w, "/api/reports/reconciliation"),
}


def _operations() -> list[tuple[str, APIRoute]]:
    return [(method, route) for route in api_routes() for method in sorted(route.methods)]


def test_every_route_declares_a_known_permission_and_has_a_matrix_sample():
    problems = []
    for method, route in _operations():
        permission = declared_permission(route)
        if permission not in (*PERMISSIONS, PUBLIC, SIGNED_IN):
            problems.append(f"{method} {route.path} declares no known permission: {permission}")
        if (method, route.path) not in SAMPLES:
            problems.append(f"{method} {route.path} has no sample in the authorization matrix")

    assert problems == []
    assert len(_operations()) == len(SAMPLES)


def test_the_route_table_is_everything_the_app_serves(settings):
    app = create_app(settings)

    served = {(method.upper(), path) for path, item in app.openapi()["paths"].items()
              for method in item}

    assert served == {(method, route.path) for method, route in _operations()}


def _expected(permission: str, role: str | None) -> str:
    if permission == PUBLIC:
        return "2xx"
    if role is None:
        return "401"
    return "2xx" if allows(role, permission) else "403"


def _answer(world: World, method: str, route: APIRoute, role: str | None) -> int:
    expected = _expected(declared_permission(route) or "", role)
    if expected != "2xx":  # refused before the body or the path is even looked at
        path = route.path.replace("{", "").replace("}", "")
        return world.client.request(method, path, json={}, headers=world.auth(role)).status_code
    call = SAMPLES[(method, route.path)](world)
    headers = {**call.headers, **world.auth(role)}
    if call.fresh_session and role is not None:
        headers["Cookie"] = f"tienda_staff_session={sign_in(world.client, role)}"
    response = world.client.request(method, call.path, json=call.json, files=call.files,
                                    headers=headers)
    world.client.cookies.clear()  # a sign-in answer must not sign in the next request
    assert response.status_code < 300 or response.status_code >= 400, response.text
    return response.status_code


def test_every_route_answers_every_role_and_anonymous_as_the_permission_table_says(world):
    mismatches = []
    for method, route in _operations():
        for role in (None, *ROLES):
            expected = _expected(declared_permission(route) or "", role)
            status = _answer(world, method, route, role)
            got = "2xx" if 200 <= status < 300 else str(status)
            if got != expected:
                mismatches.append(f"{method} {route.path} as {role or 'anonymous'}: "
                                  f"expected {expected}, got {status}")

    assert mismatches == []
