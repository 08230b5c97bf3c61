"""The catalog in the Django admin saves through shop.catalog.services: audited, versioned."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from shop.audit.models import AuditEntry
from shop.catalog.models import Category, Product, ProductImage, Variant
from shop.catalog.services import product_update
from tests.builders import a_category, a_product, a_variant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]


def _product_form(product: Product, *, new_variant: dict | None = None, **changes: object
                  ) -> dict[str, object]:
    """What the change form posts for `product` as stored, with `changes` applied."""
    data: dict[str, object] = {
        "category": product.category_id, "slug": product.slug, "name_es": product.name_es,
        "name_en": product.name_en, "description_es": product.description_es,
        "description_en": product.description_en, "is_published": "on",
        "version": product.version, "images-TOTAL_FORMS": 0, "images-INITIAL_FORMS": 0}
    variants = list(product.variants.order_by("id"))
    for i, variant in enumerate(variants):
        data |= _variant_fields(i, {
            "id": variant.pk, "product": product.pk, "sku": variant.sku,
            "attributes": json.dumps(variant.attributes), "price_minor": variant.price_minor,
            "cost_minor": variant.cost_minor, "currency": variant.currency,
            "is_published": "on", "version": variant.version})
        # `attributes` has a callable default, so the form also posts its initial value.
        data[f"initial-variants-{i}-attributes"] = json.dumps(variant.attributes)
    if new_variant:
        data |= _variant_fields(len(variants), {"product": product.pk, "version": 1,
                                                "is_published": "on", **new_variant})
        data[f"initial-variants-{len(variants)}-attributes"] = "{}"
    data |= {"variants-TOTAL_FORMS": len(variants) + bool(new_variant),
             "variants-INITIAL_FORMS": len(variants)}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def _variant_fields(index: int, fields: dict[str, object]) -> dict[str, object]:
    return {f"variants-{index}-{name}": value for name, value in fields.items()}


def _change_url(product: Product) -> str:
    return reverse("admin:catalog_product_change", args=[product.pk])


def test_a_manager_edits_a_product_and_adds_a_variant_through_the_services(staff_client):
    client, manager = staff_client("manager")
    product = a_variant("TSH-1", product=a_product("camiseta")).product

    response = client.post(_change_url(product), _product_form(
        product, name_en="Basic tee", new_variant={
            "sku": "TSH-2", "attributes": '{"color": "Rojo"}', "price_minor": 1500,
            "cost_minor": 700, "currency": "EUR"}))

    product.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (product.name_en, product.version) == ("Basic tee", 2)
    assert list(product.variants.order_by("sku").values_list("sku", "price_minor")) == [
        ("TSH-1", 1999), ("TSH-2", 1500)]
    assert [(a.action, a.actor) for a in AuditEntry.objects.order_by("id")] == [
        ("product.update", manager.email), ("variant.create", manager.email)]


def test_saving_over_someone_elses_newer_change_is_refused_with_their_name(staff_client):
    client, _ = staff_client("manager")
    product = a_product("taza", name_en="Mug")
    loaded = _product_form(product, name_en="My mug")
    product_update(product_id=product.pk, expected_version=1, actor="ana@tienda.local",
                   values={"category_id": product.category_id, "name_es": "Taza",
                           "name_en": "Her mug"})

    response = client.post(_change_url(product), loaded)

    product.refresh_from_db()
    when = AuditEntry.objects.get().created_at.isoformat(timespec="seconds")
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"this product was changed by ana@tienda.local at {when}; reload it and apply your "
        "change again"]
    assert (product.name_en, product.version) == ("Her mug", 2)


def test_a_manager_adds_a_product_and_a_category(staff_client):
    client, manager = staff_client("manager")
    parent = a_category("hogar")

    added_category = client.post(reverse("admin:catalog_category_add"), {
        "parent": parent.pk, "slug": "", "name_es": "Lámparas", "name_en": "Lamps",
        "position": 2})
    category = Category.objects.get(slug="lamparas")
    added_product = client.post(reverse("admin:catalog_product_add"), {
        "category": category.pk, "slug": "", "name_es": "Lámpara de mesa",
        "name_en": "Table lamp", "description_es": "", "description_en": "", "version": 1,
        "variants-TOTAL_FORMS": 0, "variants-INITIAL_FORMS": 0, "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0})

    product = Product.objects.get(slug="lampara-de-mesa")
    assert (added_category.status_code, added_product.status_code) == (302, 302)
    assert (category.parent_id, product.category_id, product.is_published) == (
        parent.pk, category.pk, False)
    assert [(a.action, a.entity_id, a.actor) for a in AuditEntry.objects.order_by("id")] == [
        ("category.create", str(category.pk), manager.email),
        ("product.create", str(product.pk), manager.email)]


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_roles_without_catalog_write_read_products_but_cannot_save(staff_client, role):
    client, _ = staff_client(role)
    product = a_variant("TSH-9", product=a_product("gorra", name_en="Cap")).product

    viewed = client.get(_change_url(product))
    saved = client.post(_change_url(product), _product_form(product, name_en="Hat"))
    added = client.get(reverse("admin:catalog_product_add"))

    assert viewed.status_code == 200 and "Cap" in viewed.content.decode()
    assert (saved.status_code, added.status_code) == (403, 403)
    assert (Product.objects.get(pk=product.pk).name_en, AuditEntry.objects.count()) == ("Cap", 0)


def test_products_and_variants_are_never_deleted_in_the_admin(staff_client):
    client, _ = staff_client("admin")
    variant = a_variant("TSH-7")

    deleted = client.post(reverse("admin:catalog_product_delete", args=[variant.product_id]),
                          {"post": "yes"})

    assert deleted.status_code == 403
    assert Variant.objects.filter(pk=variant.pk).exists()


def test_a_picture_deleted_in_the_inline_goes_through_the_service(staff_client):
    client, manager = staff_client("manager")
    product = a_product("mochila")
    image = ProductImage.objects.create(product=product, blob_key="products/mochila/1.jpg",
                                        thumbnail_key="products/mochila/1-thumb.jpg",
                                        content_type="image/jpeg", width=800, height=800)
    data = _product_form(product) | {
        "images-TOTAL_FORMS": 1, "images-INITIAL_FORMS": 1, "images-0-id": image.pk,
        "images-0-product": product.pk, "images-0-DELETE": "on"}

    response = client.post(_change_url(product), data)

    assert response.status_code == 302
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert [(a.action, a.entity_id, a.actor) for a in AuditEntry.objects.order_by("id")] == [
        ("image.delete", str(image.pk), manager.email)]
    assert Product.objects.get(pk=product.pk).version == 1
