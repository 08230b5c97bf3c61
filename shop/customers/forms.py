"""The account pages' forms: field validation only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from shop.customers.models import Address
from shop.orders.rules import COUNTRIES

# The names of shop.orders.rules.COUNTRIES, for the address and checkout forms and pages.
COUNTRY_NAMES = {
    "ES": _("Spain"), "PT": _("Portugal"), "FR": _("France"), "DE": _("Germany"),
    "IT": _("Italy"), "IE": _("Ireland"), "NL": _("Netherlands"), "BE": _("Belgium"),
}
POSTAL_CODE = r"^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$"


class NewPasswordField(forms.CharField):
    widget = forms.PasswordInput(attrs={"autocomplete": "new-password"})

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("help_text", _("At least 10 characters."))
        super().__init__(**kwargs)


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), max_length=320,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = NewPasswordField(label=_("Password"))
    marketing = forms.BooleanField(
        label=_("Send me offers by e-mail (you can unsubscribe with one click)"), required=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class SignInForm(forms.Form):
    # Not an EmailField: a malformed address must get the same answer as a wrong password.
    email = forms.CharField(label=_("E-mail"), max_length=320,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), max_length=200, strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ResetRequestForm(forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=320,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewPasswordForm(forms.Form):
    password = NewPasswordField(label=_("New password"))

    def __init__(self, *args: object, user: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class AddressForm(forms.ModelForm):
    postal_code = forms.RegexField(
        label=_("Postal code"), regex=POSTAL_CODE, max_length=10,
        error_messages={"invalid": _("Enter a valid postal code.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    country = forms.ChoiceField(
        label=_("Country"), choices=[(code, COUNTRY_NAMES[code]) for code in COUNTRIES],
        error_messages={"invalid_choice": _("Choose a country we ship to.")},
        widget=forms.Select(attrs={"autocomplete": "country"}))

    class Meta:
        model = Address
        fields = ["name", "line1", "line2", "city", "postal_code", "country"]
        labels = {"name": _("Full name"), "line1": _("Address"),
                  "line2": _("Address line 2"), "city": _("City")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def clean_postal_code(self) -> str:
        return self.cleaned_data["postal_code"].strip().upper()


class PreferencesForm(forms.Form):
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    marketing = forms.BooleanField(label=_("Send me offers by e-mail"), required=False)
