"""Catalog administration: stale edits refused (acceptance 4), pictures, bulk actions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.integration.backoffice.world import png_bytes
from tienda.adapters.db.tables import audit_log, product_images, products

pytestmark = pytest.mark.azurite


def _edit(product: dict, **changes) -> dict:
    fields = ("category_id", "slug", "name_es", "name_en", "description_es", "description_en",
              "is_published", "is_featured")
    return {**{name: product[name] for name in fields}, **changes}


def test_the_second_of_two_staff_saving_the_same_product_gets_a_readable_412(world):
    client = world.client
    mine = client.get("/api/products/1", headers=world.auth("manager"))
    theirs = client.get("/api/products/1", headers=world.auth("admin"))
    assert mine.headers["etag"] == theirs.headers["etag"] == '"1"'

    first = client.put("/api/products/1", json=_edit(theirs.json(), name_en="Red T-shirt"),
                       headers={**world.auth("admin"), "If-Match": theirs.headers["etag"]})
    second = client.put("/api/products/1", json=_edit(mine.json(), description_en="Soft"),
                        headers={**world.auth("manager"), "If-Match": mine.headers["etag"]})

    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'
    assert second.status_code == 412
    assert second.json()["current_version"] == 2
    assert second.json()["detail"].startswith("this product was changed by admin@tienda.test at ")
    assert second.json()["detail"].endswith("; reload it and apply your change again")
    with world.engine.connect() as conn:
        row = conn.execute(sa.select(products).where(products.c.id == 1)).one()
    assert (row.name_en, row.description_en, row.version) == ("Red T-shirt", "", 2)


def test_saving_a_product_without_if_match_is_refused_with_428(world):
    product = world.client.get("/api/products/1", headers=world.auth("admin")).json()

    response = world.client.put("/api/products/1", json=_edit(product, name_en="X"),
                                headers=world.auth("admin"))

    assert response.status_code == 428
    assert response.json() == {
        "detail": "send If-Match with the ETag of the version you edited"}


def test_an_uploaded_picture_is_stored_with_a_thumbnail_under_new_keys(world):
    response = world.client.post("/api/products/1/images", headers=world.auth("manager"),
                                 files={"file": ("red.png", png_bytes((900, 600)), "image/png")})

    assert response.status_code == 201, response.text
    image = response.json()
    assert image["blob_key"].startswith("products/producto-1/")
    assert image["blob_key"].endswith(".jpg")
    assert image["thumbnail_key"] == image["blob_key"].removesuffix(".jpg") + "-thumb.jpg"
    assert (image["width"], image["height"]) == (900, 600)
    assert image["thumbnail_url"] == f"http://127.0.0.1:8000/media/{image['thumbnail_key']}"
    media = world.tienda.settings.container_media
    thumbnail = world.tienda.blobs.get(media, image["thumbnail_key"])
    assert thumbnail[:3] == b"\xff\xd8\xff"
    assert world.tienda.blobs.exists(media, image["blob_key"])


@pytest.mark.parametrize(("name", "data", "content_type", "status", "detail"), [
    ("a.gif", b"GIF89a....", "image/gif", 415,
     "image/gif is not accepted; upload a JPEG, PNG or WebP image"),
    ("a.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "image/png", 413,
     "the image is larger than 5 MB"),
    ("a.png", b"not a picture at all", "image/png", 422,
     "the file is not a JPEG, PNG or WebP image"),
])
def test_a_bad_upload_is_refused_with_a_clear_reason_and_nothing_recorded(
        world, name, data, content_type, status, detail):
    response = world.client.post("/api/products/1/images", headers=world.auth("manager"),
                                 files={"file": (name, data, content_type)})

    assert response.status_code == status
    assert response.json()["detail"] == detail
    with world.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(product_images)).scalar() == 0


def test_bulk_unpublish_changes_every_product_and_audits_each(world):
    created = world.client.post("/api/products", headers=world.auth("manager"), json={
        "category_id": 1, "name_es": "Taza", "name_en": "Mug", "is_published": True})
    assert created.status_code == 201
    second = created.json()["id"]

    response = world.client.post("/api/products/bulk", headers=world.auth("manager"),
                                 json={"ids": [1, second, 999], "action": "unpublish"})

    assert response.json() == {"updated": 2}
    listed = world.client.get("/api/products?published=false", headers=world.auth("viewer"))
    assert sorted(item["id"] for item in listed.json()["items"]) == [1, second]
    audit = world.client.get("/api/audit?action=product.unpublish",
                             headers=world.auth("viewer")).json()
    assert sorted(entry["entity_id"] for entry in audit["items"]) == sorted(["1", str(second)])
    assert audit["items"][0]["before"] == {"is_published": True}
    assert audit["items"][0]["after"] == {"is_published": False}
    assert audit["items"][0]["actor"] == "manager@tienda.test"
    with world.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(
            audit_log.c.action == "product.create")).scalar() == 1
