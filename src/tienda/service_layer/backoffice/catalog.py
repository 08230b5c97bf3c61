"""Catalog administration: products, variants, categories and pictures. Edits carry the version
the editor loaded; a save over someone else's newer change is refused, never applied."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from tienda.domain.catalog import slugify
from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    StaleEdit,
    TooLarge,
    UnsupportedMedia,
)
from tienda.service_layer.backoffice.ports import BackofficeUnitOfWork, Page, PageRequest, Row

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_BULK = 500
BULK_ACTIONS: dict[str, Row] = {
    "publish": {"is_published": True}, "unpublish": {"is_published": False},
    "feature": {"is_featured": True}, "unfeature": {"is_featured": False},
}
PRODUCT_FIELDS = ("category_id", "slug", "name_es", "name_en", "description_es",
                  "description_en", "is_published", "is_featured")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def list_products(bo: Backoffice, q: str | None, category_id: int | None,
                  published: bool | None, page: PageRequest) -> Page:
    return bo.catalog.products(q, category_id, published, page)


def product_detail(bo: Backoffice, product_id: int) -> Row:
    detail = bo.catalog.product_detail(product_id)
    if detail is None:
        raise NotFound(f"there is no product {product_id}")
    base = bo.config.media_base_url.rstrip("/")
    for image in detail["images"]:
        image["url"] = f"{base}/media/{image['blob_key']}"
        image["thumbnail_url"] = f"{base}/media/{image['thumbnail_key']}"
    return detail


def create_product(bo: Backoffice, actor: str, values: Row) -> Row:
    values = _product_values(values)
    with bo.uows() as uow:
        _check_product(uow, values, None)
        product_id = uow.catalog.add_product(values)
        uow.audit.record(actor, "product.create", "product", str(product_id), None,
                         uow.catalog.product(product_id))
        uow.commit()
    return product_detail(bo, product_id)


def update_product(bo: Backoffice, actor: str, product_id: int, expected_version: int,
                   values: Row) -> Row:
    values = _product_values(values)
    with bo.uows() as uow:
        before = uow.catalog.product(product_id, for_update=True)
        if before is None:
            raise NotFound(f"there is no product {product_id}")
        if before["version"] != expected_version:
            raise _stale(uow, "product", product_id, before)
        _check_product(uow, values, product_id)
        if not uow.catalog.update_product(product_id, expected_version, values):
            raise _stale(uow, "product", product_id, uow.catalog.product(product_id) or before)
        uow.audit.record(actor, "product.update", "product", str(product_id), before,
                         uow.catalog.product(product_id))
        uow.commit()
    return product_detail(bo, product_id)


def _product_values(values: Row) -> Row:
    chosen = {name: values[name] for name in PRODUCT_FIELDS if name in values}
    for name in ("name_es", "name_en"):
        chosen[name] = str(chosen.get(name, "")).strip()
        if not chosen[name]:
            raise InvalidInput(f"{name} cannot be empty")
    chosen["slug"] = slugify(chosen.get("slug") or chosen["name_es"])
    if not chosen["slug"]:
        raise InvalidInput("the slug needs at least one letter or digit")
    return chosen


def _check_product(uow: BackofficeUnitOfWork, values: Row, product_id: int | None) -> None:
    if not uow.catalog.category_exists(int(values["category_id"])):
        raise InvalidInput(f"there is no category {values['category_id']}")
    if uow.catalog.slug_taken(values["slug"], product_id):
        raise Conflict(f"another product already uses the slug {values['slug']!r}")


def _stale(uow: BackofficeUnitOfWork, entity: str, entity_id: int, current: Row) -> StaleEdit:
    change = uow.audit.last_change(entity, str(entity_id))
    who, when = change if change else ("someone", current.get("updated_at"))
    stamp = when.isoformat(timespec="seconds") if isinstance(when, datetime) else str(when)
    return StaleEdit(f"this {entity} was changed by {who} at {stamp}; reload it and apply "
                     f"your change again", int(current["version"]))


def bulk_update(bo: Backoffice, actor: str, product_ids: list[int], action: str) -> int:
    if action not in BULK_ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(BULK_ACTIONS)}, not {action!r}")
    if not product_ids or len(product_ids) > MAX_BULK:
        raise InvalidInput(f"give between 1 and {MAX_BULK} product ids")
    change = BULK_ACTIONS[action]
    with bo.uows() as uow:
        before = {pid: uow.catalog.product(pid) for pid in sorted(set(product_ids))}
        updated = uow.catalog.set_product_flags(
            [pid for pid, row in before.items() if row is not None], change)
        for pid in updated:
            row = before[pid] or {}
            uow.audit.record(actor, f"product.{action}", "product", str(pid),
                             {name: row.get(name) for name in change}, change)
        uow.commit()
    return len(updated)


# --- variants -------------------------------------------------------------------------------

def add_variant(bo: Backoffice, actor: str, product_id: int, values: Row) -> Row:
    values = _variant_values(values)
    with bo.uows() as uow:
        if uow.catalog.product(product_id) is None:
            raise NotFound(f"there is no product {product_id}")
        if uow.catalog.sku_taken(values["sku"]):
            raise Conflict(f"the SKU {values['sku']} already exists")
        variant_id = uow.catalog.add_variant(product_id, values)
        after = uow.catalog.variant(variant_id)
        uow.audit.record(actor, "variant.create", "variant", str(variant_id), None, after)
        uow.commit()
    assert after is not None
    return after


def update_variant(bo: Backoffice, actor: str, variant_id: int, expected_version: int,
                   values: Row) -> Row:
    values = _variant_values(values)
    with bo.uows() as uow:
        before = uow.catalog.variant(variant_id)
        if before is None:
            raise NotFound(f"there is no variant {variant_id}")
        if uow.catalog.sku_taken(values["sku"], variant_id):
            raise Conflict(f"the SKU {values['sku']} already exists")
        if not uow.catalog.update_variant(variant_id, expected_version, values):
            raise _stale(uow, "variant", variant_id, uow.catalog.variant(variant_id) or before)
        after = uow.catalog.variant(variant_id)
        uow.audit.record(actor, "variant.update", "variant", str(variant_id), before, after)
        uow.commit()
    assert after is not None
    return after


def _variant_values(values: Row) -> Row:
    chosen: Row = {name: values[name] for name in
                   ("sku", "attributes", "price_minor", "cost_minor", "currency", "is_published")
                   if name in values}
    chosen["sku"] = str(chosen.get("sku", "")).strip()
    if not _SKU.match(chosen["sku"]):
        raise InvalidInput("the SKU must be 1-64 letters, digits, dots, dashes or underscores")
    for name in ("price_minor", "cost_minor"):
        if int(chosen.get(name, 0)) < 0:
            raise InvalidInput(f"{name} cannot be negative")
    chosen["currency"] = str(chosen.get("currency", "")).upper()
    if not re.fullmatch(r"[A-Z]{3}", chosen["currency"]):
        raise InvalidInput("currency must be a three-letter ISO 4217 code")
    return chosen


# --- categories -----------------------------------------------------------------------------

def list_categories(bo: Backoffice) -> list[Row]:
    return bo.catalog.categories()


def save_category(bo: Backoffice, actor: str, values: Row, category_id: int | None = None
                  ) -> Row:
    values = _category_values(values)
    with bo.uows() as uow:
        before = uow.catalog.category(category_id) if category_id is not None else None
        if category_id is not None and before is None:
            raise NotFound(f"there is no category {category_id}")
        _check_category(uow, values, category_id)
        if category_id is None:
            category_id = uow.catalog.add_category(values)
        else:
            uow.catalog.update_category(category_id, values)
        after = uow.catalog.category(category_id)
        action = "category.update" if before else "category.create"
        uow.audit.record(actor, action, "category", str(category_id), before, after)
        uow.commit()
    assert after is not None
    return after


def _category_values(values: Row) -> Row:
    chosen: dict[str, Any] = {name: values.get(name) for name in
                              ("slug", "name_es", "name_en", "parent_id", "position")}
    for name in ("name_es", "name_en"):
        chosen[name] = str(chosen[name] or "").strip()
        if not chosen[name]:
            raise InvalidInput(f"{name} cannot be empty")
    chosen["slug"] = slugify(chosen["slug"] or chosen["name_es"])
    if not chosen["slug"]:
        raise InvalidInput("the slug needs at least one letter or digit")
    chosen["position"] = int(chosen["position"] or 0)
    return chosen


def _check_category(uow: BackofficeUnitOfWork, values: Row, category_id: int | None) -> None:
    parent = values["parent_id"]
    if parent is not None and (parent == category_id or not uow.catalog.category_exists(parent)):
        raise InvalidInput(f"category {parent} cannot be the parent")
    if uow.catalog.category_slug_taken(values["slug"], category_id):
        raise Conflict(f"another category already uses the slug {values['slug']!r}")


# --- pictures -------------------------------------------------------------------------------

def upload_image(bo: Backoffice, actor: str, product_id: int, content_type: str,
                 data: bytes) -> Row:
    """Validate, store the re-encoded picture and its thumbnail under new keys (keys never
    change content, so caches may keep them forever), then record the image."""
    if content_type not in UPLOAD_TYPES:
        raise UnsupportedMedia(f"{content_type or 'this file type'} is not accepted; "
                               "upload a JPEG, PNG or WebP image")
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"the image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    product = bo.catalog.product_detail(product_id)
    if product is None:
        raise NotFound(f"there is no product {product_id}")
    try:
        picture = bo.pictures.prepare(data)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    stem = f"products/{product['slug']}/{uuid.uuid4().hex}"
    key, thumbnail_key = f"{stem}.jpg", f"{stem}-thumb.jpg"
    bo.blobs.put(bo.config.container_media, key, picture.original_jpeg, "image/jpeg")
    bo.blobs.put(bo.config.container_media, thumbnail_key, picture.thumbnail_jpeg, "image/jpeg")
    values: Row = {"blob_key": key, "thumbnail_key": thumbnail_key, "content_type": "image/jpeg",
                   "width": picture.width, "height": picture.height}
    with bo.uows() as uow:
        image_id = uow.catalog.add_image(product_id, values)
        after = uow.catalog.image(image_id)
        uow.audit.record(actor, "image.create", "product_image", str(image_id), None, after)
        uow.commit()
    assert after is not None
    base = bo.config.media_base_url.rstrip("/")
    return {**after, "url": f"{base}/media/{after['blob_key']}",
            "thumbnail_url": f"{base}/media/{after['thumbnail_key']}"}


def delete_image(bo: Backoffice, actor: str, image_id: int) -> None:
    """Forget the image; its blobs stay (caches may still hold their immutable keys)."""
    with bo.uows() as uow:
        before = uow.catalog.image(image_id)
        if before is None:
            raise NotFound(f"there is no image {image_id}")
        uow.catalog.remove_image(image_id)
        uow.audit.record(actor, "image.delete", "product_image", str(image_id), before, None)
        uow.commit()
