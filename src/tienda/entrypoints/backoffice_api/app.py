"""The backoffice API: the staff SPA's JSON API, a separate deployable from the storefront."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from tienda.bootstrap import Tienda, bootstrap
from tienda.config import Settings, load_settings
from tienda.entrypoints import health


def create_app(settings: Settings | None = None, tienda: Tienda | None = None) -> FastAPI:
    tienda = tienda or bootstrap(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        tienda.close()

    app = FastAPI(title="Tienda backoffice API", version="1", lifespan=lifespan)
    app.state.tienda = tienda
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[tienda.settings.backoffice_ui_origin],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.include_router(health.router)
    return app
