"""Sign-in, sign-out, who am I; and staff accounts (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from tienda.entrypoints.backoffice_api.auth import (
    backoffice,
    clear_session_cookie,
    public,
    requires,
    session_token,
    set_session_cookie,
)
from tienda.entrypoints.backoffice_api.schemas import (
    LoginBody,
    Me,
    Problem,
    StaffCreate,
    StaffMember,
    StaffUpdate,
)
from tienda.service_layer.backoffice import auth, people
from tienda.service_layer.backoffice.auth import StaffIdentity
from tienda.service_layer.backoffice.permissions import SIGNED_IN

router = APIRouter(tags=["auth"])
StaffId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.post("/api/auth/login", response_model=Me, dependencies=[public()],
             responses={401: {"model": Problem}, 423: {"model": Problem}})
def login(body: LoginBody, request: Request, response: Response) -> dict[str, object]:
    staff, token = auth.sign_in(backoffice(request), body.email, body.password)
    set_session_cookie(request, response, token)
    return staff.as_row()


@router.post("/api/auth/logout", status_code=204)
def logout(request: Request, _staff: StaffIdentity = requires(SIGNED_IN)) -> Response:
    token = session_token(request)
    if token:
        auth.sign_out(backoffice(request), token)
    answer = Response(status_code=204)
    clear_session_cookie(answer)
    return answer


@router.get("/api/auth/me", response_model=Me)
def me(staff: StaffIdentity = requires(SIGNED_IN)) -> dict[str, object]:
    return staff.as_row()


@router.get("/api/staff", response_model=list[StaffMember], tags=["staff"])
def staff_list(request: Request, _staff: StaffIdentity = requires("staff:read")
               ) -> list[dict[str, object]]:
    return people.list_staff(backoffice(request))


@router.post("/api/staff", response_model=StaffMember, status_code=201, tags=["staff"])
def staff_create(body: StaffCreate, request: Request,
                 staff: StaffIdentity = requires("staff:manage")) -> dict[str, object]:
    return auth.create_staff(backoffice(request), staff.email, body.email, body.name, body.role,
                             body.password)


@router.put("/api/staff/{staff_id}", response_model=StaffMember, tags=["staff"])
def staff_update(staff_id: StaffId, body: StaffUpdate, request: Request,
                 staff: StaffIdentity = requires("staff:manage")) -> dict[str, object]:
    return auth.update_staff(backoffice(request), staff.email, staff_id, body.role,
                             body.is_active)
