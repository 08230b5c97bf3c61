from __future__ import annotations

from django.db import models

from shop.core.models import Timestamped, money


class PaymentStatus(models.TextChoices):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    VOIDED = "voided"
    REFUNDED = "refunded"


class Payment(Timestamped):
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="payment")
    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    amount_minor = money()
    currency = models.CharField(max_length=3)

    class Meta:
        db_table = "payments"


class SandboxCharge(Timestamped):
    """The sandbox provider's own record, as a real provider would keep it on its side: capture
    is idempotent per reference."""

    reference = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=60)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20)
    captures = models.IntegerField(default=0)

    class Meta:
        db_table = "sandbox_charges"
