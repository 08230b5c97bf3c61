"""Staff accounts and their sessions (only a hash of each session token is stored)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from tienda.adapters.db.backoffice.common import plain
from tienda.adapters.db.repositories import as_utc, utcnow
from tienda.adapters.db.tables import staff_sessions, staff_users
from tienda.service_layer.backoffice.ports import Row, StaffAccount

_PUBLIC = (staff_users.c.id, staff_users.c.email, staff_users.c.name, staff_users.c.role,
           staff_users.c.is_active, staff_users.c.locked_until, staff_users.c.created_at)


def _account(row: Any) -> StaffAccount | None:
    if row is None:
        return None
    locked = as_utc(row.locked_until) if row.locked_until else None
    return StaffAccount(row.id, row.email, row.name, row.role, bool(row.is_active),
                        row.password_hash, row.failed_logins, locked)


class SqlStaffRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def by_email(self, email: str) -> StaffAccount | None:
        return _account(self._conn.execute(
            select(staff_users).where(staff_users.c.email == email)).first())

    def by_id(self, staff_id: int) -> StaffAccount | None:
        return _account(self._conn.execute(
            select(staff_users).where(staff_users.c.id == staff_id)).first())

    def record_failure(self, staff_id: int) -> int:
        self._conn.execute(staff_users.update().where(staff_users.c.id == staff_id).values(
            failed_logins=staff_users.c.failed_logins + 1, updated_at=utcnow()))
        return int(self._conn.execute(select(staff_users.c.failed_logins)
                                      .where(staff_users.c.id == staff_id)).scalar_one())

    def lock(self, staff_id: int, until: datetime) -> None:
        self._conn.execute(staff_users.update().where(staff_users.c.id == staff_id)
                           .values(failed_logins=0, locked_until=until, updated_at=utcnow()))

    def reset_failures(self, staff_id: int) -> None:
        self._conn.execute(staff_users.update().where(staff_users.c.id == staff_id)
                           .values(failed_logins=0, locked_until=None))

    def add(self, email: str, name: str, role: str, password_hash: str) -> int:
        now = utcnow()
        result = self._conn.execute(staff_users.insert().values(
            email=email, name=name, role=role, password_hash=password_hash, created_at=now,
            updated_at=now))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def update(self, staff_id: int, role: str, is_active: bool) -> None:
        self._conn.execute(staff_users.update().where(staff_users.c.id == staff_id)
                           .values(role=role, is_active=is_active, updated_at=utcnow()))

    def active_admins(self) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(staff_users)
            .where(staff_users.c.role == "admin", staff_users.c.is_active.is_(True))
        ).scalar_one())


class SqlSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, token_hash: str, staff_id: int, expires_at: datetime) -> None:
        now = utcnow()
        # Expired sessions of anyone are forgotten whenever someone signs in.
        self._conn.execute(staff_sessions.delete().where(staff_sessions.c.expires_at < now))
        self._conn.execute(staff_sessions.insert().values(
            token_hash=token_hash, staff_id=staff_id, created_at=now, expires_at=expires_at))

    def remove(self, token_hash: str) -> None:
        self._conn.execute(staff_sessions.delete()
                           .where(staff_sessions.c.token_hash == token_hash))

    def remove_for_staff(self, staff_id: int) -> None:
        self._conn.execute(staff_sessions.delete().where(staff_sessions.c.staff_id == staff_id))


class SqlStaffReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def account(self, email: str) -> StaffAccount | None:
        with self._engine.connect() as conn:
            return SqlStaffRepository(conn).by_email(email)

    def staff_for_session(self, token_hash: str, now: datetime) -> StaffAccount | None:
        query = (select(staff_users)
                 .join(staff_sessions, staff_sessions.c.staff_id == staff_users.c.id)
                 .where(staff_sessions.c.token_hash == token_hash,
                        staff_sessions.c.expires_at > now))
        with self._engine.connect() as conn:
            return _account(conn.execute(query).first())

    def staff(self) -> list[Row]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(*_PUBLIC).order_by(staff_users.c.email)).mappings()
            return [plain(row) for row in rows]

    def member(self, staff_id: int) -> Row | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(*_PUBLIC).where(staff_users.c.id == staff_id)).mappings()
            found = row.first()
            return plain(found) if found else None
