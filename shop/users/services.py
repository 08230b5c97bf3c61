"""Sign-in rate limits, shared by the storefront (customers) and the backoffice (staff).

Every failed attempt leaves one `SignInFailure` row per key (`email:<address>`,
`client:<ip>`). Customers: 5 failures per e-mail or 20 per client address within 15 minutes
refuse further attempts, even with the right password. Staff: the fifth failure within 15
minutes locks the account for 15 minutes (a `lock:<address>` row, audited); failures before
a lock no longer count after it.

Usage at a sign-in form (the password check itself is `django.contrib.auth.authenticate`,
which hashes against a decoy for an unknown e-mail so both refusals take the same time)::

    sign_in_check(email=email, client=client)        # customers; staff_sign_in_check for staff
    user = authenticate(request, email=email, password=password)
    if user is None:
        sign_in_failed(email=email, client=client)   # may raise AccountLocked (staff only)
        ...refuse...
    sign_in_succeeded(email=email)
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shop.audit.services import audit_record
from shop.core.errors import AccountLocked, TooManyAttempts
from shop.users.models import SignInFailure
from shop.users.selectors import (
    FAILURE_WINDOW,
    client_key,
    email_key,
    lock_key,
    sign_in_failures_since,
    staff_lock_started,
)

MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 20
MAX_STAFF_FAILURES = 5
WINDOW_MINUTES = int(FAILURE_WINDOW.total_seconds() // 60)


def sign_in_check(*, email: str, client: str) -> None:
    """Raise TooManyAttempts when this e-mail or this client address failed too often."""
    since = timezone.now() - FAILURE_WINDOW
    if (sign_in_failures_since(key=email_key(email), since=since) >= MAX_FAILURES_PER_EMAIL
            or sign_in_failures_since(key=client_key(client), since=since)
            >= MAX_FAILURES_PER_CLIENT):
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {WINDOW_MINUTES} minutes")


def staff_sign_in_check(*, email: str) -> None:
    """Raise AccountLocked while the staff account with this e-mail is locked out."""
    now = timezone.now()
    started = staff_lock_started(email=email, now=now)
    if started is not None:
        raise AccountLocked(_locked_message(started + FAILURE_WINDOW))


def sign_in_failed(*, email: str, client: str) -> None:
    """Count a failed attempt. If the e-mail belongs to an active staff member and this is
    the fifth failure in the window, lock the account (audited) and raise AccountLocked."""
    now = timezone.now()
    with transaction.atomic():
        keys = (email_key(email), client_key(client))
        SignInFailure.objects.filter(key__in=(*keys, lock_key(email)),
                                     failed_at__lte=now - FAILURE_WINDOW).delete()
        SignInFailure.objects.bulk_create(
            [SignInFailure(key=key, failed_at=now) for key in keys])
        locked_until = _lock_staff_if_due(email=email, now=now)
    if locked_until is not None:
        raise AccountLocked(_locked_message(locked_until))


def sign_in_succeeded(*, email: str) -> None:
    """A good sign-in forgets the e-mail's failures (the client address keeps its count)."""
    SignInFailure.objects.filter(key__in=(email_key(email), lock_key(email))).delete()


def _lock_staff_if_due(*, email: str, now: datetime) -> datetime | None:
    staff = (get_user_model().objects
             .filter(email=email.strip().lower(), is_staff=True, is_active=True).first())
    if staff is None:
        return None
    since = max(now - FAILURE_WINDOW, _last_lock(email=email, now=now))
    if sign_in_failures_since(key=email_key(email), since=since) < MAX_STAFF_FAILURES:
        return None
    SignInFailure.objects.create(key=lock_key(email), failed_at=now)
    locked_until = now + FAILURE_WINDOW
    audit_record(actor="system", action="staff.lock", entity="staff", entity_id=staff.pk,
                 after={"locked_until": locked_until.isoformat()})
    return locked_until


def _last_lock(*, email: str, now: datetime) -> datetime:
    """Failures up to the last lock were paid for by it; count only those after."""
    latest = (SignInFailure.objects.filter(key=lock_key(email))
              .order_by("-failed_at").values_list("failed_at", flat=True).first())
    return latest or now - FAILURE_WINDOW


def _locked_message(until: datetime) -> str:
    return (f"too many failed sign-ins: this account is locked until "
            f"{until.astimezone(UTC):%H:%M} UTC")
