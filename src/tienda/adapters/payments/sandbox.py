"""The sandbox payment provider: real authorize/capture/void/refund semantics over its own
ledger of charges, driven by test tokens instead of cards.

- ``tok_sandbox_ok`` authorizes and captures
- ``tok_sandbox_declined`` is declined at authorization
- ``tok_sandbox_error`` fails like an unreachable provider
- ``tok_sandbox_capture_fails`` authorizes, then its capture is declined
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tienda.adapters.db.tables import sandbox_charges
from tienda.service_layer.ports import PaymentDeclined, PaymentUnavailable

TEST_TOKENS = ("tok_sandbox_ok", "tok_sandbox_declined", "tok_sandbox_error",
               "tok_sandbox_capture_fails")


class SandboxPaymentProvider:
    name = "sandbox"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def authorize(self, token: str, amount_minor: int, currency: str) -> str:
        if token == "tok_sandbox_error":
            raise PaymentUnavailable("the payment provider did not answer")
        if token not in ("tok_sandbox_ok", "tok_sandbox_capture_fails"):
            raise PaymentDeclined("the card was declined")
        reference = "sbx_" + uuid.uuid4().hex
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(sandbox_charges.insert().values(
                reference=reference, token=token, amount_minor=amount_minor, currency=currency,
                status="authorized", created_at=now, updated_at=now))
        return reference

    def capture(self, reference: str) -> None:
        with self._engine.begin() as conn:
            charge = conn.execute(select(sandbox_charges).where(
                sandbox_charges.c.reference == reference).with_for_update()).first()
            if charge is None:
                raise PaymentDeclined(f"unknown authorization {reference}")
            if charge.status == "captured":
                return
            if charge.status != "authorized" or charge.token == "tok_sandbox_capture_fails":
                raise PaymentDeclined("the capture was declined")
            self._set(conn, reference, "captured", captures=charge.captures + 1)

    def void(self, reference: str) -> None:
        self._move(reference, "authorized", "voided")

    def refund(self, reference: str) -> None:
        self._move(reference, "captured", "refunded")

    def _move(self, reference: str, current: str, wanted: str) -> None:
        with self._engine.begin() as conn:
            status = conn.execute(select(sandbox_charges.c.status).where(
                sandbox_charges.c.reference == reference)).scalar()
            if status == wanted:
                return
            if status != current:
                raise PaymentDeclined(f"a {status} charge cannot be {wanted}")
            self._set(conn, reference, wanted)

    @staticmethod
    def _set(conn: object, reference: str, status: str, **values: object) -> None:
        conn.execute(sandbox_charges.update()  # type: ignore[attr-defined]
                     .where(sandbox_charges.c.reference == reference)
                     .values(status=status, updated_at=datetime.now(UTC), **values))
