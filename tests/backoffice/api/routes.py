"""The staff API's route table, read from the URL conf: every (method, route) with the
permission its view declares. The role-matrix and schema tests derive their cases from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from backoffice.roles import PUBLIC

URLCONF = "shop.urls.backoffice"
# A value for each path converter, for requests that are refused before the view runs.
# Included URL confs that are not the API: the staff SPA's client-side routes.
NOT_API = {"backoffice.spa_views"}
PLACEHOLDERS = {"id": "1", "uuid": str(uuid.UUID(int=1)), "name": "x", "str": "x"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str            # as in OpenAPI: /api/products/{product_id}
    pattern: str         # as in the URL conf: /api/products/<id:product_id>
    permission: str | None

    def placeholder_path(self) -> str:
        path = self.pattern
        for converter, value in PLACEHOLDERS.items():
            while f"<{converter}:" in path:
                start = path.index(f"<{converter}:")
                path = path[:start] + value + path[path.index(">", start) + 1:]
        return path


def _openapi_path(pattern: str) -> str:
    out, rest = "", pattern
    while "<" in rest:
        before, _, after = rest.partition("<")
        inside, _, rest = after.partition(">")
        out += before + "{" + inside.split(":")[-1] + "}"
    return out + rest


def _walk(patterns: list, prefix: str = "/") -> list[tuple[str, object]]:  # type: ignore[type-arg]
    found: list[tuple[str, object]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", entry.urlconf_name)
            if entry.app_name == "admin" or module in NOT_API:
                continue  # the Django admin and the SPA's pages have their own tests
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def api_routes() -> list[Route]:
    routes = []
    for pattern, callback in _walk(get_resolver(URLCONF).url_patterns):
        view_class = getattr(callback, "view_class", None)
        declared = getattr(view_class, "permissions", None)
        if pattern == "/healthz":
            routes.append(Route("GET", pattern, pattern, PUBLIC))
        elif not declared:
            routes.append(Route("?", _openapi_path(pattern), pattern, None))
        else:
            routes += [Route(method, _openapi_path(pattern), pattern, permission)
                       for method, permission in declared.items()]
    return routes


# --- campaigns: request bodies and campaigns in a given state, for the matrix's samples -------

def campaign_body() -> dict[str, object]:
    return {"name": "Rebajas", "subject_es": "Rebajas", "subject_en": "Sale",
            "body_es": "Hola", "body_en": "Hello", "segment": {"language": "es"}}


def a_campaign_in(status: str) -> int:
    """A new campaign taken to `status` (draft, sending or paused) through its services."""
    from shop.campaigns import services

    campaign = services.campaign_create(values=campaign_body(), actor="matrix@tienda.test")
    if status in ("sending", "paused"):
        services.campaign_send(campaign_id=campaign.pk, scheduled_at=None, actor="matrix")
    if status == "paused":
        services.campaign_pause(campaign_id=campaign.pk, actor="matrix")
    return campaign.pk


# --- request samples of the inventory-job routes (issue 13), for the role matrix ---------------

def _checked_inventory_job(world) -> int:  # type: ignore[no-untyped-def]
    """A stock import of the world's SKU whose dry run is done: ready to apply."""
    from django.db import transaction

    from shop.inventory.job_runs import inventory_job_dry_run
    from shop.inventory.jobs import inventory_job_create

    job = inventory_job_create(data=b"sku,warehouse,quantity\nTEE-M,MAD,5\n",
                               file_name="matrix.csv", mode="add", actor=world.staff["admin"])
    with transaction.atomic():  # as the worker's runner does
        inventory_job_dry_run(job_id=job.pk)
    return job.pk


def inventory_job_samples() -> dict[tuple[str, str], object]:
    """(method, path) → a builder of the request's keyword arguments (path, json, files)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(world) -> dict[str, object]:  # type: ignore[no-untyped-def]
        data = b"sku,warehouse,quantity\nTEE-M,MAD,5\n"
        return {"path": "/api/inventory/jobs",
                "files": {"file": SimpleUploadedFile("s.csv", data, "text/csv"), "mode": "add"}}

    lines = [{"sku": "TEE-M", "quantity": 1}]
    return {
        ("GET", "/api/inventory/jobs"): lambda w: {"path": "/api/inventory/jobs?status=done"},
        ("POST", "/api/inventory/jobs"): upload,
        ("GET", "/api/inventory/jobs/{job_id}"): lambda w: {
            "path": f"/api/inventory/jobs/{_checked_inventory_job(w)}"},
        ("GET", "/api/inventory/jobs/{job_id}/errors.csv"): lambda w: {
            "path": f"/api/inventory/jobs/{_checked_inventory_job(w)}/errors.csv"},
        ("POST", "/api/inventory/jobs/{job_id}/apply"): lambda w: {
            "path": f"/api/inventory/jobs/{_checked_inventory_job(w)}/apply"},
        ("POST", "/api/inventory/transfers"): lambda w: {
            "path": "/api/inventory/transfers",
            "json": {"from_warehouse": "MAD", "to_warehouse": "BCN", "reason": "matrix",
                     "lines": lines}},
        ("POST", "/api/inventory/receipts"): lambda w: {
            "path": "/api/inventory/receipts",
            "json": {"warehouse": "MAD", "supplier_reference": "PO-1", "lines": lines}},
        ("GET", "/api/inventory/low-stock"): lambda w: {"path": "/api/inventory/low-stock"},
        ("PUT", "/api/inventory/thresholds/{sku}"): lambda w: {
            "path": "/api/inventory/thresholds/TEE-M", "json": {"threshold": 3}},
    }
