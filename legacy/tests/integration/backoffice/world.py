"""A small shop for backoffice tests: staff of every role, a product with stock, orders in
each state, a customer, a captured e-mail and a poison message."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from PIL import Image

from tests.builders import make_shop
from tests.integration.checkout.helpers import place
from tienda.adapters.db.tables import (
    customers,
    product_images,
    products,
    staff_users,
    variants,
)
from tienda.bootstrap import Tienda
from tienda.entrypoints.backoffice_api.auth import COOKIE
from tienda.service_layer import fulfilment
from tienda.service_layer.fulfilment import confirm_order

ROLES = ("admin", "manager", "support", "viewer")
PASSWORD = "correct horse battery"
SKU = "TEE-M"
# A real argon2id hash with cheap parameters: the app verifies it exactly as a production hash
# (the parameters travel in the hash) without spending a second per sign-in in tests.
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def insert_staff(engine: sa.Engine, email: str, role: str) -> int:
    with engine.begin() as conn:
        return int(conn.execute(staff_users.insert().values(
            email=email, name=role.title(), role=role, password_hash=CHEAP_HASH)
        ).inserted_primary_key[0])


def email_of(role: str) -> str:
    return f"{role}@tienda.test"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def sign_in(client: TestClient, role: str) -> str:
    response = client.post("/api/auth/login", json={"email": email_of(role),
                                                    "password": PASSWORD})
    assert response.status_code == 200, response.text
    token = response.cookies[COOKIE]
    client.cookies.clear()  # every test request names its session explicitly
    return token


@dataclass
class World:
    tienda: Tienda
    client: TestClient
    sessions: dict[str, str] = field(default_factory=dict)
    product_id: int = 1
    variant_id: int = 1
    category_id: int = 1
    customer_id: int = 0
    mail_id: str = ""
    _counter: itertools.count[int] = field(default_factory=itertools.count)
    _warehouse_loaded: bool = False

    @property
    def engine(self) -> sa.Engine:
        return self.tienda.engine

    def unique(self) -> int:
        return next(self._counter)

    def warehouse_loaded(self) -> None:
        """Reports read the warehouse: load it once, as the worker's ETL timer would."""
        if not self._warehouse_loaded:
            from tienda.entrypoints.analytics.etl import run_etl

            run_etl(self.tienda.settings)
            self._warehouse_loaded = True

    def auth(self, role: str | None) -> dict[str, str]:
        """Headers that send ``role``'s session cookie (none for anonymous)."""
        return {"Cookie": f"{COOKIE}={self.sessions[role]}"} if role else {}

    def order(self, state: str = "confirmed") -> str:
        """A new order of one item, taken to ``state`` the way the shop would."""
        order_id = place(self.tienda, {SKU: 1}).order_id
        if state == "pending":
            return order_id
        confirm_order(self.tienda.fulfilment, self.tienda.blobs, self.tienda.invoices, order_id)
        if state in ("shipped", "delivered"):
            fulfilment.ship_order(self.tienda.fulfilment, order_id, "test", "TRACK-1")
        if state == "delivered":
            fulfilment.deliver_order(self.tienda.fulfilment, order_id, "test")
        return order_id

    def version(self, table: sa.Table, row_id: int) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(table.c.version)
                                    .where(table.c.id == row_id)).scalar_one())

    def image(self) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(product_images.insert().values(
                product_id=self.product_id, blob_key="products/x/a.jpg",
                thumbnail_key="products/x/a-thumb.jpg", content_type="image/jpeg", width=1,
                height=1))
            return int(result.inserted_primary_key[0])

    def staff_member(self) -> int:
        return insert_staff(self.engine, f"temp{self.unique()}@tienda.test", "viewer")

    def poison_message(self, body: str = '{"order_id": "nope"}') -> str:
        queue = self.tienda.settings.queue_notifications
        self.tienda.queues.send(queue + "-poison", body)
        peeked = self.tienda.queues.peek(queue + "-poison", 32)
        return peeked[-1].id


def _advance_sequences(engine: sa.Engine) -> None:
    """make_shop inserts explicit ids; PostgreSQL's sequences must then move past them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("categories", "products", "variants", "warehouses"):
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT max(id) FROM {table}))")


def build_world(tienda: Tienda, client: TestClient, stock: int = 1000) -> World:
    make_shop(tienda.engine, {SKU: stock})
    _advance_sequences(tienda.engine)
    for role in ROLES:
        insert_staff(tienda.engine, email_of(role), role)
    world = World(tienda, client)
    world.sessions = {role: sign_in(client, role) for role in ROLES}
    with tienda.engine.begin() as conn:
        world.customer_id = int(conn.execute(customers.insert().values(
            email="ana@example.com", name="Ana García", marketing_consent=True,
            consent_changed_at=datetime.now(UTC))).inserted_primary_key[0])
    world.mail_id = _capture_mail(tienda)
    return world


def _capture_mail(tienda: Tienda) -> str:
    directory = tienda.settings.mail_dir
    directory.mkdir(parents=True, exist_ok=True)
    name = "20250101T100000000000-abcd1234"
    (directory / f"{name}.eml").write_text(
        "From: shop@tienda.local\r\nTo: ana@example.com\r\nSubject: Pedido confirmado\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nGracias por tu pedido.\r\n")
    return name


__all__ = ["ROLES", "SKU", "World", "build_world", "png_bytes", "products", "variants"]
