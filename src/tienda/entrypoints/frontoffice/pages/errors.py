"""Errors a shopper can cause, as one translated sentence for the page that caused them."""

from __future__ import annotations

from fastapi import Request

from tienda.domain.cart import CartError, InvalidQuantity, NotInCart, UnknownSku
from tienda.domain.inventory import InsufficientStock
from tienda.entrypoints.frontoffice.pages.context import t
from tienda.entrypoints.frontoffice.rendering import N_
from tienda.service_layer.accounts import AccountError, SignInRefused, TooManyAttempts
from tienda.service_layer.checkout import (
    CartAccessDenied,
    CartNotFound,
    CheckoutRefused,
    InvalidCheckout,
)
from tienda.service_layer.ports import PaymentDeclined, PaymentUnavailable

SHOPPER_ERRORS: tuple[type[Exception], ...] = (
    CartError, InsufficientStock, CheckoutRefused, InvalidCheckout, CartAccessDenied,
    CartNotFound, PaymentDeclined, PaymentUnavailable, AccountError,
)

_BY_TYPE: list[tuple[type[Exception], str]] = [
    (InvalidQuantity, N_("The quantity must be a whole number from 1 to 99.")),
    (UnknownSku, N_("That product is not on sale.")),
    (NotInCart, N_("That item is not in your cart.")),
    (CartError, N_("There is not enough stock for that quantity.")),
    (InsufficientStock, N_("Sorry, an item sold out while you were checking out.")),
    (CartAccessDenied, N_("We could not open your cart, so we started a new one.")),
    (CartNotFound, N_("We could not open your cart, so we started a new one.")),
    (PaymentDeclined, N_("The payment was declined. Please choose another payment method.")),
    (PaymentUnavailable, N_("The payment service is not answering. Please try again shortly.")),
    (InvalidCheckout, N_("Please check the e-mail address and the shipping method.")),
    (SignInRefused, N_("The e-mail or the password is wrong.")),
    (TooManyAttempts, N_("Too many failed sign-ins. Please try again in 15 minutes.")),
]
_BY_TEXT: list[tuple[str, str]] = [
    ("this cart has already been checked out", N_("This cart was already checked out.")),
    ("the cart is empty", N_("Your cart is empty.")),
    ("the cart changed", N_("Your cart changed during checkout; please review it again.")),
    ("the password needs", N_("The password needs at least 10 characters.")),
    ("this e-mail cannot be registered", N_("This e-mail cannot be registered again. Sign in "
                                         "or reset your password.")),
    ("this reset link", N_("This reset link has expired or was already used.")),
    ("at most 20 saved addresses", N_("You can save at most 20 addresses.")),
    ("is not an e-mail address", N_("Please enter a valid e-mail address.")),
]


def shopper_message(request: Request, error: Exception) -> str:
    text = str(error)
    for fragment, message in _BY_TEXT:
        if fragment in text:
            return t(request, message)
    for kind, message in _BY_TYPE:
        if isinstance(error, kind):
            return t(request, message)
    return t(request, "Something went wrong. Please try again.")


# Sentences the use cases return for the shopper to read (storefront.Outcome, form problems).
USE_CASE_MESSAGES = (
    N_("That product is not on sale."), N_("Good news: this one is in stock now."),
    N_("Please enter a valid e-mail address."),
    N_("We will e-mail you when it is back in stock."), N_("This field is required."),
    N_("At most 200 characters."), N_("Enter a valid postal code."),
    N_("Choose a country we ship to."), N_("Enter a valid e-mail address."),
    N_("Choose a shipping method."), N_("Choose a payment method."),
    N_("Added to your cart."), N_("You have signed out."),
    N_("Your password was changed. Please sign in."), N_("Your preferences were saved."),
    N_("Your session could not be verified, so we started a new one."),
    N_("We could not find that page"), N_("This link does not open an order."),
)
