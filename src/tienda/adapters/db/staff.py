"""Staff accounts."""

from __future__ import annotations

from sqlalchemy import Engine, select

from tienda.adapters.db.tables import staff_users
from tienda.adapters.passwords import hash_password
from tienda.domain.customers import InvalidEmail, normalize_email
from tienda.domain.staff import MIN_PASSWORD_LENGTH, ROLES


class StaffError(ValueError):
    pass


def create_staff(engine: Engine, *, email: str, role: str, name: str, password: str) -> int:
    try:
        address = normalize_email(email)
    except InvalidEmail as exc:
        raise StaffError(str(exc)) from None
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    with engine.begin() as conn:
        if conn.execute(select(staff_users.c.id).where(staff_users.c.email == address)).first():
            raise StaffError(f"a staff account for {address} already exists")
        result = conn.execute(staff_users.insert().values(
            email=address, role=role, name=name, password_hash=hash_password(password)))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])
