"""The sandbox payment provider: real authorize/capture/void/refund semantics over its own
ledger of charges (SandboxCharge), driven by test tokens instead of cards.

- ``tok_sandbox_ok`` authorizes and captures
- ``tok_sandbox_declined`` is declined at authorization (402)
- ``tok_sandbox_error`` fails like an unreachable provider (503)
- ``tok_sandbox_capture_fails`` authorizes, then its capture is declined

Each call is one statement or its own transaction (a savepoint inside a caller's), as a remote
provider's would be: an authorization survives the checkout that failed after it, and is then
voided."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.core.errors import PaymentDeclined, PaymentUnavailable
from shop.payments.models import SandboxCharge

TEST_TOKENS = ("tok_sandbox_ok", "tok_sandbox_declined", "tok_sandbox_error",
               "tok_sandbox_capture_fails")


class SandboxProvider:
    name = "sandbox"

    def authorize(self, token: str, amount_minor: int, currency: str) -> str:
        if token == "tok_sandbox_error":
            raise PaymentUnavailable("the payment provider did not answer")
        if token not in ("tok_sandbox_ok", "tok_sandbox_capture_fails"):
            raise PaymentDeclined("payment declined: the card was declined")
        reference = "sbx_" + uuid.uuid4().hex
        # One INSERT under a fresh key: its own transaction outside a caller's, and nothing
        # that could fail and spoil a caller's transaction inside one.
        SandboxCharge.objects.create(reference=reference, token=token, currency=currency,
                                     amount_minor=amount_minor, status="authorized")
        return reference

    def capture(self, reference: str) -> None:
        """Idempotent: capturing a captured charge does nothing. The common case is one
        conditional UPDATE; the charge is read only to say why it did not apply."""
        if (SandboxCharge.objects.filter(pk=reference, status="authorized")
                .exclude(token="tok_sandbox_capture_fails")
                .update(status="captured", captures=F("captures") + 1,
                        updated_at=timezone.now())):
            return
        status = self.status(reference)
        if status is None:
            raise PaymentDeclined(f"payment declined: unknown authorization {reference}")
        if status != "captured":
            raise PaymentDeclined("payment declined: the capture was declined")

    def void(self, reference: str) -> None:
        self._move(reference, "authorized", "voided")

    def refund(self, reference: str) -> None:
        self._move(reference, "captured", "refunded")

    def status(self, reference: str) -> str | None:
        return SandboxCharge.objects.filter(pk=reference).values_list("status", flat=True).first()

    @staticmethod
    def _move(reference: str, current: str, wanted: str) -> None:
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().filter(pk=reference).first()
            if charge is None:
                raise PaymentDeclined(f"payment declined: unknown authorization {reference}")
            if charge.status == wanted:
                return
            if charge.status != current:
                raise PaymentDeclined(f"a {charge.status} charge cannot be {wanted}")
            charge.status = wanted
            charge.save(update_fields=["status", "updated_at"])


PROVIDERS = {"sandbox": SandboxProvider()}


def payment_provider(name: str = "sandbox") -> SandboxProvider:
    return PROVIDERS[name]
