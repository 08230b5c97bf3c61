"""The role table the whole API is authorized by."""

from __future__ import annotations

import pytest

from tienda.service_layer.backoffice.permissions import (
    PERMISSIONS,
    PUBLIC,
    ROLE_PERMISSIONS,
    SIGNED_IN,
    allows,
)


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


@pytest.mark.parametrize("role", ["admin", "manager", "support", "viewer", "intruder"])
def test_public_and_signed_in_routes_need_no_permission(role):
    assert allows(role, PUBLIC)
    assert allows(role, SIGNED_IN)


def test_an_unknown_role_gets_nothing():
    assert [p for p in PERMISSIONS if allows("intruder", p)] == []
