"""Staff roles: who may do what in the backoffice API and the Django admin.

The legacy permission table (PARITY.md §1.10) is the source of truth, kept as `ROLE_PERMISSIONS`
(role → the `area:verb` permissions it has). Each `area:verb` maps to Django permissions
(`PERMISSIONS`); each role is a Django group holding the union of them, so the admin (model
permissions) and the API (`HasPermission`) enforce the same thing. `roles_sync()` writes the
groups: from the data migration and again after every `migrate`/`flush` (post_migrate).

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
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from shop.audit.services import audit_record
from shop.core.errors import Conflict, NotFound, ShopError

ROLES = ("admin", "manager", "support", "viewer")

# Route pseudo-permissions (legacy): no session needed / any active staff member.
PUBLIC = "public"
SIGNED_IN = "signed-in"


def _model_perms(app: str, models: tuple[str, ...], *actions: str) -> tuple[str, ...]:
    return tuple(f"{app}.{action}_{model}" for model in models for action in actions)


_CATALOG = ("category", "product", "variant", "productimage", "attributelabel")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "catalog:read": _model_perms("catalog", _CATALOG, "view"),
    "catalog:write": _model_perms("catalog", _CATALOG, "add", "change", "delete"),
    "inventory:read": _model_perms("inventory", ("warehouse", "stocklevel", "stockmovement",
                                                 "inventoryjob", "lowstockthreshold"), "view"),
    "inventory:write": ("inventory.add_warehouse", "inventory.change_warehouse",
                        "backoffice.adjust_stock", "inventory.add_inventoryjob",
                        *_model_perms("inventory", ("lowstockthreshold",),
                                      "add", "change", "delete")),
    "orders:read": (*_model_perms("orders", ("order", "orderline", "orderevent", "ordernote"),
                                  "view"), "payments.view_payment"),
    "orders:write": ("backoffice.ship_order", "backoffice.deliver_order",
                     "backoffice.cancel_order", "backoffice.refund_order",
                     "orders.add_ordernote"),
    "customers:read": _model_perms("customers", ("customer", "address"), "view"),
    "campaigns:read": ("backoffice.view_campaigns",
                       *_model_perms("campaigns", ("campaign", "campaigndelivery"), "view")),
    "campaigns:write": ("backoffice.manage_campaigns", "campaigns.add_campaign",
                        "campaigns.change_campaign"),
    "jobs:read": ("backoffice.view_jobs",),
    "jobs:write": ("backoffice.manage_jobs",),
    "audit:read": ("audit.view_auditentry",),
    "reports:read": ("backoffice.view_reports",),
    "mailbox:read": ("backoffice.view_mailbox",),
    "staff:read": ("backoffice.view_staff", "users.view_user"),
    "staff:manage": ("backoffice.manage_staff", "users.add_user", "users.change_user"),
}

_READS = frozenset(p for p in PERMISSIONS if p.endswith(":read"))

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "manager": frozenset(PERMISSIONS) - {"staff:read", "staff:manage"},
    "support": frozenset({
        "catalog:read", "inventory:read", "orders:read", "orders:write", "customers:read",
        "reports:read", "mailbox:read",
    }),
    "viewer": _READS - {"staff:read", "mailbox:read"},
}


# --- groups ----------------------------------------------------------------------------------

def _ensure_permissions_exist() -> None:
    # Django creates model permissions after `migrate` (post_migrate); the data migration runs
    # before that, so create them here the way Django does. Idempotent.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)


def _permission_rows(names: set[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    rows = [perm for perm in Permission.objects.select_related("content_type")
            .filter(codename__in={codename for _, codename in wanted})
            if (perm.content_type.app_label, perm.codename) in wanted]
    found = {(perm.content_type.app_label, perm.codename) for perm in rows}
    if found != wanted:
        missing = ", ".join(sorted(".".join(pair) for pair in wanted - found))
        raise LookupError(f"these permissions do not exist: {missing}")
    return rows


@transaction.atomic
def roles_sync() -> None:
    """Create each role's group and set its permissions to exactly the table's; safe to
    repeat."""
    _ensure_permissions_exist()
    for role in ROLES:
        names = {name for perm in ROLE_PERMISSIONS[role] for name in PERMISSIONS[perm]}
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permission_rows(names))


def roles_sync_after_migrate(**_: Any) -> None:
    """post_migrate receiver (BackofficeConfig.ready): also runs after a test `flush`."""
    roles_sync()


# --- checks ----------------------------------------------------------------------------------

def is_active_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def has_permission(user: Any, perm: str) -> bool:
    """Whether `user` is active staff holding every Django permission behind `perm`."""
    if perm == PUBLIC:
        return True
    if not is_active_staff(user):
        return False
    if perm == SIGNED_IN:
        return True
    return user.has_perms(PERMISSIONS[perm])


def staff_role(user: Any) -> str | None:
    """The staff member's role (the first role group they belong to), or None."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLES if role in names),
                "admin" if user.is_superuser else None)


def staff_permissions(user: Any) -> list[str]:
    """The `area:verb` permissions the user has, sorted."""
    return sorted(perm for perm in PERMISSIONS if has_permission(user, perm))


class SignInRequired(exceptions.APIException):
    # Not NotAuthenticated: DRF turns that into 403 when the authenticator (sessions) sends no
    # WWW-Authenticate header, and the API promises 401 to a caller without a staff session.
    status_code = 401
    default_detail = "sign in first (no valid session)"
    default_code = "not_authenticated"


def HasPermission(perm: str) -> type[BasePermission]:  # a class factory, named like a class
    """A DRF permission class: 401 without an active staff session, 403 without `perm`."""
    if perm not in PERMISSIONS and perm not in (PUBLIC, SIGNED_IN):
        raise KeyError(f"unknown backoffice permission {perm!r}")

    class _HasPermission(BasePermission):
        permission = perm

        def has_permission(self, request: Any, view: Any) -> bool:
            if perm == PUBLIC:
                return True
            if not is_active_staff(request.user):
                raise SignInRequired()
            if not has_permission(request.user, perm):
                role = staff_role(request.user) or "no"
                raise exceptions.PermissionDenied(
                    f"the {role} role may not do this (it needs {perm})")
            return True

    _HasPermission.__name__ = _HasPermission.__qualname__ = f"HasPermission[{perm}]"
    return _HasPermission


# --- staff services --------------------------------------------------------------------------

def _actor_name(actor: Any) -> str:
    return actor if isinstance(actor, str) else actor.email


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ShopError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


def _snapshot(user: Any) -> dict[str, Any]:
    return {"email": user.email, "name": user.name, "role": staff_role(user) or "",
            "is_active": user.is_active}


def _clean_email(email: str) -> str:
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ShopError(f"{email!r} is not a valid e-mail address") from None
    return address


def _check_password(password: str, user: Any) -> None:
    # Staff-facing messages are English like every other service message here.
    with translation.override("en"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ShopError(" ".join(str(message) for message in exc.messages)) from None


@transaction.atomic
def staff_create(*, email: str, name: str, role: str, password: str, actor: Any) -> Any:
    """A new active staff member with `role`; audited."""
    User = get_user_model()
    address = _clean_email(email)
    _check_role(role)
    user = User(email=address, name=(name or "").strip(), is_staff=True, is_active=True)
    _check_password(password, user)
    existing = User.objects.filter(email=address).first()
    if existing is not None:
        kind = "staff" if existing.is_staff else "customer"
        raise Conflict(f"a {kind} account for {address} already exists")
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    audit_record(actor=_actor_name(actor), action="staff.create", entity="staff",
                 entity_id=user.pk, before=None, after=_snapshot(user))
    return user


def _active_admins() -> int:
    User = get_user_model()
    return User.objects.filter(is_active=True, is_staff=True, groups__name="admin").count()


@transaction.atomic
def staff_update(*, user_id: int, role: str | None = None, is_active: bool | None = None,
                 actor: Any) -> Any:
    """Change a staff member's role and/or active flag. Refuses to leave no active admin;
    deactivating signs the member out everywhere. Audited."""
    User = get_user_model()
    # Lock every admin row first, in id order: two admins demoting each other at once are then
    # serialised, and the second sees that the first is no longer an admin.
    admins = Group.objects.get(name="admin").user_set.values_list("pk", flat=True)
    list(User.objects.select_for_update().filter(pk__in=list(admins)).order_by("pk"))
    user = User.objects.select_for_update().filter(pk=user_id, is_staff=True).first()
    if user is None:
        raise NotFound(f"there is no staff member {user_id}")
    if role is not None:
        _check_role(role)
    before = _snapshot(user)
    if role is not None:
        user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
        user.groups.add(Group.objects.get(name=role))
    if is_active is not None:
        user.is_active = is_active
        user.save(update_fields=["is_active", "updated_at"])
    if before["role"] == "admin" and before["is_active"] and _active_admins() == 0:
        raise Conflict("this would leave no active admin; make someone else admin first")
    if before["is_active"] and not user.is_active:
        sessions_end_for_user(user_id=user.pk)
    audit_record(actor=_actor_name(actor), action="staff.update", entity="staff",
                 entity_id=user.pk, before=before, after=_snapshot(user))
    return user


def sessions_end_for_user(*, user_id: int) -> int:
    """Delete the user's sessions (through the session engine, so cached copies go too).

    Sessions store the user id only inside the encoded payload, so each live session is
    decoded; staff are deactivated rarely enough that this scan is fine. The rows go with the
    caller's transaction; a cache entry dropped before a rollback is only reloaded from them."""
    from django.conf import settings

    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended
