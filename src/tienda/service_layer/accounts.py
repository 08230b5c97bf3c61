"""Customer accounts: register, sign in and out, password reset by e-mail, order history,
saved addresses, language and marketing consent.

No answer tells whether an e-mail has an account: sign-in failures all read the same and a
reset request always "sends" an e-mail. Sign-in failures are counted per e-mail and per
client address; past the limit the form refuses for a while, even the right password."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tienda.domain.customers import InvalidEmail, normalize_email
from tienda.domain.money import Money
from tienda.domain.orders import Address, Order
from tienda.service_layer.checkout import publish_now
from tienda.service_layer.policy import ShopPolicy
from tienda.service_layer.ports import OutboxRelay

MIN_PASSWORD = 10
SESSION_DAYS = 30
RESET_MINUTES = 60
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 20
# Verified when the e-mail has no account, so both answers take the same time.
_dummy_hashes: dict[int, str] = {}


class AccountError(ValueError):
    """A request about an account that cannot go ahead; the message is for the shopper."""


class SignInRefused(AccountError):
    pass


class TooManyAttempts(AccountError):
    pass


@dataclass(frozen=True)
class Customer:
    id: int
    email: str
    name: str
    locale: str
    marketing_consent: bool
    password_hash: str | None = None


@dataclass(frozen=True)
class OrderSummary:
    id: str
    number: str
    status: str
    placed_at: datetime
    total_minor: int
    currency: str

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)


@dataclass(frozen=True)
class SavedAddress:
    id: int
    address: Address


class Passwords(Protocol):
    def hash_password(self, password: str) -> str: ...

    def verify_password(self, password_hash: str, password: str) -> bool: ...


class AccountStore(Protocol):
    def by_email(self, email: str) -> Customer | None: ...

    def by_id(self, customer_id: int) -> Customer | None: ...

    def register(self, email: str, password_hash: str, name: str, locale: str,
                 marketing: bool) -> int:
        """The new (or password-less guest) customer's id; raise AccountError if taken."""
        ...

    def failures_since(self, key: str, since: datetime) -> int: ...

    def record_failure(self, keys: list[str], at: datetime) -> None: ...

    def clear_failures(self, key: str) -> None: ...

    def create_session(self, token_hash: str, customer_id: int, expires_at: datetime) -> None: ...

    def session_customer(self, token_hash: str, now: datetime) -> Customer | None: ...

    def delete_sessions(self, token_hash: str | None, customer_id: int | None) -> None: ...

    def create_reset(self, token_hash: str, customer_id: int, expires_at: datetime,
                     queue: str, message: dict[str, object]) -> list[str]:
        """Store the token and its e-mail in the outbox, in one transaction."""
        ...

    def use_reset(self, token_hash: str, now: datetime, password_hash: str) -> int | None:
        """Set the password if the token is unused and unexpired; the customer id or None."""
        ...

    def claim_orders(self, customer_id: int, email: str, order_ids: list[str]) -> int: ...

    def orders_of(self, customer_id: int) -> list[OrderSummary]: ...

    def order_of(self, customer_id: int, number: str) -> Order | None: ...

    def addresses(self, customer_id: int) -> list[SavedAddress]: ...

    def add_address(self, customer_id: int, address: Address) -> None: ...

    def delete_address(self, customer_id: int, address_id: int) -> bool: ...

    def set_preferences(self, customer_id: int, locale: str, marketing: bool,
                        at: datetime) -> None: ...


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Accounts:
    store: AccountStore
    passwords: Passwords
    relay: OutboxRelay
    policy: ShopPolicy

    def register(self, email: str, password: str, name: str, locale: str,
                 marketing: bool) -> str:
        """Create the account and sign it in: the new session token."""
        address = _email(email)
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
        customer_id = self.store.register(address, self.passwords.hash_password(password),
                                          name.strip()[:200], locale, marketing)
        return self._open_session(customer_id)

    def sign_in(self, email: str, password: str, client: str) -> str:
        address = email.strip().lower()[:320]
        keys = [f"email:{address}", f"client:{client}"[:400]]
        self._check_rate(keys)
        customer = self.store.by_email(address)
        stored = customer.password_hash if customer and customer.password_hash else None
        valid = self.passwords.verify_password(stored or self._dummy_hash(), password)
        if customer is None or stored is None or not valid:
            self.store.record_failure(keys, _now())
            raise SignInRefused("the e-mail or the password is wrong")
        self.store.clear_failures(keys[0])
        return self._open_session(customer.id)

    def _dummy_hash(self) -> str:
        key = id(self.passwords)
        if key not in _dummy_hashes:
            _dummy_hashes[key] = self.passwords.hash_password(secrets.token_urlsafe(16))
        return _dummy_hashes[key]

    def _check_rate(self, keys: list[str]) -> None:
        since = _now() - FAILURE_WINDOW
        limits = (MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_CLIENT)
        if any(self.store.failures_since(key, since) >= limit
               for key, limit in zip(keys, limits, strict=True)):
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            raise TooManyAttempts(f"too many failed sign-ins; try again in {minutes} minutes")

    def _open_session(self, customer_id: int) -> str:
        token = secrets.token_urlsafe(32)
        self.store.create_session(_hash(token), customer_id,
                                  _now() + timedelta(days=SESSION_DAYS))
        return token

    def current(self, session_token: str | None) -> Customer | None:
        if not session_token:
            return None
        return self.store.session_customer(_hash(session_token), _now())

    def sign_out(self, session_token: str) -> None:
        self.store.delete_sessions(_hash(session_token), None)

    def request_reset(self, email: str, locale: str) -> None:
        """Queue a reset e-mail if the address has an account; say nothing either way."""
        try:
            customer = self.store.by_email(_email(email))
        except AccountError:
            return
        if customer is None:
            return
        token = secrets.token_urlsafe(32)
        link = f"{self.policy.public_base_url}/account/reset/{token}"
        added = self.store.create_reset(
            _hash(token), customer.id, _now() + timedelta(minutes=RESET_MINUTES),
            self.policy.queue_notifications,
            {"kind": "password_reset", "email": customer.email, "locale": locale,
             "link": link})
        publish_now(self.relay, added)

    def reset_password(self, token: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
        customer_id = self.store.use_reset(_hash(token), _now(),
                                           self.passwords.hash_password(password))
        if customer_id is None:
            raise AccountError("this reset link has expired or was already used")
        self.store.delete_sessions(None, customer_id)

    def claim_orders(self, customer: Customer, order_ids: list[str]) -> int:
        """Attach guest orders placed in this browser (never merely by e-mail address)."""
        return self.store.claim_orders(customer.id, customer.email, order_ids[:20])

    def set_preferences(self, customer: Customer, locale: str, marketing: bool) -> None:
        self.store.set_preferences(customer.id, locale, marketing, _now())

    def unsubscribe_token(self, customer_id: int) -> str:
        secret = self.policy.token_secret.encode()
        return hmac.new(secret, f"unsubscribe:{customer_id}".encode(),
                        hashlib.sha256).hexdigest()[:32]

    def unsubscribe(self, customer_id: int, token: str) -> bool:
        if not hmac.compare_digest(self.unsubscribe_token(customer_id), token):
            return False
        customer = self.store.by_id(customer_id)
        if customer is None:
            return False
        self.store.set_preferences(customer.id, customer.locale, False, _now())
        return True

    def add_address(self, customer: Customer, address: Address) -> None:
        if len(self.store.addresses(customer.id)) >= 20:
            raise AccountError("at most 20 saved addresses")
        self.store.add_address(customer.id, address)


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidEmail as exc:
        raise AccountError(str(exc)) from None
