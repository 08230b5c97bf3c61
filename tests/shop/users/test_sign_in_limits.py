"""The sign-in rate limits shared by the storefront and the backoffice: failures counted per
e-mail and per client address within 15 minutes, and the staff lock-out (legacy
tests/unit/backoffice/test_sign_in.py, the lock-out rule, over the real database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from shop.audit.models import AuditEntry
from shop.core.errors import AccountLocked, TooManyAttempts
from shop.users.models import SignInFailure, User
from shop.users.services import (
    sign_in_check,
    sign_in_failed,
    sign_in_succeeded,
    staff_sign_in_check,
)

pytestmark = pytest.mark.django_db
STAFF = "ana@tienda.test"


def fail(times: int, email: str = "eva@example.com", client: str = "198.51.100.7") -> None:
    for _ in range(times):
        sign_in_failed(email=email, client=client)


def age_failures(minutes: int) -> None:
    SignInFailure.objects.update(failed_at=F("failed_at") - timedelta(minutes=minutes))


@pytest.fixture
def staff_member() -> User:
    return User.objects.create_user(STAFF, "secret-password", is_staff=True)


def test_four_failures_per_email_still_let_a_sign_in_through():
    fail(4)

    assert sign_in_check(email="eva@example.com", client="203.0.113.9") is None


def test_the_fifth_failure_for_an_email_refuses_further_attempts_from_anywhere():
    fail(5)

    with pytest.raises(TooManyAttempts, match="too many failed sign-ins; try again in 15 minutes"):
        sign_in_check(email="EVA@example.com ", client="203.0.113.9")


def test_twenty_failures_from_one_client_address_refuse_any_email_from_it():
    for n in range(20):
        sign_in_failed(email=f"guess{n}@example.com", client="198.51.100.7")

    with pytest.raises(TooManyAttempts):
        sign_in_check(email="new@example.com", client="198.51.100.7")
    assert sign_in_check(email="new@example.com", client="203.0.113.9") is None


def test_nineteen_failures_from_one_client_address_are_only_counted():
    for n in range(19):
        sign_in_failed(email=f"guess{n}@example.com", client="198.51.100.7")

    assert sign_in_check(email="new@example.com", client="198.51.100.7") is None


def test_failures_older_than_fifteen_minutes_no_longer_count():
    fail(5)
    age_failures(15)

    assert sign_in_check(email="eva@example.com", client="198.51.100.7") is None


def test_a_good_sign_in_forgets_the_emails_failures_but_not_the_clients():
    fail(4)

    sign_in_succeeded(email="eva@example.com")

    assert SignInFailure.objects.filter(key="email:eva@example.com").count() == 0
    assert SignInFailure.objects.filter(key="client:198.51.100.7").count() == 4


def test_old_failures_of_the_same_keys_are_pruned_when_a_new_one_is_recorded():
    fail(3)
    age_failures(20)

    fail(1)

    assert SignInFailure.objects.count() == 2


def test_the_fifth_staff_failure_locks_the_account_for_fifteen_minutes(staff_member):
    fail(4, email=STAFF)
    before = timezone.now()

    with pytest.raises(AccountLocked) as refused:
        sign_in_failed(email=STAFF, client="198.51.100.7")

    until = before + timedelta(minutes=15)
    assert str(refused.value) in {
        f"too many failed sign-ins: this account is locked until {moment:%H:%M} UTC"
        for moment in (until, until + timedelta(minutes=1))}
    entry = AuditEntry.objects.get(action="staff.lock")
    assert (entry.actor, entry.entity, entry.entity_id) == ("system", "staff",
                                                            str(staff_member.pk))
    with pytest.raises(AccountLocked, match="this account is locked until"):
        staff_sign_in_check(email=STAFF)


def test_a_fourth_staff_failure_is_only_counted(staff_member):
    fail(4, email=STAFF)

    assert staff_sign_in_check(email=STAFF) is None
    assert SignInFailure.objects.filter(key=f"email:{STAFF}").count() == 4
    assert not AuditEntry.objects.filter(action="staff.lock").exists()


def test_a_lock_ends_after_fifteen_minutes_and_the_failures_before_it_are_paid(staff_member):
    fail(4, email=STAFF)
    with pytest.raises(AccountLocked):
        fail(1, email=STAFF)
    age_failures(10)

    with pytest.raises(AccountLocked):
        staff_sign_in_check(email=STAFF)
    age_failures(5)
    fail(1, email=STAFF)  # a new failure after the lock starts a new count

    assert staff_sign_in_check(email=STAFF) is None


def test_customers_and_unknown_emails_are_never_locked_out():
    User.objects.create_user("eva@example.com", "secret-password")

    fail(6)
    fail(6, email="nobody@example.com")

    assert staff_sign_in_check(email="eva@example.com") is None
    assert staff_sign_in_check(email="nobody@example.com") is None


def test_a_good_staff_sign_in_clears_the_count_towards_a_lock(staff_member):
    fail(4, email=STAFF)

    sign_in_succeeded(email=STAFF)
    fail(4, email=STAFF)

    assert staff_sign_in_check(email=STAFF) is None
