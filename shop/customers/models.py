from __future__ import annotations

from django.conf import settings
from django.db import models

from shop.core.models import Timestamped


class Customer(Timestamped):
    """Whoever buys: a guest has no account (`user` is empty); registering with the same
    e-mail later links the account and keeps the history."""

    email = models.EmailField(max_length=320, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="customer")
    name = models.CharField(max_length=200, blank=True, default="")
    locale = models.CharField(max_length=5, default="es")
    marketing_consent = models.BooleanField(default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "customers"
        # The analytics ETL's watermark.
        indexes = [models.Index(fields=["updated_at", "id"], name="ix_customers_updated_at_id")]

    def __str__(self) -> str:
        return self.email


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=200)
    line1 = models.CharField(max_length=300)
    line2 = models.CharField(max_length=300, blank=True, default="")
    city = models.CharField(max_length=120)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "addresses"
        ordering = ["id"]
