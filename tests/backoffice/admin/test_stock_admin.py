"""Stock in the Django admin: levels change only through the adjustment action (ledger row and
audit entry); the ledger is read-only for everyone."""

from __future__ import annotations

import pytest
from django.contrib.admin import site
from django.test import RequestFactory
from django.urls import reverse

from shop.audit.models import AuditEntry
from shop.inventory.models import StockLevel, StockMovement
from tests.backoffice.builders import a_staff_member
from tests.builders import a_variant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]

LEVELS = "admin:inventory_stocklevel_changelist"


def _adjust(client, levels, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse(LEVELS), {"action": "adjust", "apply": "yes",
                                         "_selected_action": [str(lv.pk) for lv in levels],
                                         **data})


def test_a_manager_adjusts_stock_through_the_service(staff_client):
    client, manager = staff_client("manager")
    level = StockLevel.objects.get(variant=a_variant("TSH-1", stock={"MAD": 5}))

    asked = client.post(reverse(LEVELS), {"action": "adjust", "index": "0",
                                          "_selected_action": [str(level.pk)]})
    done = _adjust(client, [level], delta="-2", reason="damaged in the warehouse")

    level.refresh_from_db()
    assert (asked.status_code, 'name="delta"' in asked.content.decode()) == (200, True)
    assert done.status_code == 302
    assert (level.on_hand, level.reserved) == (3, 0)
    movement = StockMovement.objects.get()
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.actor) == (
        "adjustment", -2, "damaged in the warehouse", manager.email)
    audit = AuditEntry.objects.get(action="stock.adjust")
    assert (audit.actor, audit.entity_id, audit.after["on_hand"]) == (
        manager.email, "TSH-1@MAD", 3)


def test_an_adjustment_below_the_reserved_units_is_refused_with_the_services_message(
        staff_client):
    client, _ = staff_client("manager")
    level = StockLevel.objects.get(variant=a_variant("TSH-2", stock={"MAD": 5}))
    StockLevel.objects.filter(pk=level.pk).update(reserved=4)

    response = _adjust(client, [level], delta="-3", reason="count")

    level.refresh_from_db()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "TSH-2@MAD: on hand would become 2, below the 4 reserved for placed orders in MAD"]
    assert (level.on_hand, StockMovement.objects.count(), AuditEntry.objects.count()) == (5, 0, 0)


def test_a_zero_delta_is_asked_again(staff_client):
    client, _ = staff_client("manager")
    level = StockLevel.objects.get(variant=a_variant("TSH-3", stock={"MAD": 5}))

    response = _adjust(client, [level], delta="0", reason="count")

    assert response.status_code == 200
    assert "the delta must not be zero" in response.content.decode()
    assert StockMovement.objects.count() == 0


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_roles_without_inventory_write_see_levels_but_may_not_adjust(staff_client, role):
    client, _ = staff_client(role)
    level = StockLevel.objects.get(variant=a_variant("TSH-4", stock={"MAD": 5}))

    listed = client.get(reverse(LEVELS))
    refused = _adjust(client, [level], delta="10", reason="found more")
    edited = client.post(reverse("admin:inventory_stocklevel_change", args=[level.pk]),
                         {"on_hand": "50"})

    level.refresh_from_db()
    assert listed.status_code == 200 and "TSH-4" in listed.content.decode()
    assert (refused.status_code, edited.status_code) == (403, 403)
    assert (level.on_hand, StockMovement.objects.count()) == (5, 0)


def test_the_ledger_has_no_add_change_or_delete_for_anyone_not_even_a_superuser(staff_client):
    client, _ = staff_client("admin")
    level = StockLevel.objects.get(variant=a_variant("TSH-5", stock={"MAD": 5}))
    _adjust(client, [level], delta="1", reason="found one")
    movement = StockMovement.objects.get()
    superuser = a_staff_member(None)
    superuser.is_superuser = True
    superuser.save()
    request = RequestFactory().get("/")
    request.user = superuser
    ledger = site.get_model_admin(StockMovement)

    listed = client.get(reverse("admin:inventory_stockmovement_changelist"))
    add = client.get(reverse("admin:inventory_stockmovement_add"))
    change = client.post(reverse("admin:inventory_stockmovement_change", args=[movement.pk]),
                         {"on_hand_delta": "100"})
    delete = client.post(reverse("admin:inventory_stockmovement_delete", args=[movement.pk]),
                         {"post": "yes"})

    assert listed.status_code == 200
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert (ledger.has_add_permission(request), ledger.has_change_permission(request, movement),
            ledger.has_delete_permission(request, movement)) == (False, False, False)
    assert ledger.get_actions(request) == {}
    assert StockMovement.objects.get().on_hand_delta == 1
