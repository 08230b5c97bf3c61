"""Stock in the admin: warehouses; levels are read-only and change only through the "Adjust
stock" action (shop.inventory.services.stock_adjust: a ledger row and an audit entry); the
ledger itself is append-only, so nobody may add, change or delete a movement here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from backoffice.admin_base import ObjectsForm, ReadOnlyAdmin, ServiceAdmin, ask_then_apply
from shop.audit.services import audit_record
from shop.inventory.models import StockLevel, StockMovement, Warehouse
from shop.inventory.services import stock_adjust

WAREHOUSE_FIELDS = ("code", "name", "is_default")


class AdjustForm(ObjectsForm):
    delta = forms.IntegerField(help_text="Units to add to on hand (negative to remove).")
    reason = forms.CharField(max_length=300)

    def clean_delta(self) -> int:
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("the delta must not be zero")
        return delta


@admin.register(Warehouse)
class WarehouseAdmin(ServiceAdmin):
    list_display = ("code", "name", "is_default", "created_at")
    fields = WAREHOUSE_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # levels and the ledger keep referring to it

    def save_model(self, request: HttpRequest, obj: Warehouse, form: Any, change: bool) -> None:
        # No warehouse service exists; the save is a plain one, audited like the API's writes.
        before = ({name: form.initial.get(name) for name in WAREHOUSE_FIELDS}
                  if change else None)
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user.email,
                     action=f"warehouse.{'update' if change else 'create'}",
                     entity="warehouse", entity_id=obj.pk, before=before,
                     after={name: getattr(obj, name) for name in WAREHOUSE_FIELDS})


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ("sku", "warehouse", "on_hand", "reserved", "available", "updated_at")
    list_filter = ("warehouse",)
    search_fields = ("variant__sku",)
    list_select_related = ("variant", "warehouse")
    ordering = ("variant__sku", "warehouse__code")
    actions = ("adjust",)

    @admin.display(ordering="variant__sku", description="SKU")
    def sku(self, level: StockLevel) -> str:
        return level.variant.sku

    @admin.display(description="available")
    def available(self, level: StockLevel) -> int:
        return level.available

    def has_adjust_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.adjust_stock")

    @admin.action(permissions=["adjust"], description="Adjust stock of the selected levels")
    def adjust(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(
            self, request, queryset.select_related("variant", "warehouse"), action="adjust",
            title="Adjust stock", form_class=AdjustForm, label=_place,
            apply=lambda level, data: stock_adjust(
                sku=level.variant.sku, warehouse_code=level.warehouse.code,
                delta=data["delta"], reason=data["reason"], actor=request.user))


def _place(level: StockLevel) -> str:
    return f"{level.variant.sku}@{level.warehouse.code}"


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "sku", "warehouse", "kind", "on_hand_delta", "reserved_delta",
                    "reason", "actor")
    list_filter = ("kind", "warehouse")
    search_fields = ("variant__sku", "reason", "actor")
    list_select_related = ("variant", "warehouse")
    ordering = ("-created_at", "-id")
    actions = None

    @admin.display(ordering="variant__sku", description="SKU")
    def sku(self, movement: StockMovement) -> str:
        return movement.variant.sku
