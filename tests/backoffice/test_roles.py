"""Staff roles: the legacy table → Django groups → has_permission / HasPermission, the staff
services (last-admin rule, sessions ended on deactivation) and `manage.py createstaff`.

Ports legacy/tests/unit/backoffice/test_permissions.py (6), the staff parts of
legacy/tests/integration/backoffice/test_auth_api.py (2) and test_cli.py (1)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import path
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from backoffice import roles
from backoffice.roles import (
    PERMISSIONS,
    PUBLIC,
    ROLE_PERMISSIONS,
    ROLES,
    SIGNED_IN,
    HasPermission,
    has_permission,
    roles_sync,
    staff_create,
    staff_permissions,
    staff_role,
    staff_update,
)
from shop.audit.models import AuditEntry
from shop.core.errors import Conflict, NotFound, ShopError
from shop.users.models import User
from tests.backoffice.builders import PASSWORD, a_customer_account, a_staff_member

# The legacy table (PARITY.md §1.10), written out again here so that a change to roles.py
# cannot pass unnoticed.
TABLE = """
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
"""
EXPECTED = {(perm, role): cell == "yes" for perm, *cells in
            (line.split() for line in TABLE.strip().splitlines())
            for role, cell in zip(ROLES, cells, strict=True)}


class Probe(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [HasPermission(SIGNED_IN)]

    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"email": request.user.email, "role": staff_role(request.user)})


urlpatterns = [path("probe", Probe.as_view())]


# --- the table, without a database ------------------------------------------------------------

def test_the_role_table_is_the_legacy_one():
    assert {(perm, role): perm in ROLE_PERMISSIONS[role]
            for perm in PERMISSIONS for role in ROLES} == EXPECTED


def test_admin_has_every_permission():
    assert ROLE_PERMISSIONS["admin"] == frozenset(PERMISSIONS)


def test_only_admin_manages_or_sees_staff():
    holders = {role for role, granted in ROLE_PERMISSIONS.items()
               if {"staff:read", "staff:manage"} & granted}

    assert holders == {"admin"}


def test_the_viewer_reads_everything_but_staff_and_mailbox_and_writes_nothing():
    assert ROLE_PERMISSIONS["viewer"] == {p for p in PERMISSIONS if p.endswith(":read")} - {
        "staff:read", "mailbox:read"}


def test_support_writes_orders_but_not_catalog_stock_or_jobs():
    support = ROLE_PERMISSIONS["support"]

    assert "orders:write" in support
    assert {"catalog:write", "inventory:write", "jobs:write", "jobs:read"} & support == set()


def test_every_permission_names_django_permissions_and_the_class_carries_it():
    assert all(PERMISSIONS[perm] and all("." in name for name in PERMISSIONS[perm])
               for perm in PERMISSIONS)
    assert HasPermission("orders:write").permission == "orders:write"
    with pytest.raises(KeyError):
        HasPermission("orders:delete")


# --- groups and checks --------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_role_group_holds_exactly_the_django_permissions_of_its_row():
    for role in ROLES:
        expected = {name for perm in ROLE_PERMISSIONS[role] for name in PERMISSIONS[perm]}

        held = {f"{p.content_type.app_label}.{p.codename}"
                for p in Group.objects.get(name=role).permissions.select_related("content_type")}

        assert held == expected, role


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_has_permission_follows_the_table_for_every_permission(role):
    member = a_staff_member(role)

    granted = {perm: has_permission(member, perm) for perm in PERMISSIONS}

    assert granted == {perm: EXPECTED[(perm, role)] for perm in PERMISSIONS}
    assert staff_role(member) == role
    assert staff_permissions(member) == sorted(p for p in PERMISSIONS if EXPECTED[(p, role)])


@pytest.mark.django_db
def test_inactive_staff_customers_and_staff_without_a_role_get_nothing():
    people = [a_staff_member("admin", active=False), a_customer_account(),
              a_staff_member(None), None]

    assert [[p for p in PERMISSIONS if has_permission(person, p)] for person in people] == [
        [], [], [], []]
    assert [staff_role(person) for person in people[1:]] == [None, None, None]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, None])
def test_public_and_signed_in_routes_need_no_permission(role):
    member = a_staff_member(role)

    assert (has_permission(member, PUBLIC), has_permission(member, SIGNED_IN)) == (True, True)
    assert (has_permission(None, PUBLIC), has_permission(None, SIGNED_IN)) == (True, False)


@pytest.mark.django_db
def test_roles_sync_restores_a_tampered_group_and_is_safe_to_repeat():
    viewer = Group.objects.get(name="viewer")
    viewer.permissions.clear()
    Group.objects.get(name="support").delete()

    roles_sync()
    roles_sync()

    assert sorted(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == sorted(
        ROLES)
    assert has_permission(a_staff_member("viewer"), "audit:read")
    assert has_permission(a_staff_member("support"), "orders:write")


@pytest.mark.django_db
def test_has_permission_class_answers_401_without_staff_and_403_without_the_permission():
    view = _view_needing("orders:write")
    answers = []
    for user in (None, a_customer_account(), a_staff_member("viewer"),
                 a_staff_member("support")):
        request = APIRequestFactory().post("/x")
        if user is not None:
            force_authenticate(request, user=user)
        response = view(request)
        answers.append((response.status_code, response.data["detail"]))

    assert answers == [
        (401, "sign in first (no valid session)"),
        (401, "sign in first (no valid session)"),
        (403, "the viewer role may not do this (it needs orders:write)"),
        (200, "ok"),
    ]


def _view_needing(perm: str):  # type: ignore[no-untyped-def]
    class Needs(APIView):
        permission_classes = [HasPermission(perm)]

        def post(self, request):  # type: ignore[no-untyped-def]
            return Response({"detail": "ok"})

    return Needs.as_view()


# --- staff services ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_staff_create_makes_an_active_staff_member_in_the_group_and_audits_it():
    admin = a_staff_member("admin")

    member = staff_create(email=" Ana@Example.com ", name="Ana", role="support",
                          password="a-long-password", actor=admin)

    member.refresh_from_db()
    assert (member.email, member.is_staff, member.is_active, staff_role(member)) == (
        "ana@example.com", True, True, "support")
    assert member.check_password("a-long-password")
    entry = AuditEntry.objects.get(action="staff.create")
    assert (entry.actor, entry.entity, entry.entity_id, entry.before, entry.after) == (
        admin.email, "staff", str(member.pk), None,
        {"email": "ana@example.com", "name": "Ana", "role": "support", "is_active": True})


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "error", "message"), [
    ({"role": "boss"}, ShopError,
     "role must be one of admin, manager, support, viewer, not 'boss'"),
    ({"email": "not-an-address"}, ShopError, "'not-an-address' is not a valid e-mail address"),
    ({"password": "short"}, ShopError,
     "This password is too short. It must contain at least 10 characters."),
    ({"email": "taken@tienda.test"}, Conflict,
     "a staff account for taken@tienda.test already exists"),
    ({"email": "shopper@example.com"}, Conflict,
     "a customer account for shopper@example.com already exists"),
])
def test_staff_create_refuses_bad_input_and_writes_nothing(fields, error, message):
    a_staff_member("viewer", email="taken@tienda.test")
    a_customer_account("shopper@example.com")
    before = User.objects.count()

    with pytest.raises(error) as refused:
        staff_create(**{"email": "new@tienda.test", "name": "New", "role": "viewer",
                        "password": "a-long-password", "actor": "system", **fields})

    assert str(refused.value) == message
    assert (User.objects.count(), AuditEntry.objects.count()) == (before, 0)


@pytest.mark.django_db
def test_staff_update_changes_the_role_and_audits_before_and_after():
    admin, member = a_staff_member("admin"), a_staff_member("viewer")

    staff_update(user_id=member.pk, role="manager", actor=admin)

    member = User.objects.get(pk=member.pk)
    assert (staff_role(member), has_permission(member, "catalog:write")) == ("manager", True)
    entry = AuditEntry.objects.get(action="staff.update")
    assert (entry.before["role"], entry.after["role"], entry.actor) == (
        "viewer", "manager", admin.email)


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"role": "viewer"}, {"is_active": False}])
def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(change):
    admin = a_staff_member("admin")
    a_staff_member("admin", active=False)

    with pytest.raises(Conflict) as refused:
        staff_update(user_id=admin.pk, actor=admin, **change)

    admin = User.objects.get(pk=admin.pk)
    assert str(refused.value) == "this would leave no active admin; make someone else admin first"
    assert (staff_role(admin), admin.is_active, AuditEntry.objects.count()) == ("admin", True, 0)


@pytest.mark.django_db
def test_an_admin_may_step_down_when_another_admin_is_active():
    first, second = a_staff_member("admin"), a_staff_member("admin")

    staff_update(user_id=first.pk, role="support", actor=second)

    assert staff_role(User.objects.get(pk=first.pk)) == "support"


@pytest.mark.django_db
def test_staff_update_of_someone_who_is_not_staff_is_not_found():
    customer = a_customer_account()

    with pytest.raises(NotFound) as refused:
        staff_update(user_id=customer.pk, role="admin", actor="system")

    assert str(refused.value) == f"there is no staff member {customer.pk}"


@pytest.mark.django_db
@pytest.mark.urls("tests.backoffice.test_roles")
def test_a_deactivated_member_loses_access_at_once_and_stays_signed_out(client):
    admin, viewer = a_staff_member("admin"), a_staff_member("viewer")
    client.force_login(viewer)
    assert client.get("/probe").json() == {"email": viewer.email, "role": "viewer"}

    staff_update(user_id=viewer.pk, is_active=False, actor=admin)
    gone = client.get("/probe")
    staff_update(user_id=viewer.pk, is_active=True, actor=admin)
    after_reactivation = client.get("/probe")

    assert (gone.status_code, gone.json()) == (401, {"detail": "sign in first (no valid session)"})
    assert after_reactivation.status_code == 401
    assert [s for s in Session.objects.all()
            if s.get_decoded().get("_auth_user_id") == str(viewer.pk)] == []


@pytest.mark.django_db
def test_ending_sessions_keeps_other_peoples_sessions():
    from django.test import Client

    leaving, staying = a_staff_member("viewer"), a_staff_member("viewer")
    Client().force_login(leaving)
    Client().force_login(staying)

    ended = roles.sessions_end_for_user(user_id=leaving.pk)

    owners = [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()]
    assert (ended, owners) == (1, [str(staying.pk)])


# --- createstaff ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_createstaff_creates_a_member_with_the_role():
    out = io.StringIO()

    call_command("createstaff", "Ana@Example.com", "--role", "manager", "--name", "Ana",
                 "--password", "a-long-password", stdout=out)

    member = User.objects.get(email="ana@example.com")
    assert out.getvalue() == "created manager ana@example.com\n"
    assert (member.name, staff_role(member), member.check_password("a-long-password")) == (
        "Ana", "manager", True)
    assert AuditEntry.objects.get(action="staff.create").actor == "system"


@pytest.mark.django_db
def test_createstaff_refuses_an_existing_email_with_one_line_and_status_1():
    call_command("createstaff", "ana@example.com", "--role", "manager", "--password", PASSWORD,
                 stdout=io.StringIO())

    with pytest.raises(CommandError) as refused:
        call_command("createstaff", "Ana@Example.com", "--role", "viewer", "--password",
                     PASSWORD)

    assert (str(refused.value), refused.value.returncode) == (
        "a staff account for ana@example.com already exists", 1)
    assert list(User.objects.values_list("email", flat=True)) == ["ana@example.com"]


def test_createstaff_refuses_an_unknown_role_with_one_line_and_exit_status_1():
    done = subprocess.run(
        [sys.executable, "manage.py", "createstaff", "b@example.com", "--role", "boss",
         "--password", PASSWORD], capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test",
             "TIENDA_TEST_CHILD": "1"})

    assert (done.returncode, done.stderr) == (
        1, "CommandError: role must be one of admin, manager, support, viewer, not 'boss'\n")


@pytest.mark.django_db
def test_createstaff_asks_for_the_password_twice(monkeypatch):
    answers = iter(["a-long-password", "a-long-password", "one-password", "another-one"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    call_command("createstaff", "ana@example.com", "--role", "support", stdout=io.StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("createstaff", "bea@example.com", "--role", "support")

    assert User.objects.get(email="ana@example.com").check_password("a-long-password")
    assert str(refused.value) == "the two passwords differ"
    assert not User.objects.filter(email="bea@example.com").exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    first, second = a_staff_member("admin"), a_staff_member("admin")
    start = Barrier(2)

    def demote(user_id: int, actor: User) -> str:
        try:
            start.wait(timeout=10)
            staff_update(user_id=user_id, role="viewer", actor=actor)
            return "demoted"
        except Conflict:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(demote, [first.pk, second.pk], [second, first]))

    admins = [u.email for u in User.objects.all() if staff_role(u) == "admin"]
    assert sorted(outcomes) == ["demoted", "refused"]
    assert len(admins) == 1
