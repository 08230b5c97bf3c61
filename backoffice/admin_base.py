"""Shared pieces of the Django admin: a refusal from a service becomes a message (never a 500),
actions that ask for input before they call a service, and read-only model admins.

The admin never writes a rule of its own: saves and actions call the same services as the
staff API, so the same checks and the same audit entries apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from backoffice.roles import has_permission
from shop.core.errors import ShopError


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves call services: a ShopError they raise rolls the save back and
    shows its message on the same page; an action the user may not run is a 403."""

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ShopError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict | None = None) -> HttpResponse:
        wanted = request.POST.getlist("action") if request.method == "POST" else []
        if any(name and name not in self.get_actions(request) for name in wanted):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class ReadOnlyAdmin(ServiceAdmin):
    """Listed and viewed by whoever may view the model; nobody adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def may(request: HttpRequest, perm: str) -> bool:
    """The backoffice permission `perm` (an `area:verb` of backoffice/roles.py)."""
    return has_permission(request.user, perm)


class ObjectsForm(forms.Form):
    """An action's form; it knows the selected objects (a ship form asks one tracking number
    per order)."""

    def __init__(self, *args: Any, objects: list[Model], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objects = objects


def ask_then_apply(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *,
                   action: str, title: str, form_class: type[ObjectsForm],
                   apply: Callable[[Any, dict[str, Any]], object],
                   label: Callable[[Any], str] = str) -> HttpResponse | None:
    """First POST (from the list): show `form_class` for the selection. Second POST (the form,
    with `apply`): call `apply(obj, cleaned_data)` for each selected object; a refusal is an
    error message naming the object (`label`) and changes nothing for it. None returns to the
    list."""
    objects = list(queryset.order_by("pk"))
    form = form_class(request.POST if "apply" in request.POST else None, objects=objects)
    if not (form.is_bound and form.is_valid()):
        context = {**model_admin.admin_site.each_context(request),
                   "opts": model_admin.model._meta, "title": title, "queryset": objects,
                   "labels": [label(obj) for obj in objects],
                   "intro": f"{title}: {len(objects)} selected.", "form": form,
                   "action": action, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                   "submit_label": title}
        return TemplateResponse(request, "admin/backoffice/action_form.html", context)
    done = 0
    for obj in objects:
        try:
            apply(obj, form.cleaned_data)
            done += 1
        except ShopError as exc:
            model_admin.message_user(request, f"{label(obj)}: {exc}", messages.ERROR)
    if done:
        model_admin.message_user(request, f"{title}: {done} of {len(objects)} done.",
                                 messages.SUCCESS)
    return None
