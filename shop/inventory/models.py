from __future__ import annotations

from django.db import models


class Warehouse(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "warehouses"
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return self.code


class StockLevel(models.Model):
    """Units of a variant in a warehouse. The CHECKs are the last line against overselling:
    whatever the code does, the database refuses reserved > on_hand."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE,
                                related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "stock_levels"
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"],
                                    name="uq_stock_levels_variant_warehouse"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0),
                                   name="ck_stock_levels_reserved_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__lte=models.F("on_hand")),
                                   name="ck_stock_levels_reserved_within_on_hand"),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt"          # goods in: on_hand up
    ADJUSTMENT = "adjustment"    # counted correction, with a reason: on_hand +/-
    RESERVATION = "reservation"  # checkout: reserved up
    RELEASE = "release"          # cancelled before shipping: reserved down
    SHIPMENT = "shipment"        # allocation leaves: on_hand and reserved down
    RESTOCK = "restock"          # a confirmed or shipped order comes back: on_hand up
    SALE = "sale"                # demo history: sold and gone
    TRANSFER = "transfer"        # between warehouses: one movement out, one in


class StockMovement(models.Model):
    """The append-only ledger: every change of a level is one row here, in the same
    transaction. Database triggers refuse UPDATE and DELETE (migration 0002)."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True, default="")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="movements")
    actor = models.CharField(max_length=200, default="system")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "stock_movements"
        indexes = [models.Index(fields=["variant", "warehouse"],
                                name="ix_stock_movements_variant_wh")]


class StockSubscription(models.Model):
    """"Tell me when it is back": one e-mail per (variant, address) until re-armed."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=320)
    locale = models.CharField(max_length=5, default="es")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "stock_subscriptions"
        constraints = [models.UniqueConstraint(fields=["variant", "email"],
                                               name="uq_stock_subscriptions_variant_email")]
        indexes = [models.Index(fields=["variant"], name="ix_stock_subscriptions_pending",
                                condition=models.Q(notified_at__isnull=True))]
