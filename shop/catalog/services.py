"""Staff writes to the catalog: products, variants, categories and pictures. Product and
variant edits carry the version the editor loaded; a save over someone else's newer change is
refused (StaleEdit), never applied. Every write is audited in its own transaction."""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.audit.services import audit_record
from shop.catalog import images
from shop.catalog.models import Category, Product, ProductImage, Variant
from shop.core.errors import Conflict, NotFound, ShopError, StaleEdit, TooLarge, UnsupportedMedia

PRODUCT_FIELDS = ("category_id", "slug", "name_es", "name_en", "description_es",
                  "description_en", "is_published", "is_featured")
VARIANT_FIELDS = ("sku", "attributes", "price_minor", "cost_minor", "currency", "is_published")
CATEGORY_FIELDS = ("slug", "name_es", "name_en", "parent_id", "position")
IMAGE_FIELDS = ("product_id", "position", "blob_key", "thumbnail_key", "content_type", "width",
                "height")
BULK_ACTIONS: dict[str, dict[str, bool]] = {
    "publish": {"is_published": True}, "unpublish": {"is_published": False},
    "feature": {"is_featured": True}, "unfeature": {"is_featured": False},
}
MAX_BULK = 500
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def slugify(text: str) -> str:
    """Accents dropped, lower case, runs of anything else become one dash (the legacy rule)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _snapshot(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _actor(actor: Any) -> str:
    return str(getattr(actor, "email", actor))


# --- products ----------------------------------------------------------------------------------

@transaction.atomic
def product_create(*, values: dict[str, Any], actor: Any) -> Product:
    values = _product_values(values)
    _check_product(values, None)
    product = Product.objects.create(**values)
    audit_record(actor=_actor(actor), action="product.create", entity="product",
                 entity_id=product.pk, after=_snapshot(product, PRODUCT_FIELDS))
    return product


@transaction.atomic
def product_update(*, product_id: int, expected_version: int, values: dict[str, Any],
                   actor: Any) -> Product:
    values = _product_values(values)
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(f"there is no product {product_id}")
    if product.version != expected_version:
        raise _stale("product", product)
    _check_product(values, product_id)
    before = _snapshot(product, PRODUCT_FIELDS)
    for name, value in values.items():
        setattr(product, name, value)
    product.version += 1
    product.save()
    audit_record(actor=_actor(actor), action="product.update", entity="product",
                 entity_id=product.pk, before=before, after=_snapshot(product, PRODUCT_FIELDS))
    return product


def _product_values(values: dict[str, Any]) -> dict[str, Any]:
    chosen = {name: values[name] for name in PRODUCT_FIELDS if name in values}
    _names(chosen)
    chosen["slug"] = _slug(chosen.get("slug") or chosen["name_es"])
    return chosen


def _names(chosen: dict[str, Any]) -> None:
    for name in ("name_es", "name_en"):
        chosen[name] = str(chosen.get(name) or "").strip()
        if not chosen[name]:
            raise ShopError(f"{name} cannot be empty")


def _slug(text: str) -> str:
    slug = slugify(text)
    if not slug:
        raise ShopError("the slug needs at least one letter or digit")
    return slug[:120]


def _check_product(values: dict[str, Any], product_id: int | None) -> None:
    if not Category.objects.filter(pk=values["category_id"]).exists():
        raise ShopError(f"there is no category {values['category_id']}")
    if Product.objects.filter(slug=values["slug"]).exclude(pk=product_id).exists():
        raise Conflict(f"another product already uses the slug {values['slug']!r}")


def _stale(entity: str, current: Product | Variant) -> StaleEdit:
    """Who changed it and when, from the audit log, so the second editor knows whom to ask."""
    change = (AuditEntry.objects.filter(entity=entity, entity_id=str(current.pk))
              .order_by("-id").values_list("actor", "created_at").first())
    who, when = change if change else ("someone", current.updated_at)
    return StaleEdit(f"this {entity} was changed by {who} at "
                     f"{when.isoformat(timespec='seconds')}; reload it and apply your change "
                     "again", current.version)


@transaction.atomic
def products_bulk_update(*, product_ids: list[int], action: str, actor: Any) -> int:
    """Publish, unpublish, feature or unfeature; each product changed is audited. Ids that do
    not exist are skipped; the answer is how many were changed."""
    if action not in BULK_ACTIONS:
        raise ShopError(f"action must be one of {', '.join(BULK_ACTIONS)}, not {action!r}")
    if not product_ids or len(product_ids) > MAX_BULK:
        raise ShopError(f"give between 1 and {MAX_BULK} product ids")
    change = BULK_ACTIONS[action]
    found = list(Product.objects.select_for_update().filter(pk__in=set(product_ids))
                 .order_by("pk"))
    for product in found:
        before = {name: getattr(product, name) for name in change}
        # update() skips auto_now: the ETL's watermark needs updated_at to move.
        Product.objects.filter(pk=product.pk).update(**change, version=F("version") + 1,
                                                     updated_at=timezone.now())
        audit_record(actor=_actor(actor), action=f"product.{action}", entity="product",
                     entity_id=product.pk, before=before, after=change)
    return len(found)


# --- variants ----------------------------------------------------------------------------------

@transaction.atomic
def variant_create(*, product_id: int, values: dict[str, Any], actor: Any) -> Variant:
    values = _variant_values(values)
    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound(f"there is no product {product_id}")
    _check_sku(values["sku"], None)
    variant = Variant.objects.create(product_id=product_id, **values)
    audit_record(actor=_actor(actor), action="variant.create", entity="variant",
                 entity_id=variant.pk, after=_snapshot(variant, VARIANT_FIELDS))
    return variant


@transaction.atomic
def variant_update(*, variant_id: int, expected_version: int, values: dict[str, Any],
                   actor: Any) -> Variant:
    values = _variant_values(values)
    variant = Variant.objects.select_for_update().filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(f"there is no variant {variant_id}")
    if variant.version != expected_version:
        raise _stale("variant", variant)
    _check_sku(values["sku"], variant_id)
    before = _snapshot(variant, VARIANT_FIELDS)
    for name, value in values.items():
        setattr(variant, name, value)
    variant.version += 1
    variant.save()
    audit_record(actor=_actor(actor), action="variant.update", entity="variant",
                 entity_id=variant.pk, before=before, after=_snapshot(variant, VARIANT_FIELDS))
    return variant


def _variant_values(values: dict[str, Any]) -> dict[str, Any]:
    chosen = {name: values[name] for name in VARIANT_FIELDS if name in values}
    chosen["sku"] = str(chosen.get("sku", "")).strip()
    if not _SKU.fullmatch(chosen["sku"]):
        raise ShopError("the SKU must be 1-64 letters, digits, dots, dashes or underscores")
    for name in ("price_minor", "cost_minor"):
        if int(chosen.get(name, 0)) < 0:
            raise ShopError(f"{name} cannot be negative")
    chosen["currency"] = str(chosen.get("currency", "")).upper()
    if not re.fullmatch(r"[A-Z]{3}", chosen["currency"]):
        raise ShopError("currency must be a three-letter ISO 4217 code")
    return chosen


def _check_sku(sku: str, variant_id: int | None) -> None:
    if Variant.objects.filter(sku=sku).exclude(pk=variant_id).exists():
        raise Conflict(f"the SKU {sku} already exists")


# --- categories --------------------------------------------------------------------------------

@transaction.atomic
def category_create(*, values: dict[str, Any], actor: Any) -> Category:
    values = _category_values(values)
    _check_category(values, None)
    category = Category.objects.create(**values)
    audit_record(actor=_actor(actor), action="category.create", entity="category",
                 entity_id=category.pk, after=_snapshot(category, CATEGORY_FIELDS))
    return category


@transaction.atomic
def category_update(*, category_id: int, values: dict[str, Any], actor: Any) -> Category:
    values = _category_values(values)
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound(f"there is no category {category_id}")
    _check_category(values, category_id)
    before = _snapshot(category, CATEGORY_FIELDS)
    for name, value in values.items():
        setattr(category, name, value)
    category.save()
    audit_record(actor=_actor(actor), action="category.update", entity="category",
                 entity_id=category.pk, before=before, after=_snapshot(category, CATEGORY_FIELDS))
    return category


def _category_values(values: dict[str, Any]) -> dict[str, Any]:
    chosen = {name: values.get(name) for name in CATEGORY_FIELDS}
    _names(chosen)
    chosen["slug"] = _slug(chosen["slug"] or chosen["name_es"])
    chosen["position"] = int(chosen["position"] or 0)
    return chosen


def _check_category(values: dict[str, Any], category_id: int | None) -> None:
    parent = values["parent_id"]
    if parent is not None and (parent == category_id or _is_descendant(parent, category_id)
                               or not Category.objects.filter(pk=parent).exists()):
        raise ShopError(f"category {parent} cannot be the parent")
    if Category.objects.filter(slug=values["slug"]).exclude(pk=category_id).exists():
        raise Conflict(f"another category already uses the slug {values['slug']!r}")


def _is_descendant(candidate: int, category_id: int | None) -> bool:
    """A category may not hang below one of its own descendants (a cycle)."""
    if category_id is None:
        return False
    seen: set[int] = set()
    current: int | None = candidate
    while current is not None and current not in seen:
        if current == category_id:
            return True
        seen.add(current)
        current = Category.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return False


# --- pictures ----------------------------------------------------------------------------------

def product_image_upload(*, product_id: int, content_type: str, data: bytes,
                         actor: Any) -> ProductImage:
    """Validate, store the re-encoded picture and its thumbnail under new keys (a key never
    changes content, so caches may keep it forever), then record the image. The blobs are
    written before the row: a failure in between leaves an unreferenced blob, never a row
    pointing at nothing."""
    if content_type not in images.UPLOAD_TYPES:
        raise UnsupportedMedia(f"{content_type or 'this file type'} is not accepted; "
                               "upload a JPEG, PNG or WebP image")
    if len(data) > images.MAX_UPLOAD_BYTES:
        raise TooLarge(f"the image is larger than {images.MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound(f"there is no product {product_id}")
    try:
        picture = images.prepare_upload(data)
    except ValueError as exc:
        raise ShopError(str(exc)) from None
    stem = f"products/{product.slug}/{uuid.uuid4().hex}"
    keys = _store(stem, picture)
    return _image_record(product, keys, picture, actor)


def _store(stem: str, picture: images.PreparedPicture) -> tuple[str, str]:
    media = storages["media"]
    key = media.save(f"{stem}.jpg", ContentFile(picture.original_jpeg))
    thumbnail_key = media.save(f"{stem}-thumb.jpg", ContentFile(picture.thumbnail_jpeg))
    return key, thumbnail_key


@transaction.atomic
def _image_record(product: Product, keys: tuple[str, str], picture: images.PreparedPicture,
                  actor: Any) -> ProductImage:
    position = ProductImage.objects.filter(product=product).aggregate(top=Max("position"))["top"]
    image = ProductImage.objects.create(
        product=product, position=0 if position is None else position + 1, blob_key=keys[0],
        thumbnail_key=keys[1], content_type="image/jpeg", width=picture.width,
        height=picture.height)
    audit_record(actor=_actor(actor), action="image.create", entity="product_image",
                 entity_id=image.pk, after=_snapshot(image, IMAGE_FIELDS))
    return image


@transaction.atomic
def product_image_delete(*, image_id: int, actor: Any) -> None:
    """Forget the image; its blobs stay (caches may still hold their immutable keys)."""
    image = ProductImage.objects.select_for_update().filter(pk=image_id).first()
    if image is None:
        raise NotFound(f"there is no image {image_id}")
    before = _snapshot(image, IMAGE_FIELDS)
    image.delete()
    audit_record(actor=_actor(actor), action="image.delete", entity="product_image",
                 entity_id=image_id, before=before)
