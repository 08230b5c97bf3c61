"""Staff sign-in with lock-out, opaque session tokens (only their hash is stored), and staff
account management."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tienda.domain.customers import InvalidEmail, normalize_email
from tienda.domain.staff import MIN_PASSWORD_LENGTH, ROLES
from tienda.service_layer.backoffice.context import Backoffice, PasswordHasher
from tienda.service_layer.backoffice.errors import (
    AccountLocked,
    BadCredentials,
    Conflict,
    InvalidInput,
    NotFound,
)
from tienda.service_layer.backoffice.permissions import permissions_of
from tienda.service_layer.backoffice.ports import Row, StaffAccount

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
BAD_CREDENTIALS = "wrong e-mail or password"


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    id: int
    email: str
    name: str
    role: str

    @property
    def permissions(self) -> list[str]:
        return sorted(permissions_of(self.role))

    def as_row(self) -> Row:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "permissions": self.permissions}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_decoys: dict[int, str] = {}


def _decoy_hash(passwords: PasswordHasher) -> str:
    """A hash to verify against when the e-mail is unknown, so the answer takes as long."""
    if id(passwords) not in _decoys:
        _decoys[id(passwords)] = passwords.hash(secrets.token_hex(16))
    return _decoys[id(passwords)]


def sign_in(bo: Backoffice, email: str, password: str,
            now: datetime | None = None) -> tuple[StaffIdentity, str]:
    """The signed-in member and a new session token. Unknown e-mail and wrong password get the
    same refusal (and cost the same hashing time); five failures lock the account."""
    now = now or datetime.now(UTC)
    account = _account(bo.staff.account(_email_or_blank(email)))
    if account is None:
        bo.passwords.verify(_decoy_hash(bo.passwords), password)
        raise BadCredentials(BAD_CREDENTIALS)
    if account.locked_until is not None and account.locked_until > now:
        raise AccountLocked(_locked_message(account.locked_until))
    if not bo.passwords.verify(account.password_hash, password):
        _refuse(bo, account, now)
    token = secrets.token_urlsafe(32)
    with bo.uows() as uow:
        uow.staff.reset_failures(account.id)
        uow.sessions.add(token_hash(token), account.id, now + timedelta(hours=SESSION_HOURS))
        uow.audit.record(account.email, "staff.sign_in", "staff", str(account.id), None, None)
        uow.commit()
    return _identity(account), token


def _email_or_blank(email: str) -> str:
    try:
        return normalize_email(email)
    except InvalidEmail:
        return ""


def _account(account: StaffAccount | None) -> StaffAccount | None:
    return account if account is not None and account.is_active else None


def _refuse(bo: Backoffice, account: StaffAccount, now: datetime) -> None:
    lock_until = now + timedelta(minutes=LOCK_MINUTES)
    with bo.uows() as uow:
        locking = uow.staff.record_failure(account.id) >= MAX_FAILURES
        if locking:
            uow.staff.lock(account.id, lock_until)
            uow.audit.record("system", "staff.lock", "staff", str(account.id),
                             None, {"locked_until": lock_until.isoformat()})
        uow.commit()
    if locking:
        raise AccountLocked(_locked_message(lock_until))
    raise BadCredentials(BAD_CREDENTIALS)


def _locked_message(until: datetime) -> str:
    return (f"too many failed sign-ins: this account is locked until "
            f"{until.astimezone(UTC):%H:%M} UTC")


def _identity(account: StaffAccount) -> StaffIdentity:
    return StaffIdentity(account.id, account.email, account.name, account.role)


def signed_in(bo: Backoffice, token: str, now: datetime | None = None) -> StaffIdentity | None:
    account = bo.staff.staff_for_session(token_hash(token), now or datetime.now(UTC))
    return _identity(account) if account is not None and account.is_active else None


def sign_out(bo: Backoffice, token: str) -> None:
    with bo.uows() as uow:
        uow.sessions.remove(token_hash(token))
        uow.commit()


# --- staff accounts -------------------------------------------------------------------------

def create_staff(bo: Backoffice, actor: str, email: str, name: str, role: str,
                 password: str) -> Row:
    address = _valid_email(email)
    _check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    with bo.uows() as uow:
        if uow.staff.by_email(address) is not None:
            raise Conflict(f"a staff account for {address} already exists")
        staff_id = uow.staff.add(address, name.strip(), role, bo.passwords.hash(password))
        after = {"email": address, "name": name.strip(), "role": role, "is_active": True}
        uow.audit.record(actor, "staff.create", "staff", str(staff_id), None, after)
        uow.commit()
    return _member(bo, staff_id)


def update_staff(bo: Backoffice, actor: str, staff_id: int, role: str, is_active: bool) -> Row:
    _check_role(role)
    with bo.uows() as uow:
        account = uow.staff.by_id(staff_id)
        if account is None:
            raise NotFound(f"there is no staff member {staff_id}")
        uow.staff.update(staff_id, role, is_active)
        if account.role == "admin" and account.is_active and uow.staff.active_admins() == 0:
            raise Conflict("this would leave no active admin; make someone else admin first")
        if not is_active:
            uow.sessions.remove_for_staff(staff_id)
        uow.audit.record(actor, "staff.update", "staff", str(staff_id),
                         {"role": account.role, "is_active": account.is_active},
                         {"role": role, "is_active": is_active})
        uow.commit()
    return _member(bo, staff_id)


def _member(bo: Backoffice, staff_id: int) -> Row:
    member = bo.staff.member(staff_id)
    if member is None:
        raise NotFound(f"there is no staff member {staff_id}")
    return member


def _valid_email(email: str) -> str:
    try:
        return normalize_email(email)
    except InvalidEmail as exc:
        raise InvalidInput(str(exc)) from None


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
