"""Customer accounts and back-in-stock alerts in the transactional database: one short
transaction per call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tienda.adapters.db.repositories import SqlOrderRepository, SqlOutbox, as_utc, utcnow
from tienda.adapters.db.tables import (
    addresses,
    customer_sessions,
    customers,
    orders,
    password_reset_tokens,
    products,
    sign_in_failures,
    stock_levels,
    stock_subscriptions,
    variants,
)
from tienda.domain.catalog import Localized
from tienda.domain.orders import Address, Order
from tienda.service_layer.accounts import AccountError, Customer, OrderSummary, SavedAddress
from tienda.service_layer.back_in_stock import DueAlert


def _customer(row: Any) -> Customer:
    return Customer(row.id, row.email, row.name, row.locale, bool(row.marketing_consent),
                    row.password_hash)


class SqlAccountStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def by_email(self, email: str) -> Customer | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(customers).where(customers.c.email == email)).first()
        return _customer(row) if row else None

    def by_id(self, customer_id: int) -> Customer | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(customers).where(customers.c.id == customer_id)).first()
        return _customer(row) if row else None

    def register(self, email: str, password_hash: str, name: str, locale: str,
                 marketing: bool) -> int:
        now = utcnow()
        values = {"password_hash": password_hash, "name": name, "locale": locale,
                  "marketing_consent": marketing, "consent_changed_at": now, "updated_at": now}
        try:
            with self._engine.begin() as conn:
                existing = conn.execute(select(customers.c.id, customers.c.password_hash)
                                        .where(customers.c.email == email)).first()
                if existing is not None and existing.password_hash:
                    raise AccountError("this e-mail cannot be registered again; sign in or "
                                       "reset the password")
                if existing is not None:
                    conn.execute(update(customers).where(customers.c.id == existing.id)
                                 .values(**values))
                    return int(existing.id)
                result = conn.execute(insert(customers).values(email=email, created_at=now,
                                                               **values))
                return int(result.inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError:
            raise AccountError("this e-mail cannot be registered again") from None

    def failures_since(self, key: str, since: datetime) -> int:
        query = select(func.count()).select_from(sign_in_failures).where(
            sign_in_failures.c.key == key, sign_in_failures.c.failed_at >= since)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def record_failure(self, keys: list[str], at: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(insert(sign_in_failures), [{"key": k, "failed_at": at} for k in keys])

    def clear_failures(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.key == key))

    def create_session(self, token_hash: str, customer_id: int, expires_at: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(insert(customer_sessions).values(
                token_hash=token_hash, customer_id=customer_id, created_at=utcnow(),
                expires_at=expires_at))

    def session_customer(self, token_hash: str, now: datetime) -> Customer | None:
        query = (select(customers, customer_sessions.c.expires_at)
                 .join(customer_sessions, customer_sessions.c.customer_id == customers.c.id)
                 .where(customer_sessions.c.token_hash == token_hash))
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or as_utc(row.expires_at) <= now:
            return None
        return _customer(row)

    def delete_sessions(self, token_hash: str | None, customer_id: int | None) -> None:
        condition = (customer_sessions.c.token_hash == token_hash if token_hash
                     else customer_sessions.c.customer_id == customer_id)
        with self._engine.begin() as conn:
            conn.execute(delete(customer_sessions).where(condition))

    def create_reset(self, token_hash: str, customer_id: int, expires_at: datetime,
                     queue: str, message: dict[str, object]) -> list[str]:
        with self._engine.begin() as conn:
            conn.execute(insert(password_reset_tokens).values(
                token_hash=token_hash, customer_id=customer_id, created_at=utcnow(),
                expires_at=expires_at))
            outbox = SqlOutbox(conn)
            outbox.add(queue, message)
            return list(outbox.added)

    def use_reset(self, token_hash: str, now: datetime, password_hash: str) -> int | None:
        with self._engine.begin() as conn:
            row = conn.execute(select(password_reset_tokens).where(
                password_reset_tokens.c.token_hash == token_hash,
                password_reset_tokens.c.used_at.is_(None))).first()
            if row is None or as_utc(row.expires_at) <= now:
                return None
            used = conn.execute(update(password_reset_tokens).where(
                password_reset_tokens.c.token_hash == token_hash,
                password_reset_tokens.c.used_at.is_(None)).values(used_at=now)).rowcount
            if not used:
                return None
            conn.execute(update(customers).where(customers.c.id == row.customer_id)
                         .values(password_hash=password_hash, updated_at=now))
            return int(row.customer_id)

    def claim_orders(self, customer_id: int, email: str, order_ids: list[str]) -> int:
        if not order_ids:
            return 0
        with self._engine.begin() as conn:
            return int(conn.execute(update(orders).where(
                orders.c.id.in_(order_ids), orders.c.customer_id.is_(None),
                orders.c.email == email).values(customer_id=customer_id)).rowcount)

    def orders_of(self, customer_id: int) -> list[OrderSummary]:
        query = (select(orders.c.id, orders.c.number, orders.c.status, orders.c.placed_at,
                        orders.c.total_minor, orders.c.currency)
                 .where(orders.c.customer_id == customer_id)
                 .order_by(orders.c.placed_at.desc()).limit(100))
        with self._engine.connect() as conn:
            return [OrderSummary(r.id, r.number, r.status, as_utc(r.placed_at), r.total_minor,
                                 r.currency) for r in conn.execute(query)]

    def order_of(self, customer_id: int, number: str) -> Order | None:
        with self._engine.connect() as conn:
            order_id = conn.execute(select(orders.c.id).where(
                orders.c.number == number, orders.c.customer_id == customer_id)).scalar()
            return SqlOrderRepository(conn).get(order_id) if order_id else None

    def addresses(self, customer_id: int) -> list[SavedAddress]:
        query = (select(addresses).where(addresses.c.customer_id == customer_id)
                 .order_by(addresses.c.is_default.desc(), addresses.c.id))
        with self._engine.connect() as conn:
            return [SavedAddress(r.id, Address(r.name, r.line1, r.city, r.postal_code,
                                               r.country, r.line2))
                    for r in conn.execute(query)]

    def add_address(self, customer_id: int, address: Address) -> None:
        with self._engine.begin() as conn:
            conn.execute(insert(addresses).values(
                customer_id=customer_id, name=address.name, line1=address.line1,
                line2=address.line2, city=address.city, postal_code=address.postal_code,
                country=address.country, created_at=utcnow()))

    def delete_address(self, customer_id: int, address_id: int) -> bool:
        with self._engine.begin() as conn:
            return bool(conn.execute(delete(addresses).where(and_(
                addresses.c.id == address_id,
                addresses.c.customer_id == customer_id))).rowcount)

    def set_preferences(self, customer_id: int, locale: str, marketing: bool,
                        at: datetime) -> None:
        with self._engine.begin() as conn:
            current = conn.execute(select(customers.c.marketing_consent)
                                   .where(customers.c.id == customer_id)).scalar()
            values: dict[str, object] = {"locale": locale, "updated_at": at,
                                         "marketing_consent": marketing}
            if bool(current) != marketing:
                values["consent_changed_at"] = at
            conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))


class SqlStockSubscriptions:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def subscribe(self, variant_id: int, email: str, locale: str) -> bool:
        """True if new or re-armed after its e-mail; asking twice while it waits is asking
        once."""
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(stock_subscriptions).values(
                    variant_id=variant_id, email=email, locale=locale, created_at=utcnow()))
            return True
        except IntegrityError:
            pass
        with self._engine.begin() as conn:
            return bool(conn.execute(update(stock_subscriptions).where(
                stock_subscriptions.c.variant_id == variant_id,
                stock_subscriptions.c.email == email,
                stock_subscriptions.c.notified_at.is_not(None),
            ).values(notified_at=None, locale=locale, created_at=utcnow())).rowcount)

    def due(self, limit: int) -> list[DueAlert]:
        with self._engine.connect() as conn:
            return [DueAlert(r.id, r.email, r.locale, r.slug, Localized(r.name_es, r.name_en),
                             dict(r.attributes)) for r in conn.execute(_DUE.limit(limit))]

    def mark_sent(self, alert_id: int, at: datetime, queue: str,
                  message: dict[str, object]) -> list[str] | None:
        # The conditional update is the claim: on PostgreSQL a second run waits for the
        # first's row lock and then finds notified_at set; SQLite writers take turns.
        with self._engine.begin() as conn:
            claimed = conn.execute(update(stock_subscriptions).where(
                stock_subscriptions.c.id == alert_id,
                stock_subscriptions.c.notified_at.is_(None)).values(notified_at=at)).rowcount
            if not claimed:
                return None
            outbox = SqlOutbox(conn)
            outbox.add(queue, message)
            return list(outbox.added)


_AVAILABLE = (select(func.sum(stock_levels.c.on_hand - stock_levels.c.reserved))
              .where(stock_levels.c.variant_id == stock_subscriptions.c.variant_id)
              .scalar_subquery())
_DUE = (
    select(stock_subscriptions.c.id, stock_subscriptions.c.email, stock_subscriptions.c.locale,
           products.c.slug, products.c.name_es, products.c.name_en, variants.c.attributes)
    .join(variants, variants.c.id == stock_subscriptions.c.variant_id)
    .join(products, products.c.id == variants.c.product_id)
    .where(stock_subscriptions.c.notified_at.is_(None), variants.c.is_published.is_(True),
           products.c.is_published.is_(True), _AVAILABLE > 0)
    .order_by(stock_subscriptions.c.id)
)
