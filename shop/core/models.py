"""Field helpers shared by the domain apps."""

from __future__ import annotations

from django.db import models


def money(**kwargs: object) -> models.BigIntegerField:
    """An amount in integer minor units (cents); the currency sits in its own column."""
    return models.BigIntegerField(default=0, **kwargs)  # type: ignore[arg-type]


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
