"""``/healthz`` for both web apps: database, queue and blob reachability."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/healthz", tags=["health"])
def healthz(request: Request) -> JSONResponse:
    report = request.app.state.tienda.health()
    healthy = all(value == "ok" for value in report.values())
    return JSONResponse({"status": "ok" if healthy else "degraded", **report},
                        status_code=200 if healthy else 503)
