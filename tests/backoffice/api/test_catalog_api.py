"""Catalog administration: stale edits refused, pictures stored with thumbnails, bulk actions
audited per product (legacy test_catalog_api), plus variants and categories."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.audit.models import AuditEntry
from shop.catalog.models import Category, Product, ProductImage, Variant
from tests.backoffice.api.builders import SKU, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]
FIELDS = ("category_id", "slug", "name_es", "name_en", "description_es", "description_en",
          "is_published", "is_featured")


def _edit(product: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**{name: product[name] for name in FIELDS}, **changes}


def _put(client, path: str, data: dict[str, Any], **headers: str):  # type: ignore[no-untyped-def]
    return client.put(path, data, content_type="application/json", **headers)


def test_the_second_of_two_staff_saving_the_same_product_gets_a_readable_412(world):
    manager, admin = world.client("manager"), world.client("admin")
    path = f"/api/products/{world.product.pk}"
    mine, theirs = manager.get(path), admin.get(path)
    assert mine.headers["ETag"] == theirs.headers["ETag"] == '"1"'

    first = _put(admin, path, _edit(theirs.json(), name_en="Red T-shirt"),
                 HTTP_IF_MATCH=theirs.headers["ETag"])
    second = _put(manager, path, _edit(mine.json(), description_en="Soft"),
                  HTTP_IF_MATCH=mine.headers["ETag"])

    assert first.status_code == 200
    assert first.headers["ETag"] == '"2"'
    assert second.status_code == 412
    assert second.json()["current_version"] == 2
    assert second.json()["detail"].startswith("this product was changed by admin@tienda.test at ")
    assert second.json()["detail"].endswith("; reload it and apply your change again")
    product = Product.objects.get(pk=world.product.pk)
    assert (product.name_en, product.description_en, product.version) == ("Red T-shirt", "", 2)


def test_saving_a_product_without_if_match_is_refused_with_428(world):
    admin = world.client("admin")
    product = admin.get(f"/api/products/{world.product.pk}").json()

    response = _put(admin, f"/api/products/{world.product.pk}", _edit(product, name_en="X"))

    assert response.status_code == 428
    assert response.json() == {"detail": "send If-Match with the ETag of the version you edited"}
    assert Product.objects.get(pk=world.product.pk).name_en == "Red T-shirt"


def test_a_stale_variant_edit_is_a_412_and_a_fresh_one_bumps_the_etag(world):
    manager = world.client("manager")
    body = {"sku": SKU, "attributes": {"talla": "M"}, "price_minor": 2700, "currency": "EUR"}
    path = f"/api/variants/{world.variant.pk}"

    fresh = _put(manager, path, body, HTTP_IF_MATCH='"1"')
    stale = _put(manager, path, {**body, "price_minor": 1}, HTTP_IF_MATCH='"1"')

    assert (fresh.status_code, fresh.headers["ETag"], fresh.json()["price_minor"]) == (
        200, '"2"', 2700)
    assert (stale.status_code, stale.json()["current_version"]) == (412, 2)
    assert Variant.objects.get(pk=world.variant.pk).price_minor == 2700


@pytest.mark.azurite
def test_an_uploaded_picture_is_stored_with_a_thumbnail_under_new_keys(world, azurite):
    response = world.client("manager").post(
        f"/api/products/{world.product.pk}/images",
        {"file": SimpleUploadedFile("red.png", png_bytes((900, 600)), "image/png")})

    assert response.status_code == 201, response.content
    image = response.json()
    assert image["blob_key"].startswith("products/producto-1/")
    assert image["blob_key"].endswith(".jpg")
    assert image["thumbnail_key"] == image["blob_key"].removesuffix(".jpg") + "-thumb.jpg"
    assert (image["width"], image["height"]) == (900, 600)
    assert image["thumbnail_url"] == f"http://127.0.0.1:8000/media/{image['thumbnail_key']}"
    media = storages["media"]
    with media.open(image["thumbnail_key"]) as thumbnail:
        assert thumbnail.read()[:3] == b"\xff\xd8\xff"
    assert media.exists(image["blob_key"])
    assert AuditEntry.objects.get(action="image.create").entity_id == str(image["id"])


@pytest.mark.parametrize(("name", "data", "content_type", "status", "detail"), [
    ("a.gif", b"GIF89a....", "image/gif", 415,
     "image/gif is not accepted; upload a JPEG, PNG or WebP image"),
    ("a.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "image/png", 413,
     "the image is larger than 5 MB"),
    ("a.png", b"not a picture at all", "image/png", 422,
     "the file is not a JPEG, PNG or WebP image"),
    ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "image/jpeg", 422,
     "the image is damaged or truncated"),
])
def test_a_bad_upload_is_refused_with_a_clear_reason_and_nothing_recorded(
        world, name, data, content_type, status, detail):
    response = world.client("manager").post(
        f"/api/products/{world.product.pk}/images",
        {"file": SimpleUploadedFile(name, data, content_type)})

    assert response.status_code == status
    assert response.json()["detail"] == detail
    assert ProductImage.objects.count() == 0
    assert not AuditEntry.objects.filter(action="image.create").exists()


def test_deleting_an_image_forgets_it_and_is_audited(world):
    image = ProductImage.objects.create(product=world.product, blob_key="products/x/a.jpg",
                                        thumbnail_key="products/x/a-thumb.jpg",
                                        content_type="image/jpeg", width=1, height=1)

    response = world.client("manager").delete(f"/api/images/{image.pk}")
    again = world.client("manager").delete(f"/api/images/{image.pk}")

    assert (response.status_code, again.status_code) == (204, 404)
    assert AuditEntry.objects.get(action="image.delete").before["blob_key"] == "products/x/a.jpg"


def test_bulk_unpublish_changes_every_product_and_audits_each(world):
    manager = world.client("manager")
    created = manager.post("/api/products", {"category_id": world.category.pk,
                                             "name_es": "Taza", "name_en": "Mug",
                                             "is_published": True},
                           content_type="application/json")
    assert created.status_code == 201
    second = created.json()["id"]

    response = manager.post("/api/products/bulk",
                            {"ids": [world.product.pk, second, 999], "action": "unpublish"},
                            content_type="application/json")

    assert response.json() == {"updated": 2}
    bumped = Product.objects.get(pk=world.product.pk)
    assert bumped.version == 2
    assert bumped.updated_at > world.product.updated_at
    listed = world.client("viewer").get("/api/products?published=false").json()
    assert sorted(item["id"] for item in listed["items"]) == sorted([world.product.pk, second])
    audit = world.client("viewer").get("/api/audit?action=product.unpublish").json()
    assert sorted(entry["entity_id"] for entry in audit["items"]) == sorted(
        [str(world.product.pk), str(second)])
    assert audit["items"][0]["before"] == {"is_published": True}
    assert audit["items"][0]["after"] == {"is_published": False}
    assert audit["items"][0]["actor"] == "manager@tienda.test"
    assert AuditEntry.objects.filter(action="product.create").count() == 1


def test_products_are_found_by_sku_and_listed_with_their_cheapest_variant(world):
    listed = world.client("viewer").get("/api/products?q=tee-m").json()

    assert (listed["total"], listed["page"], listed["per_page"]) == (1, 1, 25)
    row = listed["items"][0]
    assert (row["id"], row["category_name"], row["variant_count"], row["min_price_minor"]) == (
        world.product.pk, "Ropa", 1, 2500)


def test_a_new_variant_with_a_taken_sku_is_a_409(world):
    response = world.client("manager").post(
        f"/api/products/{world.product.pk}/variants",
        {"sku": SKU, "price_minor": 100, "currency": "EUR"}, content_type="application/json")

    assert response.status_code == 409
    assert response.json() == {"detail": f"the SKU {SKU} already exists"}


def test_categories_are_created_with_a_slug_from_the_spanish_name_and_counted(world):
    manager = world.client("manager")

    created = manager.post("/api/categories", {"name_es": "Decoración Hogar", "name_en": "Home",
                                               "parent_id": world.category.pk},
                           content_type="application/json")
    listed = manager.get("/api/categories").json()

    assert created.status_code == 201
    assert (created.json()["slug"], created.json()["parent_id"]) == (
        "decoracion-hogar", world.category.pk)
    assert [(c["slug"], c["product_count"]) for c in listed] == [
        ("ropa", 1), ("decoracion-hogar", 0)]


def test_a_category_cannot_become_its_own_grandchild(world):
    child = Category.objects.create(slug="hijos", name_es="Hijos", name_en="Kids",
                                    parent=world.category)

    response = _put(world.client("manager"), f"/api/categories/{world.category.pk}",
                    {"name_es": "Ropa", "name_en": "Clothes", "parent_id": child.pk})

    assert response.status_code == 422
    assert response.json()["detail"] == f"category {child.pk} cannot be the parent"
