"""Orders in the admin: read-only records; every change of status is an action calling
shop.orders.services (ship asks tracking numbers, cancel and refund ask a reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from backoffice.admin_base import ObjectsForm, ReadOnlyAdmin, ReadOnlyInline, ask_then_apply
from shop.orders import services
from shop.orders.models import Order, OrderEvent, OrderLine, OrderNote
from shop.payments.models import Payment


class ShipForm(ObjectsForm):
    """One tracking number per selected order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for order in self.objects:
            self.fields[f"tracking_{order.pk}"] = forms.CharField(
                label=f"Tracking number for {order.number}", max_length=100)


class ReasonForm(ObjectsForm):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(ObjectsForm):
    text = forms.CharField(label="Note", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ConfirmForm(ObjectsForm):
    """Nothing to ask; the page is the confirmation."""


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("sku", "product_name", "quantity", "unit_price_minor", "discount_minor",
              "tax_minor", "total_minor", "warehouse")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "status_from", "status_to", "actor", "note")
    readonly_fields = fields


class OrderNoteInline(ReadOnlyInline):
    model = OrderNote
    fields = ("created_at", "author", "text")
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("provider", "reference", "status", "amount_minor", "currency", "updated_at")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "email", "total_minor", "currency", "channel",
                    "placed_at")
    list_filter = ("status", "channel", "locale")
    search_fields = ("number", "email", "tracking_number")
    date_hierarchy = "placed_at"
    ordering = ("-placed_at",)
    inlines = (OrderLineInline, PaymentInline, OrderEventInline, OrderNoteInline)
    fields = ("number", "status", "customer", "email", "channel", "locale", "currency",
              "subtotal_minor", "discount_minor", "shipping_minor", "tax_minor", "total_minor",
              "shipping_method", "shipping_address", "tracking_number", "invoice_number",
              "placed_at", "updated_at")
    readonly_fields = fields
    actions = ("ship", "deliver", "cancel", "refund", "add_note")

    # Each action needs the backoffice permission behind it (the role's group grants it).
    def has_ship_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.ship_order")

    def has_deliver_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.deliver_order")

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.cancel_order")

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("backoffice.refund_order")

    def has_note_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("orders.add_ordernote")

    @admin.action(permissions=["ship"], description="Ship the selected orders")
    def ship(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action="ship", title="Ship",
                              form_class=ShipForm, apply=lambda order, data: services.order_ship(
                                  order_id=order.pk, tracking_number=data[f"tracking_{order.pk}"],
                                  actor=request.user))

    @admin.action(permissions=["deliver"], description="Mark the selected orders delivered")
    def deliver(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action="deliver", title="Mark delivered",
                              form_class=ConfirmForm, apply=lambda order, _: (
                                  services.order_deliver(order_id=order.pk, actor=request.user)))

    @admin.action(permissions=["cancel"], description="Cancel the selected orders")
    def cancel(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action="cancel", title="Cancel",
                              form_class=ReasonForm, apply=lambda order, data: (
                                  services.order_cancel(order_id=order.pk, reason=data["reason"],
                                                        actor=request.user)))

    @admin.action(permissions=["refund"], description="Refund the selected orders")
    def refund(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action="refund", title="Refund",
                              form_class=ReasonForm, apply=lambda order, data: (
                                  services.order_refund(order_id=order.pk, reason=data["reason"],
                                                        actor=request.user)))

    @admin.action(permissions=["note"], description="Add a note to the selected orders")
    def add_note(self, request, queryset):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action="add_note", title="Add note",
                              form_class=NoteForm, apply=lambda order, data: (
                                  services.order_note_add(order_id=order.pk, text=data["text"],
                                                          actor=request.user)))
