"""The public API's OpenAPI document and its viewers work offline: everything they load
comes from this origin, and their CSP allows exactly that."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_the_schema_documents_the_ten_public_operations(client):
    for path in ("/openapi.json", "/api/v1/schema"):
        response = client.get(path, headers={"Accept": "application/vnd.oai.openapi+json"})
        assert response.status_code == 200
        schema = response.json()
        operations = {(method.upper(), route) for route, item in schema["paths"].items()
                      for method in item}
        assert operations == {
            ("GET", "/api/v1/products"), ("GET", "/api/v1/products/{slug}"),
            ("POST", "/api/v1/carts"), ("GET", "/api/v1/carts/{cart_id}"),
            ("POST", "/api/v1/carts/{cart_id}/lines"),
            ("PATCH", "/api/v1/carts/{cart_id}/lines/{sku}"),
            ("DELETE", "/api/v1/carts/{cart_id}/lines/{sku}"),
            ("POST", "/api/v1/carts/{cart_id}/checkout"),
            ("GET", "/api/v1/orders/{order_id}"), ("GET", "/api/v1/orders/{order_id}/invoice")}
        checkout = schema["paths"]["/api/v1/carts/{cart_id}/checkout"]["post"]
        headers = {p["name"] for p in checkout["parameters"] if p["in"] == "header"}
        assert headers == {"X-Cart-Token", "Idempotency-Key"}
        assert set(checkout["responses"]) == {"201", "402", "403", "404", "409", "422", "503"}


def test_the_schema_states_what_the_api_refuses(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]

    bodies = ("LineInputRequest", "PatchedQuantityInputRequest", "CheckoutInputRequest",
              "AddressInputRequest")
    assert {name: schema[name]["additionalProperties"] for name in bodies} == dict.fromkeys(
        bodies, False)
    quantity = {"type": "integer", "minimum": 1, "maximum": 99}
    assert schema["LineInputRequest"]["properties"]["quantity"] == quantity
    assert schema["PatchedQuantityInputRequest"]["properties"]["quantity"] == quantity


def test_a_quantity_out_of_range_gets_the_services_message_not_drfs(client):
    cart = client.post("/api/v1/carts", content_type="application/json").json()

    response = client.post(f"/api/v1/carts/{cart['id']}/lines", {"sku": "X", "quantity": 100},
                           content_type="application/json", headers={"X-Cart-Token": cart["token"]})

    assert response.status_code == 422
    assert "at most 99" in response.content.decode()


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_viewers_load_only_local_assets(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


def test_the_swagger_init_script_is_a_file_not_inline(client):
    page = client.get("/docs").content.decode()
    [script] = re.findall(r'<script src="(/docs\?[^"]*script[^"]*)"', page)

    response = client.get(script.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/openapi.json" in response.content.decode()
    assert "<script>" not in page


def test_the_schema_is_valid_openapi_without_generator_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf",
                 "shop.urls.storefront", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/carts/{cart_id}/checkout" in (tmp_path / "schema.yml").read_text()
