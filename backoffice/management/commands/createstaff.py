"""`manage.py createstaff EMAIL --role ROLE [--name N] [--password P]`: a staff account in one
of the role groups (asks for the password twice when --password is not given)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backoffice.roles import ROLES, staff_create
from shop.core.errors import ShopError


class Command(BaseCommand):
    help = "Create a staff account with a role (admin, manager, support, viewer)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="prompted for (twice) when not given")

    def handle(self, *args: Any, email: str, role: str, name: str, password: str | None,
               **options: Any) -> None:
        if role not in ROLES:
            raise CommandError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if password is None:
            password = _ask_password()
        try:
            user = staff_create(email=email, name=name, role=role, password=password,
                                actor="system")
        except ShopError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"created {role} {user.email}")


def _ask_password() -> str:
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password (again): "):
        raise CommandError("the two passwords differ")
    return password
