"""/healthz on every deployment: database, queue and blob storage, each checked cheaply.
200 `ok`, or 503 `degraded` naming what failed."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _queues() -> None:
    from workers.queues import queue_service

    next(iter(queue_service().list_queues(results_per_page=1)), None)


def _blobs() -> None:
    from django.core.files.storage import storages

    storages["media"].client.get_container_properties()


CHECKS = {"database": _database, "queue": _queues, "blob": _blobs}


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.warning("health check %s failed", name, exc_info=True)
            failing.append(name)
    if failing:
        return HttpResponse(f"degraded: {', '.join(failing)}", status=503,
                            content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class HealthCheckMiddleware:
    """First in the chain: App Service's health and swap warm-up probes reach /healthz with
    the instance's own Host header and over plain http, so the answer must not depend on
    ALLOWED_HOSTS or the HTTPS redirect."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
