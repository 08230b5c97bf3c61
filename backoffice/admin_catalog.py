"""The catalog in the admin. Saves go through shop.catalog.services (the staff API's): the same
checks, the same audit entries, and the same optimistic versions — the form carries the version
the editor loaded, so saving over someone else's newer change is refused with their name.
Nothing is deleted here (unpublish instead; sold variants must stay), except pictures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import storages
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html

from backoffice.admin_base import ServiceAdmin
from shop.audit.services import audit_record
from shop.catalog import services
from shop.catalog.models import AttributeLabel, Category, Product, ProductImage, Variant

PRODUCT_FIELDS = ("category", "slug", "name_es", "name_en", "description_es", "description_en",
                  "is_published", "is_featured")
VARIANT_FIELDS = ("sku", "attributes", "price_minor", "cost_minor", "currency", "is_published")
CATEGORY_FIELDS = ("parent", "slug", "name_es", "name_en", "position")
LABEL_FIELDS = ("attribute", "value", "locale", "label")


def _values(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Form data as service values: foreign keys by id."""
    values = {name: data.get(name) for name in names}
    for name in ("category", "parent"):
        if name in values:
            related = values.pop(name)
            values[f"{name}_id"] = related.pk if related is not None else None
    return values


def _adopt(obj: Model, saved: Model) -> None:
    """Make the admin's object the one the service saved (the admin redirects and logs by it)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding, obj._state.db = False, saved._state.db


class NoDeleteAdmin(ServiceAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProductForm(forms.ModelForm):
    slug = forms.SlugField(required=False, max_length=160,
                           help_text="Left empty, it is made from the Spanish name.")

    class Meta:
        model = Product
        fields = (*PRODUCT_FIELDS, "version")
        widgets = {"version": forms.HiddenInput}


class CategoryForm(forms.ModelForm):
    slug = forms.SlugField(required=False, max_length=120,
                           help_text="Left empty, it is made from the Spanish name.")

    class Meta:
        model = Category
        fields = CATEGORY_FIELDS


class VariantForm(forms.ModelForm):
    class Meta:
        model = Variant
        fields = (*VARIANT_FIELDS, "version")
        widgets = {"version": forms.HiddenInput}


class VariantInline(admin.TabularInline):
    model = Variant
    form = VariantForm
    extra = 0
    can_delete = False

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["currency"].initial = settings.SHOP_CURRENCY
        return formset


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("picture", "position", "blob_key", "alt_es", "alt_en")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pictures are uploaded (and re-encoded) through the staff API

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="picture")
    def picture(self, image: ProductImage) -> str:
        return format_html('<img src="{}" alt="" width="80" height="80">',
                           storages["media"].url(image.thumbnail_key))


@admin.register(Product)
class ProductAdmin(NoDeleteAdmin):
    form = ProductForm
    list_display = ("name_es", "slug", "category", "is_published", "is_featured", "updated_at")
    list_filter = ("is_published", "is_featured", "category")
    search_fields = ("name_es", "name_en", "slug", "variants__sku")
    list_select_related = ("category",)
    inlines = (VariantInline, ProductImageInline)

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        if change and not set(form.changed_data) - {"version"}:
            return  # only the inlines changed: no new product version, no audit entry
        values = _values(form.cleaned_data, PRODUCT_FIELDS)
        saved = (services.product_update(product_id=obj.pk,
                                         expected_version=form.cleaned_data["version"],
                                         values=values, actor=request.user)
                 if change else services.product_create(values=values, actor=request.user))
        _adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # What formset.save() would record, for the admin's change message (its history).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Variant:
            for variant_form in formset.forms:
                if variant_form.has_changed():
                    self._save_variant(request, form.instance, variant_form, formset)
        elif formset.model is ProductImage:
            for image_form in formset.deleted_forms:
                services.product_image_delete(image_id=image_form.instance.pk,
                                              actor=request.user)
                formset.deleted_objects.append(image_form.instance)

    def _save_variant(self, request: HttpRequest, product: Product, variant_form: Any,
                      formset: Any) -> None:
        values = _values(variant_form.cleaned_data, VARIANT_FIELDS)
        if variant_form.instance.pk:
            saved = services.variant_update(
                variant_id=variant_form.instance.pk,
                expected_version=variant_form.cleaned_data["version"], values=values,
                actor=request.user)
            formset.changed_objects.append((saved, variant_form.changed_data))
        else:
            saved = services.variant_create(product_id=product.pk, values=values,
                                            actor=request.user)
            formset.new_objects.append(saved)


@admin.register(Category)
class CategoryAdmin(NoDeleteAdmin):
    form = CategoryForm
    list_display = ("name_es", "name_en", "slug", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name_es", "name_en", "slug")
    fields = CATEGORY_FIELDS

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        values = _values(form.cleaned_data, CATEGORY_FIELDS)
        saved = (services.category_update(category_id=obj.pk, values=values, actor=request.user)
                 if change else services.category_create(values=values, actor=request.user))
        _adopt(obj, saved)


@admin.register(AttributeLabel)
class AttributeLabelAdmin(ServiceAdmin):
    """What shoppers read for a stored attribute value; no service exists for these rows, so
    the admin saves them itself and audits like the API's writes."""

    list_display = LABEL_FIELDS
    list_filter = ("attribute", "locale")
    search_fields = ("value", "label")
    fields = LABEL_FIELDS

    def save_model(self, request: HttpRequest, obj: AttributeLabel, form: Any,
                   change: bool) -> None:
        before = {name: form.initial.get(name) for name in LABEL_FIELDS} if change else None
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user.email,
                     action=f"attribute_label.{'update' if change else 'create'}",
                     entity="attribute_label", entity_id=obj.pk, before=before,
                     after={name: getattr(obj, name) for name in LABEL_FIELDS})

    def delete_model(self, request: HttpRequest, obj: AttributeLabel) -> None:
        audit_record(actor=request.user.email, action="attribute_label.delete",
                     entity="attribute_label", entity_id=obj.pk,
                     before={name: getattr(obj, name) for name in LABEL_FIELDS})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for label in queryset:
            self.delete_model(request, label)
