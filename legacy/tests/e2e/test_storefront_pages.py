"""The first storefront pages and /healthz, over HTTP, on a small seeded shop."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tienda.adapters.db.demo_shop import seed_demo_shop
from tienda.bootstrap import bootstrap
from tienda.entrypoints.backoffice_api.app import create_app as create_backoffice
from tienda.entrypoints.frontoffice.app import create_app

pytestmark = pytest.mark.azurite


@pytest.fixture
def seeded(tienda):
    seed_demo_shop(tienda.engine, tienda.blobs, tienda.settings, seed=7, products=24,
                   customers=20, orders=40)
    return tienda


def test_the_home_page_shows_featured_products_with_their_thumbnails(storefront, seeded):
    page = storefront.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    thumbnails = [part.split('"')[0] for part in page.text.split('src="/media/')[1:]]
    assert thumbnails
    assert all(key.endswith("-thumb.jpg") for key in thumbnails)
    image = storefront.get(f"/media/{thumbnails[0]}")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert image.content[:3] == b"\xff\xd8\xff"


def test_a_product_page_lists_its_variants_prices_and_stock(storefront, seeded):
    slug = storefront.get("/api/v1/products").json()["items"][0]["slug"]
    product = storefront.get(f"/api/v1/products/{slug}").json()

    page = storefront.get(f"/p/{slug}?lang=es")

    assert page.status_code == 200
    assert product["name"] in page.text
    for variant in product["variants"]:
        assert variant["sku"] in page.text
    assert page.cookies.get("tienda_lang") == "es"


def test_an_unknown_product_is_a_friendly_404_page(storefront, seeded):
    page = storefront.get("/p/no-such-thing", headers={"Accept": "text/html"})

    assert page.status_code == 404
    assert "No encontramos esa página" in page.text


def test_an_empty_shop_says_how_to_seed_it(storefront):
    page = storefront.get("/?lang=en")

    assert page.status_code == 200
    assert "No products yet" in page.text


def test_media_outside_the_catalog_is_not_served(storefront, seeded):
    assert storefront.get("/media/products/../invoices/x.pdf").status_code == 404
    assert storefront.get("/media/other/x.jpg").status_code == 404


def test_healthz_reports_every_dependency_on_both_apps(tienda):
    for factory in (create_app, create_backoffice):
        with TestClient(factory(tienda=tienda)) as client:
            response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "queue": "ok",
                                   "blob": "ok"}


def test_healthz_is_503_and_names_storage_when_it_is_unreachable(settings):
    from tests.conftest import free_port
    from tienda.config import azurite_connection_string

    dead = azurite_connection_string("127.0.0.1", free_port(), free_port())
    tienda = bootstrap(settings.model_copy(update={"storage_connection_string": dead}))
    with TestClient(create_app(tienda=tienda)) as client:
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert body["queue"].startswith("error: ")
    assert body["blob"].startswith("error: ")
