from __future__ import annotations

from django.db import models

from shop.core.models import Timestamped


class Category(Timestamped):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    slug = models.SlugField(max_length=120, unique=True)
    name_es = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    position = models.IntegerField(default=0)

    class Meta:
        db_table = "categories"
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_es


class Product(Timestamped):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    slug = models.SlugField(max_length=160, unique=True)
    name_es = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_es = models.TextField(blank=True, default="")
    description_en = models.TextField(blank=True, default="")
    is_published = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False)
    # Optimistic concurrency for staff edits (ETag / If-Match).
    version = models.IntegerField(default=1)

    class Meta:
        db_table = "products"

    def __str__(self) -> str:
        return self.name_es


class Variant(Timestamped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=64, unique=True)
    attributes = models.JSONField(default=dict)
    price_minor = models.BigIntegerField()
    cost_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    is_published = models.BooleanField(default=True)
    version = models.IntegerField(default=1)

    class Meta:
        db_table = "variants"
        constraints = [
            models.CheckConstraint(condition=models.Q(price_minor__gte=0),
                                   name="ck_variants_price_not_negative"),
            models.CheckConstraint(condition=models.Q(cost_minor__gte=0),
                                   name="ck_variants_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.sku


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    position = models.IntegerField(default=0)
    # Keys in the private `media` container; a new upload gets new keys, so they are immutable.
    blob_key = models.CharField(max_length=300)
    thumbnail_key = models.CharField(max_length=300)
    content_type = models.CharField(max_length=60)
    width = models.IntegerField()
    height = models.IntegerField()
    alt_es = models.CharField(max_length=300, blank=True, default="")
    alt_en = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "product_images"
        ordering = ["position", "id"]


class AttributeLabel(models.Model):
    """What shoppers read for a stored attribute value in a language; a value without a label
    reads as stored. Staff type the values, so these are data, not gettext."""

    attribute = models.CharField(max_length=50)
    value = models.CharField(max_length=100)
    locale = models.CharField(max_length=5)
    label = models.CharField(max_length=200)

    class Meta:
        db_table = "attribute_labels"
        constraints = [models.UniqueConstraint(fields=["attribute", "value", "locale"],
                                               name="uq_attribute_labels")]
