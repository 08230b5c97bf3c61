"""The backoffice deployment serves the staff SPA from its own origin: a client-side route is
the SPA's index.html (never cached, with the request's CSP nonce), the API's unknown paths stay
JSON 404s, and the admin, the static files and the health check keep their own routes."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve

from shop.core.health import healthz

pytestmark = pytest.mark.urls("shop.urls.backoffice")

INDEX = ('<!doctype html><html><head><meta property="csp-nonce" nonce="CSP_NONCE_PLACEHOLDER">'
         '<script type="module" nonce="CSP_NONCE_PLACEHOLDER" src="/assets/app-1a2b.js">'
         '</script></head><body><div id="root"></div></body></html>')


@pytest.fixture
def built_spa(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A minimal build output as WhiteNoise's root, as shop.settings.backoffice sets it."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log('spa')", encoding="utf-8")
    settings.WHITENOISE_ROOT = tmp_path
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    return tmp_path


def test_a_client_route_is_the_spa_index_never_cached(client, built_spa):
    response = client.get("/orders/123")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert '<div id="root"></div>' in response.text
    assert "CSP_NONCE_PLACEHOLDER" not in response.text


def test_the_index_carries_the_nonce_its_content_security_policy_allows(client, built_spa):
    response = client.get("/products/new")

    nonces = set(re.findall(r'nonce="([^"]+)"', response.text))
    policy = dict(part.strip().split(" ", 1)
                  for part in response["Content-Security-Policy"].split(";"))
    [nonce] = nonces
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # styles cannot run script
    assert policy["img-src"] == "'self' data: blob: http://127.0.0.1:8000"
    assert policy["frame-ancestors"] == "'none'"


def test_each_request_gets_its_own_nonce(client, built_spa):
    first, second = client.get("/"), client.get("/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert (re.findall(r'nonce="([^"]+)"', first.text)[0]
            != re.findall(r'nonce="([^"]+)"', second.text)[0])


def test_an_unknown_api_path_is_a_json_404(client, built_spa):
    response = client.get("/api/nope")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_missing_file_is_a_404_not_the_spa(client, built_spa):
    response = client.get("/assets/gone-9z9z.js")

    assert response.status_code == 404
    assert response.content == b"Not found."


def test_the_built_assets_are_served_by_whitenoise(client, built_spa):
    response = client.get("/assets/app-1a2b.js")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"console.log('spa')"


def test_the_spa_only_answers_reads(client, built_spa):
    assert client.post("/orders/123").status_code == 405
    assert client.head("/orders/123").status_code == 200


def test_the_health_check_and_the_admin_keep_their_routes(built_spa):
    assert resolve("/healthz").func is healthz
    assert resolve("/admin/").app_name == "admin"
    assert resolve("/orders/1").url_name == "spa"
    for not_spa in ("/admin", "/api", "/static/x", "/openapi.json"):
        with pytest.raises(Resolver404):
            resolve(not_spa)


def test_an_unbuilt_spa_says_how_to_build_it(client, settings):
    settings.WHITENOISE_ROOT = None

    response = client.get("/orders/123")

    assert response.status_code == 503
    assert "npm ci && npm run build" in response.content.decode()
