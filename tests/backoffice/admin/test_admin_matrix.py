"""Every model registered in the Django admin x every role and anonymous: the changelist, the
add page, the change page, a change POST and the delete page answer as the role's Django
permissions say (anonymous, a customer's account and an inactive admin go to the login page);
every admin action is refused (403, nothing written) to roles without its permission and
accepted from one role that has it. The admin-side twin of
tests/backoffice/api/test_authorization_matrix.py.

The matrix is the admin registry itself. Expected answers come from `user.has_perm` with the
model's permission codenames, capped by what the ModelAdmin allows even a superuser (the audit
log, the stock ledger and orders are read-only for everyone). A registered model without a
sample below, or an action without a permission in ACTION_PERMISSIONS, fails here: a new admin
cannot escape the matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.messages import ERROR, get_messages
from django.db.models import Model
from django.forms import CheckboxInput
from django.test import Client, RequestFactory
from django.urls import reverse

from backoffice.roles import ROLE_PERMISSIONS, ROLES
from shop.audit.models import AuditEntry
from shop.audit.services import audit_record
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.catalog.models import AttributeLabel, Category, Product
from shop.customers.models import Customer
from shop.inventory.models import (
    InventoryJob,
    InventoryJobChunk,
    LowStockThreshold,
    StockLevel,
    StockMovement,
    Warehouse,
)
from shop.inventory.services import stock_adjust
from shop.orders.models import Order
from shop.users.models import User
from tests.backoffice.admin.builders import an_order
from tests.backoffice.builders import a_customer_account, a_staff_member
from tests.builders import a_category, a_variant, a_warehouse
from tests.shop.campaigns.builders import a_campaign, a_customer

URLCONF = "shop.urls.backoffice"
pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

PAGES = ("changelist", "add", "change", "change POST", "delete")
# Signed in but not admitted to the admin at all: treated like anonymous (sent to the login page).
NOT_ADMITTED = ("customer account", "inactive admin")


def _stock_level() -> StockLevel:
    return StockLevel.objects.get(variant=a_variant("MTX-LVL", stock={"MAD": 5}))


def _stock_movement() -> StockMovement:
    a_variant("MTX-MOV", stock={"MAD": 5})
    stock_adjust(sku="MTX-MOV", warehouse_code="MAD", delta=2, reason="recount", actor="test")
    return StockMovement.objects.get(variant__sku="MTX-MOV")


def _checked_inventory_job() -> InventoryJob:
    """A stock import whose dry run is done (written directly: no blob is read again)."""
    job = InventoryJob.objects.create(
        kind="import", phase="dry_run", status="done", blob_name="inventory-jobs/mtx.csv",
        created_by=a_staff_member("manager", email="mtx-job@tienda.test"), rows_total=1,
        rows_ok=1, chunks_total=1)
    variant = a_variant("MTX-JOB", stock={"MAD": 5})
    InventoryJobChunk.objects.create(job=job, index=0, rows=[
        [2, variant.pk, a_warehouse("MAD").pk, "add", 1, "", "MTX-JOB", "MAD"]])
    return job


def _audit_entry() -> AuditEntry:
    return audit_record(actor="test", action="product.update", entity="product", entity_id=1,
                        before={"name_en": "Tee"}, after={"name_en": "Basic tee"})


# One object of each registered model, built for the test.
SAMPLES: dict[type[Model], Callable[[], Model]] = {
    Product: lambda: a_variant("MTX-PRD").product,
    Category: lambda: a_category("matriz"),
    AttributeLabel: lambda: AttributeLabel.objects.create(
        attribute="talla", value="M", locale="es", label="Mediana"),
    Warehouse: lambda: a_warehouse("BCN"),
    StockLevel: _stock_level,
    StockMovement: _stock_movement,
    Order: lambda: an_order("confirmed"),
    Customer: lambda: Customer.objects.create(email="ana@example.com", name="Ana"),
    User: lambda: a_staff_member("viewer", email="sample@tienda.test"),
    AuditEntry: _audit_entry,
    Campaign: a_campaign,
    CampaignDelivery: lambda: CampaignDelivery.objects.create(
        campaign=a_campaign(), customer=a_customer("mtx-delivery@example.com")),
    InventoryJob: _checked_inventory_job,
    LowStockThreshold: lambda: LowStockThreshold.objects.create(
        variant=a_variant("MTX-LOW"), threshold=3),
}

# Each action (by "app_label.model_name", action name) → the `area:verb` permission of
# backoffice/roles.py it needs, or None when nobody may run it (Django's site-wide
# "delete_selected" on admins that delete nothing).
ACTION_PERMISSIONS: dict[tuple[str, str], str | None] = {
    ("catalog.product", "delete_selected"): None,
    ("catalog.category", "delete_selected"): None,
    ("catalog.attributelabel", "delete_selected"): "catalog:write",
    ("inventory.warehouse", "delete_selected"): None,
    ("inventory.stocklevel", "delete_selected"): None,
    ("inventory.stocklevel", "adjust"): "inventory:write",
    ("orders.order", "delete_selected"): None,
    ("orders.order", "ship"): "orders:write",
    ("orders.order", "deliver"): "orders:write",
    ("orders.order", "cancel"): "orders:write",
    ("orders.order", "refund"): "orders:write",
    ("orders.order", "add_note"): "orders:write",
    ("customers.customer", "delete_selected"): None,
    ("users.user", "delete_selected"): None,
    ("users.user", "activate"): "staff:manage",
    ("users.user", "deactivate"): "staff:manage",
    ("campaigns.campaign", "delete_selected"): None,
    ("campaigns.campaign", "send_now"): "campaigns:write",
    ("campaigns.campaign", "pause"): "campaigns:write",
    ("campaigns.campaign", "resume"): "campaigns:write",
    ("campaigns.campaign", "cancel"): "campaigns:write",
    ("inventory.inventoryjob", "delete_selected"): None,
    ("inventory.inventoryjob", "apply"): "inventory:write",
    ("inventory.lowstockthreshold", "delete_selected"): "inventory:write",
}

# What an action's second step (its form page) posts; every action ignores what it does not ask.
ACTION_INPUT = {"apply": "yes", "post": "yes", "reason": "matrix test", "text": "a note",
                "delta": "3"}


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _registered() -> list[type[Model]]:
    return sorted(admin.site._registry, key=_label)


def _declared_actions(model: type[Model]) -> list[str]:
    """The site's actions plus the ModelAdmin's `actions` (none when it says `actions = None`),
    before any permission filtering."""
    model_admin = admin.site._registry[model]
    if model_admin.actions is None:
        return []
    own = [a if isinstance(a, str) else a.__name__ for a in model_admin.actions]
    return [name for name, _ in admin.site.actions] + own


def _registered_actions() -> list[tuple[type[Model], str]]:
    return [(model, name) for model in _registered() for name in _declared_actions(model)]


def _refused_cases() -> list[Any]:
    return [pytest.param(model, name, role, id=f"{_label(model)}-{name}-{role}")
            for model, name in _registered_actions() for role in ROLES
            if ACTION_PERMISSIONS.get((_label(model), name), "?") not in ROLE_PERMISSIONS[role]]


def _accepting_role(model: type[Model], name: str) -> str | None:
    """The least privileged role holding the action's permission."""
    perm = ACTION_PERMISSIONS.get((_label(model), name))
    return next((role for role in reversed(ROLES) if perm in ROLE_PERMISSIONS[role]), None)


def _accepted_cases() -> list[Any]:
    return [pytest.param(model, name, _accepting_role(model, name),
                         id=f"{_label(model)}-{name}-{_accepting_role(model, name)}")
            for model, name in _registered_actions() if _accepting_role(model, name)]


# --- helpers ---------------------------------------------------------------------------------

def _sample(model: type[Model]) -> Model:
    if model not in SAMPLES:
        pytest.fail(f"{_label(model)} is registered in the admin but the matrix cannot build "
                    "one: add a sample to SAMPLES in tests/backoffice/admin/test_admin_matrix.py")
    return SAMPLES[model]()


def _url(model: type[Model], page: str, obj: Model | None = None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def _client(who: str | None) -> tuple[Client, User | None]:
    """A client signed in as `who`: a role's member, one of NOT_ADMITTED, or nobody (None)."""
    client = Client()
    if who is None:
        return client, None
    member = {"customer account": a_customer_account,
              "inactive admin": lambda: a_staff_member("admin", active=False),
              }.get(who, lambda: a_staff_member(who))()
    client.force_login(member)
    return client, member


def _superuser() -> User:
    return User.objects.create_superuser("root@tienda.test", "a-long-root-password")


def _ceiling(model: type[Model], obj: Model, superuser: User) -> dict[str, bool]:
    """What the ModelAdmin allows anyone at all (a superuser): read-only admins say no."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    return {"view": model_admin.has_view_permission(request, obj),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_change_permission(request, obj),
            "delete": model_admin.has_delete_permission(request, obj)}


def _expected_pages(model: type[Model], member: User | None,
                    ceiling: dict[str, bool]) -> dict[str, int | str]:
    if member is None or not (member.is_active and member.is_staff):
        return dict.fromkeys(PAGES, "login")
    opts = model._meta

    def allowed(action: str) -> bool:
        codename = get_permission_codename(action, opts)
        return member.has_perm(f"{opts.app_label}.{codename}") and ceiling[action]

    sees = allowed("view") or allowed("change")
    return {"changelist": 200 if sees else 403, "add": 200 if allowed("add") else 403,
            "change": 200 if sees else 403, "change POST": 302 if allowed("change") else 403,
            "delete": 200 if allowed("delete") else 403}


def _outcome(response: Any) -> int | str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("admin:login")):
        return "login"
    return response.status_code


def _change_form_data(response: Any) -> dict[str, Any]:
    """What the change page's form (and its inline formsets) would post, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name, field in form.fields.items():
            bound, value = form[name], form[name].value()
            if isinstance(field.widget, CheckboxInput):
                value = "on" if value else None
            if value is None:
                continue
            data[bound.html_name] = value
            if field.show_hidden_initial:
                data[bound.html_initial_name] = value
    return data


def _state(model: type[Model], pk: Any) -> dict[str, Any] | None:
    row = model._default_manager.filter(pk=pk).first()
    return None if row is None else {f.attname: getattr(row, f.attname)
                                     for f in model._meta.concrete_fields}


def _action_choices(client: Client, model: type[Model]) -> list[str] | None:
    """The actions the changelist offers, or None when the changelist itself is refused."""
    response = client.get(_url(model, "changelist"))
    if response.status_code == 403:
        return None
    assert response.status_code == 200
    action_form = response.context["action_form"]
    return [] if action_form is None else [v for v, _ in action_form.fields["action"].choices]


# --- tests -----------------------------------------------------------------------------------

def test_every_registered_model_has_a_sample_and_every_action_a_permission():
    models = _registered()

    assert [_label(m) for m in models if m not in SAMPLES] == []
    assert [f"{_label(m)} {name}" for m, name in _registered_actions()
            if (_label(m), name) not in ACTION_PERMISSIONS] == []
    assert {(_label(m), name) for m, name in _registered_actions()} == set(ACTION_PERMISSIONS)
    assert len(models) == len(SAMPLES) == 14


@pytest.mark.parametrize("role", [None, *ROLES, *NOT_ADMITTED], ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("model", _registered(), ids=_label)
def test_each_admin_page_answers_the_role_as_its_permissions_say(model, role):
    obj = _sample(model)
    superuser = _superuser()
    root = Client()
    root.force_login(superuser)
    change_page = root.get(_url(model, "change", obj))
    assert change_page.status_code == 200
    posted = _change_form_data(change_page)
    client, member = _client(role)

    answers = {
        "changelist": _outcome(client.get(_url(model, "changelist"))),
        "add": _outcome(client.get(_url(model, "add"))),
        "change": _outcome(client.get(_url(model, "change", obj))),
        "change POST": _outcome(client.post(_url(model, "change", obj), posted)),
        "delete": _outcome(client.get(_url(model, "delete", obj))),
    }

    assert answers == _expected_pages(model, member, _ceiling(model, obj, superuser))


@pytest.mark.parametrize(("model", "action", "role"), _refused_cases())
def test_an_action_is_refused_to_roles_without_its_permission_and_writes_nothing(
        model, action, role):
    obj = _sample(model)
    before = _state(model, obj.pk)
    client, _ = _client(role)
    chosen = {"action": action, "_selected_action": [str(obj.pk)]}

    offered = _action_choices(client, model)
    from_the_list = client.post(_url(model, "changelist"), {**chosen, "index": "0"})
    from_its_form = client.post(_url(model, "changelist"),
                                {**chosen, **ACTION_INPUT, f"tracking_{obj.pk}": "1Z999"})

    assert offered is None or action not in offered
    assert (from_the_list.status_code, from_its_form.status_code) == (403, 403)
    assert _state(model, obj.pk) == before


@pytest.mark.parametrize(("model", "action", "role"), _accepted_cases())
def test_an_action_is_accepted_from_a_role_with_its_permission(model, action, role):
    obj = _sample(model)
    client, _ = _client(role)

    offered = _action_choices(client, model)
    response = client.post(_url(model, "changelist"),
                           {"action": action, "_selected_action": [str(obj.pk)], "index": "0"})

    assert action in (offered or [])
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level == ERROR]
    if response.status_code == 200:  # the page asking for the action's input
        templates = {t.name for t in response.templates}
        assert templates & {"admin/backoffice/action_form.html",
                            "admin/delete_selected_confirmation.html"}, templates
    else:  # done at once: back to the list with no refusal
        assert (response.status_code, errors) == (302, [])
