"""Staff, customers and the audit log in the Django admin; the site itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.roles import staff_role
from shop.audit.models import AuditEntry
from shop.audit.services import audit_record
from shop.customers.models import Address, Customer
from shop.users.models import User
from tests.backoffice.builders import a_customer_account, a_staff_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]

STAFF = "admin:users_user_changelist"


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.wsgi_request._messages]


def test_the_site_is_titled_and_shows_each_role_only_what_it_may_see(staff_client):
    pages = {role: staff_client(role)[0].get(reverse("admin:index")).content.decode()
             for role in ("admin", "manager", "support", "viewer")}

    assert all("Tienda backoffice" in page for page in pages.values())
    shown = {role: [url in page for url in (reverse(STAFF),
                                            reverse("admin:audit_auditentry_changelist"),
                                            reverse("admin:orders_order_changelist"))]
             for role, page in pages.items()}
    assert shown == {"admin": [True, True, True], "manager": [False, True, True],
                     "support": [False, False, True], "viewer": [False, True, True]}


def test_signed_out_visitors_and_customers_are_sent_to_the_sign_in_page(client):
    customer = a_customer_account()

    anonymous = client.get(reverse("admin:orders_order_changelist"))
    client.force_login(customer)
    as_customer = client.get(reverse("admin:orders_order_changelist"))

    assert [r.status_code for r in (anonymous, as_customer)] == [302, 302]
    assert as_customer["Location"].startswith(reverse("admin:login"))


def test_an_admin_adds_a_staff_member_through_staff_create(staff_client):
    client, admin = staff_client("admin")

    response = client.post(reverse("admin:users_user_add"), {
        "email": "Bea@Tienda.local", "name": "Bea", "role": "support",
        "password1": "a-long-password", "password2": "a-long-password"})

    member = User.objects.get(email="bea@tienda.local")
    assert response.status_code == 302
    assert (member.is_staff, staff_role(member), member.check_password("a-long-password")) == (
        True, "support", True)
    entry = AuditEntry.objects.get(action="staff.create")
    assert (entry.actor, entry.entity_id) == (admin.email, str(member.pk))


def test_different_passwords_are_asked_again(staff_client):
    client, _ = staff_client("admin")

    response = client.post(reverse("admin:users_user_add"), {
        "email": "bea@tienda.local", "name": "Bea", "role": "support",
        "password1": "a-long-password", "password2": "another-password"})

    assert response.status_code == 200
    assert "the two passwords differ" in response.content.decode()
    assert not User.objects.filter(email="bea@tienda.local").exists()


def test_an_admin_changes_a_role_in_the_change_form(staff_client):
    client, admin = staff_client("admin")
    member = a_staff_member("viewer")

    response = client.post(reverse("admin:users_user_change", args=[member.pk]),
                           {"role": "manager", "is_active": "on"})

    assert response.status_code == 302
    assert staff_role(User.objects.get(pk=member.pk)) == "manager"
    entry = AuditEntry.objects.get(action="staff.update")
    assert (entry.before["role"], entry.after["role"], entry.actor) == (
        "viewer", "manager", admin.email)


def test_the_last_admin_cannot_deactivate_or_demote_themselves_in_the_admin(staff_client):
    client, admin = staff_client("admin")

    deactivated = client.post(reverse(STAFF), {"action": "deactivate", "index": "0",
                                               "_selected_action": [str(admin.pk)]},
                              follow=True)
    demoted = client.post(reverse("admin:users_user_change", args=[admin.pk]),
                          {"role": "viewer", "is_active": "on"}, follow=True)

    admin = User.objects.get(pk=admin.pk)
    refusal = "this would leave no active admin; make someone else admin first"
    assert _messages(deactivated) == [f"{admin.email}: {refusal}"]
    assert _messages(demoted) == [refusal]
    assert (admin.is_active, staff_role(admin), AuditEntry.objects.count()) == (True, "admin", 0)


def test_deactivating_a_member_through_the_action_signs_them_out(staff_client):
    client, _ = staff_client("admin")
    member_client, member = staff_client("support")

    client.post(reverse(STAFF), {"action": "deactivate", "index": "0",
                                 "_selected_action": [str(member.pk)]})
    after = member_client.get(reverse("admin:orders_order_changelist"))

    assert User.objects.get(pk=member.pk).is_active is False
    assert after.status_code == 302 and after["Location"].startswith(reverse("admin:login"))


def test_staff_pages_list_only_staff_and_are_closed_to_managers(staff_client):
    client, admin = staff_client("admin")
    customer = a_customer_account("shopper@example.com")
    manager_client, _ = staff_client("manager")

    listed = client.get(reverse(STAFF)).content.decode()
    customer_page = client.get(reverse("admin:users_user_change", args=[customer.pk]))
    as_manager = manager_client.get(reverse(STAFF))

    assert admin.email in listed and "shopper@example.com" not in listed
    assert customer_page.status_code == 302  # "no such staff member": back to the index
    assert as_manager.status_code == 403


def test_customers_are_read_only_with_their_addresses(staff_client):
    client, _ = staff_client("support")
    customer = Customer.objects.create(email="ana@example.com", name="Ana")
    Address.objects.create(customer=customer, name="Ana", line1="Calle Mayor 1",
                           city="Madrid", postal_code="28001", country="ES")
    change = reverse("admin:customers_customer_change", args=[customer.pk])

    page = client.get(change).content.decode()
    edited = client.post(change, {"name": "Someone else"})

    assert "Calle Mayor 1" in page
    assert edited.status_code == 403
    assert Customer.objects.get(pk=customer.pk).name == "Ana"


def test_the_audit_log_is_read_only_and_closed_to_support(staff_client):
    entry = audit_record(actor="ana@tienda.local", action="order.ship", entity="order",
                         entity_id="42")
    viewer, _ = staff_client("viewer")
    support, _ = staff_client("support")
    admin, _ = staff_client("admin")

    listed = viewer.get(reverse("admin:audit_auditentry_changelist"))
    closed = support.get(reverse("admin:audit_auditentry_changelist"))
    edited = admin.post(reverse("admin:audit_auditentry_change", args=[entry.pk]),
                        {"actor": "someone"})
    deleted = admin.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]),
                         {"post": "yes"})

    assert listed.status_code == 200 and "ana@tienda.local" in listed.content.decode()
    assert (closed.status_code, edited.status_code, deleted.status_code) == (403, 403, 403)
    assert AuditEntry.objects.get().actor == "ana@tienda.local"
