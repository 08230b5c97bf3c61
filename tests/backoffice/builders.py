"""Builders for backoffice tests: staff members in a role group."""

from __future__ import annotations

from itertools import count

from django.contrib.auth.models import Group

from shop.users.models import User

PASSWORD = "a-long-staff-password"
_serial = count(1)


def a_staff_member(role: str | None = "manager", *, email: str | None = None,
                   active: bool = True) -> User:
    """An active staff account in the role's group (no group when `role` is None)."""
    user = User.objects.create_user(email or f"{role or 'nobody'}{next(_serial)}@tienda.test",
                                    PASSWORD, name=f"{role} member", is_staff=True,
                                    is_active=active)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


def a_customer_account(email: str = "shopper@example.com") -> User:
    return User.objects.create_user(email, PASSWORD, name="Shopper")
