from __future__ import annotations

import uuid

from django.db import models

from shop.core.models import money


class OrderStatus(models.TextChoices):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Order(models.Model):
    """Status changes only through shop.orders.services, which check shop.orders.rules."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="orders")
    # The cart it came from: an Idempotency-Key is honoured only for the same cart.
    cart_id = models.UUIDField(null=True, blank=True, db_index=True)
    email = models.EmailField(max_length=320)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, db_index=True)
    channel = models.CharField(max_length=20, default="web")
    locale = models.CharField(max_length=5, default="es")
    currency = models.CharField(max_length=3)
    subtotal_minor = money()
    discount_minor = money()
    shipping_minor = money()
    tax_minor = money()
    total_minor = money()
    shipping_method = models.CharField(max_length=30)
    shipping_address = models.JSONField()
    tracking_number = models.CharField(max_length=100, null=True, blank=True)
    invoice_blob_key = models.CharField(max_length=300, null=True, blank=True)
    invoice_number = models.CharField(max_length=30, null=True, blank=True, unique=True)
    # The invoice's date: set once, with its number, when the order is confirmed.
    invoiced_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    placed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders"
        indexes = [models.Index(fields=["updated_at", "id"], name="ix_orders_updated_at_id")]
        constraints = [models.CheckConstraint(
            condition=models.Q(status__in=OrderStatus.values), name="ck_orders_known_status")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("inventory.Warehouse", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    quantity = models.IntegerField()
    unit_price_minor = money()
    unit_cost_minor = money()
    discount_minor = money()
    tax_minor = money()
    total_minor = money()

    class Meta:
        db_table = "order_lines"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0),
                                              name="ck_order_lines_quantity_positive")]


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status_from = models.CharField(max_length=20, null=True, blank=True)
    status_to = models.CharField(max_length=20)
    actor = models.CharField(max_length=200)
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "order_events"
        ordering = ["created_at", "id"]


class OrderNote(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.CharField(max_length=320)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "order_notes"
        ordering = ["created_at", "id"]


class InvoiceSequence(models.Model):
    """The last invoice number given in a year: EU invoices are numbered without gaps in a
    series, so the next one is taken under this row's lock inside the confirmation."""

    year = models.IntegerField(primary_key=True)
    last = models.IntegerField(default=0)

    class Meta:
        db_table = "invoice_sequences"
