"""Campaigns in the admin: listed with their status, counts and progress; edited (through
shop.campaigns.services, with the version the form carries) only while draft or scheduled;
send now, pause, resume and cancel are actions calling the same services as the staff API.
Deliveries are a read-only list to filter by campaign and status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from backoffice.admin_base import ObjectsForm, ReadOnlyAdmin, ServiceAdmin, ask_then_apply, may
from shop.campaigns import services
from shop.campaigns.models import Campaign, CampaignDelivery
from shop.campaigns.rules import EDITABLE, SegmentInvalid, progress

CAMPAIGN_FIELDS = ("name", "subject_es", "subject_en", "body_es", "body_en", "segment")
COUNTS = ("status", "scheduled_at", "recipients_total", "sent", "failed", "skipped",
          "progress", "created_by", "started_at", "finished_at")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = (*CAMPAIGN_FIELDS, "version")
        widgets = {"version": forms.HiddenInput}

    def clean_segment(self) -> dict[str, Any]:
        try:
            return services.segment_check(self.cleaned_data["segment"])
        except SegmentInvalid as exc:
            raise forms.ValidationError(str(exc)) from None


class ConfirmForm(ObjectsForm):
    """Nothing to ask; the page is the confirmation."""


@admin.register(Campaign)
class CampaignAdmin(ServiceAdmin):
    form = CampaignForm
    list_display = ("name", "status", "recipients_total", "sent", "failed", "skipped",
                    "progress", "scheduled_at", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "subject_es", "subject_en")
    ordering = ("-created_at", "-id")
    readonly_fields = COUNTS
    actions = ("send_now", "pause", "resume", "cancel")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*CAMPAIGN_FIELDS, "version", *(COUNTS if obj else ()))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        editable = obj is None or obj.status in EDITABLE
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the audit log and the deliveries refer to it; cancel instead

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return may(request, "campaigns:write")

    @admin.display(description="progress")
    def progress(self, campaign: Campaign) -> str:
        return f"{progress(total=campaign.recipients_total, sent=campaign.sent,
                           failed=campaign.failed, skipped=campaign.skipped)}%"

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in CAMPAIGN_FIELDS}
        saved = (services.campaign_update(campaign_id=obj.pk,
                                          expected_version=form.cleaned_data["version"],
                                          values=values, actor=request.user)
                 if change else services.campaign_create(values=values, actor=request.user))
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        obj._state.adding, obj._state.db = False, saved._state.db

    def _confirm(self, request, queryset, action: str, title: str, apply):  # type: ignore[no-untyped-def]
        return ask_then_apply(self, request, queryset, action=action, title=title,
                              form_class=ConfirmForm, apply=lambda campaign, _: apply(
                                  campaign_id=campaign.pk, actor=request.user))

    @admin.action(permissions=["manage"], description="Send the selected campaigns now")
    def send_now(self, request, queryset):  # type: ignore[no-untyped-def]
        return self._confirm(request, queryset, "send_now", "Send now",
                             lambda **kw: services.campaign_send(scheduled_at=None, **kw))

    @admin.action(permissions=["manage"], description="Pause the selected campaigns")
    def pause(self, request, queryset):  # type: ignore[no-untyped-def]
        return self._confirm(request, queryset, "pause", "Pause", services.campaign_pause)

    @admin.action(permissions=["manage"], description="Resume the selected campaigns")
    def resume(self, request, queryset):  # type: ignore[no-untyped-def]
        return self._confirm(request, queryset, "resume", "Resume", services.campaign_resume)

    @admin.action(permissions=["manage"], description="Cancel the selected campaigns")
    def cancel(self, request, queryset):  # type: ignore[no-untyped-def]
        return self._confirm(request, queryset, "cancel", "Cancel", services.campaign_cancel)


@admin.register(CampaignDelivery)
class CampaignDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "customer", "status", "attempts", "error", "finished_at")
    list_filter = ("status", "campaign")
    search_fields = ("customer__email",)
    list_select_related = ("campaign", "customer")
    ordering = ("campaign", "id")
    actions = None
