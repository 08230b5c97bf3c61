"""Staff roles, from most to least powerful."""

from __future__ import annotations

ROLES = ("admin", "manager", "support", "viewer")
MIN_PASSWORD_LENGTH = 10
