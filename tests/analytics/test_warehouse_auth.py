"""On Azure the PostgreSQL warehouse signs in with the app's managed identity."""

from __future__ import annotations

from analytics import warehouse


def test_locally_no_password_is_added(settings):
    settings.WAREHOUSE_AUTH = "password"

    assert warehouse.entra_password() == {}


def test_with_entra_a_token_of_the_apps_identity_is_the_password(settings, monkeypatch):
    """The credential is Azure's (not reachable here): a stand-in records what was asked."""
    asked = []

    class Token:
        token = "eyJ.token"

    class Credential:
        def get_token(self, scope: str) -> Token:
            asked.append(scope)
            return Token()

    monkeypatch.setattr("shop.settings.storage.managed_identity",
                        lambda client_id: asked.append(client_id) or Credential())
    settings.WAREHOUSE_AUTH, settings.DATABASE_CLIENT_ID = "entra", "client-123"

    assert warehouse.entra_password() == {"password": "eyJ.token"}
    assert asked == ["client-123", "https://ossrdbms-aad.database.windows.net/.default"]
