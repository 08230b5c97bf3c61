from __future__ import annotations

import uuid

from django.db import models

from shop.core.models import Timestamped


class Cart(Timestamped):
    """A cart is opened by whoever holds its token (only its SHA-256 is stored) and checks out
    once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    checked_out_order = models.OneToOneField("orders.Order", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "carts"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.IntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cart_lines"
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="uq_cart_lines_cart_variant"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0),
                                   name="ck_cart_lines_quantity_positive"),
        ]
