"""The shop's rules that come from configuration, handed to the use cases as one value."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class ShopPolicy:
    currency: str
    tax_rate_bp: int
    token_secret: str
    queue_order_confirmation: str
    queue_notifications: str
    container_invoices: str
    pending_order_ttl_minutes: int
    public_base_url: str

    def order_access_token(self, order_id: str) -> str:
        """The order's bearer token: derived, so a retried checkout can return it again and
        an e-mail can link to the order without the token being stored anywhere."""
        digest = hmac.new(self.token_secret.encode(), f"order:{order_id}".encode(),
                          hashlib.sha256)
        return digest.hexdigest()[:40]

    def invoice_link(self, order_id: str) -> str:
        return (f"{self.public_base_url}/api/v1/orders/{order_id}/invoice"
                f"?access_token={self.order_access_token(order_id)}")
