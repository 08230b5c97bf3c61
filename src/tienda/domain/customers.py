"""Customers: identity by e-mail, language, and consent to marketing."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class InvalidEmail(ValueError):
    pass


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 320 or not _EMAIL.match(email):
        raise InvalidEmail(f"{raw!r} is not an e-mail address")
    return email
