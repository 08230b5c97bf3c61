"""Security headers and CSP, static files cached for a year, the media route, robots.txt,
the sitemap and the favicon. (Header part ported from legacy
tests/integration/storefront/test_search_and_security.py and test_speed.py's static test.)"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from shop.catalog.models import Product
from tests.storefront.catalog.builders import a_category, a_shop

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_csp_and_security_headers(client):
    a_shop({"TEE-M": 0})

    for path in ("/", "/c/ropa", "/p/producto-1", "/search?q=x"):
        page = client.get(path)
        csp = page.headers["Content-Security-Policy"]
        assert csp.startswith("default-src 'self'; script-src 'self'"), path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "same-origin"
        assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert page.headers["Permissions-Policy"].startswith("camera=(), microphone=()")
        html = page.content.decode()
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/storefront/htmx.min.js" defer>']
        assert " on" + "click=" not in html and "style=" not in html


def test_htmx_may_neither_eval_nor_run_swapped_scripts_and_sends_the_csrf_token(client):
    page = client.get("/").content.decode()

    assert '"allowEval":false,"allowScriptTags":false' in page
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "\w{64}"\}\'>', page)


def test_static_assets_are_cached_for_a_year_and_htmx_is_ours(client):
    script = client.get("/static/storefront/htmx.min.js")
    css = client.get("/static/storefront/shop.css")

    assert script.status_code == css.status_code == 200
    assert "max-age=31536000" in script.headers["Cache-Control"]
    assert "max-age=31536000" in css.headers["Cache-Control"]
    assert b'version:"2.0.11"' in b"".join(script.streaming_content)


def test_the_favicon_and_robots_txt(client, settings):
    favicon = client.get("/favicon.ico")
    robots = client.get("/robots.txt")

    assert favicon.status_code == 301
    assert favicon["Location"] == "/static/storefront/favicon.svg"
    assert client.get(favicon["Location"]).status_code == 200
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert robots.content.decode().splitlines() == [
        "User-agent: *", "Disallow: /cart", "Disallow: /checkout", "Disallow: /account",
        "Disallow: /orders", "Disallow: /search", "Disallow: /api/",
        f"Sitemap: {settings.PUBLIC_BASE_URL}/sitemap.xml"]


def test_the_sitemap_lists_categories_and_published_products_in_both_languages(client):
    a_shop({"A": 1, "B": 0})
    a_category("hogar", "Hogar", "Home")
    Product.objects.filter(slug="producto-2").update(is_published=False)

    page = client.get("/sitemap.xml")

    locations = re.findall(r"<loc>http://testserver([^<]+)</loc>", page.content.decode())
    assert page.status_code == 200
    assert locations == ["/c/ropa?lang=es", "/c/ropa?lang=en", "/c/hogar?lang=es",
                         "/c/hogar?lang=en", "/p/producto-1?lang=es", "/p/producto-1?lang=en"]


@pytest.mark.parametrize("key", ["products/../invoices/x.pdf", "invoices/1.pdf", "products/a/..",
                                 "other/products/x.jpg"])
def test_media_outside_product_pictures_is_not_served(client, key):
    assert client.get(f"/media/{key}").status_code == 404


@pytest.mark.azurite
def test_media_streams_product_pictures_from_the_private_container(client, azurite):
    storages["media"].save("products/test/1.jpg", ContentFile(b"\xff\xd8picture"))

    found = client.get("/media/products/test/1.jpg")
    missing = client.get("/media/products/test/nothing.jpg")

    assert found.status_code == 200
    assert b"".join(found.streaming_content) == b"\xff\xd8picture"
    assert found["Content-Type"] == "image/jpeg"
    assert found["Cache-Control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404


def test_a_missing_page_is_a_translated_404_in_the_layout(client):
    page = client.get("/p/nothing-here?lang=es")

    assert page.status_code == 404
    assert "No encontramos esa página" in page.content.decode()
    assert 'class="skip"' in page.content.decode()
