"""Reads for the sign-in rate limits: failures within a window, and a staff lock-out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max

from shop.users.models import SignInFailure

# One window for both rules: customer sign-in counts failures over it, and a staff lock-out
# lasts as long.
FAILURE_WINDOW = timedelta(minutes=15)


def email_key(email: str) -> str:
    return f"email:{email.strip().lower()[:320]}"


def client_key(client: str) -> str:
    return f"client:{client}"[:400]


def lock_key(email: str) -> str:
    return f"lock:{email.strip().lower()[:320]}"


def sign_in_failures_since(*, key: str, since: datetime) -> int:
    return SignInFailure.objects.filter(key=key, failed_at__gt=since).count()


def staff_lock_started(*, email: str, now: datetime) -> datetime | None:
    """When the staff account's current lock-out began, or None if it is not locked."""
    recent = SignInFailure.objects.filter(key=lock_key(email), failed_at__gt=now - FAILURE_WINDOW)
    return recent.aggregate(latest=Max("failed_at"))["latest"]
