"""Inventory jobs and low-stock thresholds in the admin. Jobs are read-only; the add page is a
CSV upload that calls the same service as the API (inventory_job_create), and the "apply"
action calls inventory_job_apply_request. Thresholds save through low_stock_threshold_set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from backoffice.admin_base import ServiceAdmin, may
from shop.core.errors import ShopError
from shop.inventory import imports
from shop.inventory.jobs import inventory_job_apply_request, inventory_job_create, progress
from shop.inventory.low_stock import low_stock_threshold_set
from shop.inventory.models import InventoryJob, LowStockThreshold


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV: sku,warehouse,quantity[,mode][,reason]")
    mode = forms.ChoiceField(choices=[(m, m) for m in imports.MODES], initial="set",
                             help_text="set: the quantity becomes on hand; add: a signed delta. "
                                       "A row's own mode column wins.")
    reason = forms.CharField(max_length=imports.MAX_ROW_REASON, required=False)


@admin.register(InventoryJob)
class InventoryJobAdmin(ServiceAdmin):
    list_display = ("id", "kind", "status", "phase", "rows_total", "rows_ok", "rows_error",
                    "rows_changed", "percent", "created_by", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("created_by",)
    ordering = ("-created_at", "-id")
    exclude = ("changes",)
    actions = ("apply",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name != "changes"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_apply_permission(self, request: HttpRequest) -> bool:
        return may(request, "inventory:write")

    @admin.display(description="progress")
    def percent(self, job: InventoryJob) -> str:
        return f"{progress(job)}%"

    def add_view(self, request: HttpRequest, form_url: str = "",
                 extra_context: dict | None = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = inventory_job_create(
                    data=upload.read(imports.MAX_BYTES + 1), file_name=upload.name,
                    mode=form.cleaned_data["mode"], reason=form.cleaned_data["reason"],
                    actor=request.user)
            except ShopError as exc:
                form.add_error("file", str(exc))
            else:
                self.message_user(request, f"{job}: dry run queued.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:inventory_inventoryjob_change", args=[job.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Import stock", "form": form, "submit_label": "Upload and check"}
        return TemplateResponse(request, "admin/backoffice/inventory_job_upload.html", context)

    @admin.action(permissions=["apply"], description="Apply the selected checked jobs")
    def apply(self, request, queryset):  # type: ignore[no-untyped-def]
        done = 0
        for job in queryset.order_by("pk"):
            try:
                inventory_job_apply_request(job_id=job.pk, actor=request.user)
                done += 1
            except ShopError as exc:
                self.message_user(request, f"{job}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, f"Applying {done} job(s).", messages.SUCCESS)


@admin.register(LowStockThreshold)
class LowStockThresholdAdmin(ServiceAdmin):
    list_display = ("sku", "threshold", "updated_at")
    search_fields = ("variant__sku",)
    list_select_related = ("variant",)
    ordering = ("variant__sku",)
    raw_id_fields = ("variant",)
    fields = ("variant", "threshold")

    @admin.display(ordering="variant__sku", description="SKU")
    def sku(self, row: LowStockThreshold) -> str:
        return row.variant.sku

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("variant",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: LowStockThreshold, form: Any,
                   change: bool) -> None:
        low_stock_threshold_set(sku=obj.variant.sku, threshold=obj.threshold,
                                actor=request.user)
        obj.pk = LowStockThreshold.objects.get(variant=obj.variant).pk

    def delete_model(self, request: HttpRequest, obj: LowStockThreshold) -> None:
        low_stock_threshold_set(sku=obj.variant.sku, threshold=None, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset.select_related("variant"):
            self.delete_model(request, row)
