"""Who may do what in the backoffice: roles map to permissions, routes declare one permission.

The table, exactly (``ROLE_PERMISSIONS`` below is the source of truth; the authorization
matrix test derives every expected 401/403/2xx from it and the route's declared permission):

==================  =====  =======  =======  ======
permission          admin  manager  support  viewer
==================  =====  =======  =======  ======
catalog:read        yes    yes      yes      yes
catalog:write       yes    yes      -        -
inventory:read      yes    yes      yes      yes
inventory:write     yes    yes      -        -
orders:read         yes    yes      yes      yes
orders:write        yes    yes      yes      -
customers:read      yes    yes      yes      yes
campaigns:read      yes    yes      -        yes
campaigns:write     yes    yes      -        -
jobs:read           yes    yes      -        yes
jobs:write          yes    yes      -        -
audit:read          yes    yes      -        yes
reports:read        yes    yes      yes      yes
mailbox:read        yes    yes      yes      -
staff:read          yes    -        -        -
staff:manage        yes    -        -        -
==================  =====  =======  =======  ======

Support writes orders (notes, ship, cancel, refund) but never the catalog or stock; the viewer
reads everything except staff accounts and the mailbox (customers' e-mail). Two pseudo
permissions exist for routes: ``PUBLIC`` (no session needed: sign-in, health) and
``SIGNED_IN`` (any active staff member: sign-out, who am I).
"""

from __future__ import annotations

PUBLIC = "public"
SIGNED_IN = "signed-in"

PERMISSIONS = (
    "catalog:read", "catalog:write", "inventory:read", "inventory:write", "orders:read",
    "orders:write", "customers:read", "campaigns:read", "campaigns:write", "jobs:read",
    "jobs:write", "audit:read", "reports:read", "mailbox:read", "staff:read", "staff:manage",
)

_READS = frozenset(p for p in PERMISSIONS if p.endswith(":read"))

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "manager": frozenset({
        "catalog:read", "catalog:write", "inventory:read", "inventory:write", "orders:read",
        "orders:write", "customers:read", "campaigns:read", "campaigns:write", "jobs:read",
        "jobs:write", "audit:read", "reports:read", "mailbox:read",
    }),
    "support": frozenset({
        "orders:read", "orders:write", "customers:read", "catalog:read", "inventory:read",
        "mailbox:read", "reports:read",
    }),
    "viewer": _READS - {"staff:read", "mailbox:read"},
}


def permissions_of(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def allows(role: str, permission: str) -> bool:
    """Whether an active staff member with ``role`` may use a route declaring ``permission``."""
    if permission in (PUBLIC, SIGNED_IN):
        return True
    return permission in permissions_of(role)
