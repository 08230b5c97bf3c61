"""/healthz answers App Service's probes whatever Host header or scheme they use."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.azurite]


@pytest.mark.parametrize("urls", ["shop.urls.storefront", "shop.urls.backoffice"])
def test_healthz_is_ok_for_a_probe_with_the_instances_own_host(client, settings, azurite, urls):
    settings.ROOT_URLCONF = urls
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_names_what_is_down(client, monkeypatch, azurite):
    from shop.core import health

    def down() -> None:
        raise ConnectionError("no queue service")

    monkeypatch.setitem(health.CHECKS, "queue", down)

    response = client.get("/healthz")

    assert (response.status_code, response.content) == (503, b"degraded: queue")
