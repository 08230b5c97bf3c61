"""Customers (read-only), staff accounts and the audit log in the admin.

Staff are the users with `is_staff`; their role is their group, changed only through
backoffice.roles.staff_create / staff_update, so the last-admin rule and the audit hold here as
in the API. Superuser flags, raw groups and per-user permissions are not editable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.http import HttpRequest

from backoffice.admin_base import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, may
from backoffice.roles import ROLES, staff_create, staff_role, staff_update
from shop.audit.models import AuditEntry
from shop.core.errors import ShopError
from shop.customers.models import Address, Customer
from shop.users.models import User

ROLE_CHOICES = [(role, role) for role in ROLES]

# Roles are code (backoffice/roles.py, synced after every migrate): not edited by hand.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class AddressInline(ReadOnlyInline):
    model = Address
    fields = ("name", "line1", "line2", "postal_code", "city", "country")
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("email", "name", "locale", "marketing_consent", "has_account", "created_at")
    list_filter = ("locale", "marketing_consent")
    search_fields = ("email", "name")
    date_hierarchy = "created_at"
    fields = ("email", "name", "locale", "marketing_consent", "consent_changed_at", "user",
              "created_at", "updated_at")
    readonly_fields = fields
    inlines = (AddressInline,)

    @admin.display(boolean=True, description="account")
    def has_account(self, customer: Customer) -> bool:
        return customer.user_id is not None


class StaffAddForm(forms.ModelForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password (again)", widget=forms.PasswordInput,
                                strip=False)

    class Meta:
        model = User
        fields = ("email", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "the two passwords differ")
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class StaffChangeForm(forms.ModelForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES)

    class Meta:
        model = User
        fields = ("is_active",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = staff_role(self.instance)


@admin.register(User)
class StaffAdmin(ServiceAdmin):
    list_display = ("email", "name", "role", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("email", "name")
    ordering = ("email",)
    actions = ("activate", "deactivate")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(is_staff=True).prefetch_related("groups")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        kwargs["form"] = StaffChangeForm if obj is not None else StaffAddForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["email", "name", "role", "password1", "password2"]
        return ["email", "name", "role", "is_active", "last_login", "date_joined"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("email", "name", "last_login", "date_joined") if obj is not None else ()

    @admin.display(description="role")
    def role(self, user: User) -> str:
        return staff_role(user) or "-"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the audit log and orders keep naming them

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return may(request, "staff:manage")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = staff_update(user_id=obj.pk, role=data["role"],
                                 is_active=data["is_active"], actor=request.user)
        else:
            saved = staff_create(email=data["email"], name=data["name"], role=data["role"],
                                 password=data["password1"], actor=request.user)
        obj.pk, obj.email, obj.is_active = saved.pk, saved.email, saved.is_active
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None  # the role (the only relation shown) was set by the service

    @admin.action(permissions=["manage"], description="Activate the selected staff")
    def activate(self, request, queryset):  # type: ignore[no-untyped-def]
        self._set_active(request, queryset, True)

    @admin.action(permissions=["manage"], description="Deactivate the selected staff")
    def deactivate(self, request, queryset):  # type: ignore[no-untyped-def]
        self._set_active(request, queryset, False)

    def _set_active(self, request: HttpRequest, queryset: Any, active: bool) -> None:
        members, done = list(queryset.order_by("pk")), 0
        for member in members:
            try:
                staff_update(user_id=member.pk, is_active=active, actor=request.user)
                done += 1
            except ShopError as exc:
                self.message_user(request, f"{member}: {exc}", "error")
        if done:
            verb = "Activated" if active else "Deactivated"
            self.message_user(request, f"{verb} {done} of {len(members)}.", "success")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "entity", "entity_id")
    list_filter = ("entity", "action", "created_at")
    search_fields = ("actor", "entity_id", "action")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action", "entity", "entity_id", "before", "after")
    readonly_fields = fields
    actions = None
