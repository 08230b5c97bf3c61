"""What every /api/v1 view shares: English messages whatever the shop's default language
(the public API answered in English before the port), and the request headers it reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import translation
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from shop.core.errors import NotFound

MAX_IDEMPOTENCY_KEY = 100


class PublicApi(APIView):
    """No authentication classes: carts are opened by their token, orders by their derived
    access token, so there is no session and no CSRF on this API."""

    authentication_classes: list = []
    permission_classes: list = []

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)


def cart_token(request: Request) -> str:
    token = request.headers.get("X-Cart-Token")
    if token is None:
        raise ValidationError({"X-Cart-Token": ["Field required (the cart's secret token)"]})
    return token


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationError(
            {"Idempotency-Key": [f"at most {MAX_IDEMPOTENCY_KEY} characters"]})
    return key or None


def parse_id(value: str, not_found: str) -> UUID:
    """A path id that is not a UUID names nothing: the same 404 as an unknown one."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(not_found) from None
