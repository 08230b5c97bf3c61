"""Money as integer minor units plus an ISO currency code; never floats."""

from __future__ import annotations

from dataclasses import dataclass


class CurrencyMismatch(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.minor * quantity, self.currency)

    def share_bp(self, basis_points: int) -> Money:
        """``basis_points``/10000 of this amount, rounded half up to the minor unit."""
        return Money((self.minor * basis_points + 5000) // 10000, self.currency)

    @staticmethod
    def zero(currency: str) -> Money:
        return Money(0, currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")
