"""Customer writes. Two owners share this file (checkout: customer_for_checkout; accounts:
the rest): edit your own functions in place, never rewrite the whole file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext, gettext_lazy

from shop.core.errors import Conflict, Forbidden
from shop.customers.models import Address, Customer
from shop.customers.selectors import unsubscribe_token_valid
from shop.notifications.tasks import send_email_task
from shop.orders.models import Order
from shop.users.models import User


def customer_for_checkout(*, email: str, locale: str, user=None) -> Customer:
    """The customer an order belongs to: the signed-in user's (linked on first use), or the
    one with this e-mail, created if new. Guests' orders are placed without one (the caller
    passes no customer); they are claimed later from the same browser."""
    email = email.strip().lower()
    if user is not None:
        linked = Customer.objects.filter(user=user).first()
        if linked is not None:
            return linked
        email = (user.email or email).strip().lower()
    # get_or_create reads the winner's row when a concurrent checkout created it first.
    customer, _ = Customer.objects.get_or_create(email=email, defaults={"locale": locale})
    if user is not None and customer.user_id is None:
        customer.user = user
        customer.save(update_fields=["user", "updated_at"])
    return customer


# --- customer accounts: everything below is the accounts work (storefront account pages) ----
# Two owners share this file: edit your own functions in place, never rewrite the whole file.

MAX_ADDRESSES = 20
MAX_CLAIMED_ORDERS = 20
_REGISTERED_ALREADY = gettext_lazy(
    "This e-mail already has an account: sign in or reset the password.")
_RESET_LINK_DEAD = gettext_lazy("This reset link has expired or was already used.")


@transaction.atomic
def account_register(*, email: str, password: str, name: str, locale: str,
                     marketing: bool) -> User:
    """A new account for this e-mail. A guest customer with this e-mail (no account yet)
    becomes the account's customer; an e-mail that already has an account is refused."""
    address = email.strip().lower()
    if User.objects.filter(email=address).exists():
        raise Conflict(_REGISTERED_ALREADY)
    customer = Customer.objects.select_for_update().filter(email=address).first()
    if customer is not None and customer.user_id is not None:
        raise Conflict(_REGISTERED_ALREADY)
    try:
        with transaction.atomic():
            user = User.objects.create_user(address, password, name=name.strip()[:200])
    except IntegrityError:
        raise Conflict(_REGISTERED_ALREADY) from None
    customer = customer or Customer(email=address)
    customer.user, customer.name, customer.locale = user, name.strip()[:200], locale
    customer.marketing_consent, customer.consent_changed_at = marketing, timezone.now()
    customer.save()
    return user


def account_orders_claim(*, customer: Customer, order_ids: list[str]) -> int:
    """Attach the guest orders placed from this browser (their ids come from the session)
    that carry the account's e-mail. An order is never claimed by e-mail alone, and an
    order that already belongs to an account stays where it is."""
    ids = _valid_uuids(order_ids[-MAX_CLAIMED_ORDERS:])
    if not ids:
        return 0
    return (Order.objects.filter(pk__in=ids, email__iexact=customer.email)
            .filter(Q(customer__isnull=True) | Q(customer__user__isnull=True))
            .update(customer=customer))


def _valid_uuids(values: list[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


@transaction.atomic
def address_add(*, customer: Customer, name: str, line1: str, line2: str, city: str,
                postal_code: str, country: str) -> Address:
    # The customer row is locked so two concurrent adds cannot both pass the limit.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    if Address.objects.filter(customer=customer).count() >= MAX_ADDRESSES:
        raise Conflict(gettext("At most %(count)d saved addresses.") % {"count": MAX_ADDRESSES})
    return Address.objects.create(customer=customer, name=name, line1=line1, line2=line2,
                                  city=city, postal_code=postal_code, country=country)


def address_delete(*, customer: Customer, address_id: int) -> bool:
    """Delete one of the customer's own addresses; someone else's is left alone."""
    deleted, _ = Address.objects.filter(customer=customer, pk=address_id).delete()
    return deleted > 0


@transaction.atomic
def customer_preferences_set(*, customer: Customer, locale: str, marketing: bool) -> Customer:
    """Language and marketing consent; `consent_changed_at` records when consent changed."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    fields = ["locale", "updated_at"]
    customer.locale = locale
    if customer.marketing_consent != marketing:
        customer.marketing_consent, customer.consent_changed_at = marketing, timezone.now()
        fields += ["marketing_consent", "consent_changed_at"]
    customer.save(update_fields=fields)
    return customer


def customer_unsubscribe(*, customer_id: int, token: str) -> bool:
    """One-click unsubscribe (RFC 8058): withdraw marketing consent if the link's HMAC is
    right. False, and nothing changed, for a forged link or an unknown customer."""
    if not unsubscribe_token_valid(customer_id=customer_id, token=token):
        return False
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        return False
    customer_preferences_set(customer=customer, locale=customer.locale, marketing=False)
    return True


# Password reset: Django's PasswordResetTokenGenerator signs the user's password hash and last
# sign-in into the token: no table, valid for PASSWORD_RESET_TIMEOUT (1 hour), dead once the
# password changes.

@transaction.atomic
def password_reset_request(*, email: str, locale: str) -> None:
    """Queue a reset e-mail (outbox, this transaction) if the address has a customer account;
    say nothing either way."""
    user = (User.objects.filter(email=email.strip().lower()[:320], is_active=True,
                                is_staff=False).first())
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/account/reset/{uid}/{token}"
    send_email_task.enqueue(kind="password_reset", to=user.email, locale=locale,
                            context={"link": link, "name": user.name})


def password_reset_user(*, uidb64: str, token: str) -> User:
    """The user a reset link is for, if the link is still good (Forbidden otherwise)."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        raise Forbidden(_RESET_LINK_DEAD) from None
    user = User.objects.filter(pk=user_id, is_active=True, is_staff=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise Forbidden(_RESET_LINK_DEAD)
    return user


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, password: str) -> User:
    """Set the new password. The link then stops working (the token signs the old hash) and
    every other session of the account ends (each carries a hash of the old password)."""
    user = password_reset_user(uidb64=uidb64, token=token)
    # Locked and checked again, so two submissions of one link cannot both succeed.
    user = User.objects.select_for_update().get(pk=user.pk)
    if not default_token_generator.check_token(user, token):
        raise Forbidden(_RESET_LINK_DEAD)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    return user
