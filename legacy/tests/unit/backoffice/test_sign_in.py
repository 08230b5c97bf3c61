"""Sign-in rules over fakes: lock-out counting and the decoy hash for unknown e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tienda.service_layer.backoffice import auth
from tienda.service_layer.backoffice.errors import AccountLocked, BadCredentials
from tienda.service_layer.backoffice.ports import StaffAccount

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


class FakePasswords:
    def __init__(self) -> None:
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        return f"hash:{password}"

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return password_hash == f"hash:{password}"


class FakeStaff:
    def __init__(self, account: StaffAccount) -> None:
        self.account_row = account
        self.failures = account.failed_logins
        self.locked_until: datetime | None = None

    def account(self, email: str) -> StaffAccount | None:
        return self.account_row if email == self.account_row.email else None

    def record_failure(self, staff_id: int) -> int:
        self.failures += 1
        return self.failures

    def lock(self, staff_id: int, until: datetime) -> None:
        self.failures, self.locked_until = 0, until


class FakeUow:
    def __init__(self, staff: FakeStaff) -> None:
        self.staff = staff
        self.audit = self
        self.recorded: list[str] = []

    def record(self, actor, action, entity, entity_id, before, after) -> None:
        self.recorded.append(action)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def commit(self) -> None:
        return None


class FakeBackoffice:
    def __init__(self, failed_logins: int = 0) -> None:
        self.passwords = FakePasswords()
        self.staff = FakeStaff(StaffAccount(1, "ana@tienda.test", "Ana", "viewer", True,
                                            "hash:secret-password", failed_logins, None))
        self.uow = FakeUow(self.staff)

    def uows(self) -> FakeUow:
        return self.uow


def test_the_fifth_failure_locks_for_fifteen_minutes():
    bo = FakeBackoffice(failed_logins=4)

    with pytest.raises(AccountLocked, match="locked until 10:15 UTC"):
        auth.sign_in(bo, "ana@tienda.test", "wrong", now=NOW)  # type: ignore[arg-type]

    assert bo.staff.locked_until == NOW + timedelta(minutes=15)
    assert bo.uow.recorded == ["staff.lock"]


def test_a_fourth_failure_is_only_counted():
    bo = FakeBackoffice(failed_logins=3)

    with pytest.raises(BadCredentials, match="wrong e-mail or password"):
        auth.sign_in(bo, "ana@tienda.test", "wrong", now=NOW)  # type: ignore[arg-type]

    assert (bo.staff.failures, bo.staff.locked_until) == (4, None)


def test_an_unknown_email_still_verifies_a_password_against_a_decoy():
    bo = FakeBackoffice()

    with pytest.raises(BadCredentials, match="wrong e-mail or password"):
        auth.sign_in(bo, "who@tienda.test", "secret-password", now=NOW)  # type: ignore[arg-type]

    assert len(bo.passwords.verified) == 1
    assert bo.passwords.verified[0].startswith("hash:")
