"""Sign-in, sign-out, who am I (Django sessions: cookie `tienda_staff_session`, CSRF cookie
`tienda_staff_csrf`), and staff accounts (admin only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api import selectors
from backoffice.api.base import StaffApi, body
from backoffice.api.serializers import (
    LoginBody,
    Me,
    Problem,
    StaffCreate,
    StaffMember,
    StaffUpdate,
)
from backoffice.roles import (
    PUBLIC,
    SIGNED_IN,
    is_active_staff,
    staff_create,
    staff_permissions,
    staff_role,
    staff_update,
)
from shop.core.clients import client_address
from shop.users.services import sign_in_failed, sign_in_succeeded, staff_sign_in_check

WRONG = "wrong e-mail or password"


def me_row(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "name": user.name,
            "role": staff_role(user) or "viewer", "permissions": staff_permissions(user)}


class LoginApi(StaffApi):
    """CSRF-exempt (there is no session to ride yet); rate-limited: the fifth failure locks
    the account for 15 minutes (423), unknown e-mail and wrong password read the same."""

    authentication_classes: list[Any] = []
    permissions = {"POST": PUBLIC}
    tag = "auth"

    @extend_schema(request=LoginBody, responses={200: Me, 401: Problem, 423: Problem})
    def post(self, request: Request) -> Response:
        data = body(LoginBody, request)
        email = data["email"].strip().lower()
        staff_sign_in_check(email=email)
        user = authenticate(request._request, email=email, password=data["password"])
        if user is None or not is_active_staff(user):
            sign_in_failed(email=email, client=client_address(request._request))
            return Response({"detail": WRONG}, status=status.HTTP_401_UNAUTHORIZED)
        sign_in_succeeded(email=email)
        login(request._request, user)
        return Response(Me(me_row(user)).data)


class LogoutApi(StaffApi):
    permissions = {"POST": SIGNED_IN}
    tag = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class MeApi(StaffApi):
    """Sets the CSRF cookie even when it answers 401, so the sign-in page can post."""

    permissions = {"GET": SIGNED_IN}
    tag = "auth"

    @extend_schema(responses={200: Me, 401: Problem})
    def get(self, request: Request) -> Response:
        return Response(Me(me_row(request.user)).data)


class StaffListApi(StaffApi):
    permissions = {"GET": "staff:read", "POST": "staff:manage"}
    tag = "staff"

    @extend_schema(responses={200: StaffMember(many=True)})
    def get(self, request: Request) -> Response:
        return Response(StaffMember(selectors.staff_list(), many=True).data)

    @extend_schema(request=StaffCreate, responses={201: StaffMember, 409: Problem})
    def post(self, request: Request) -> Response:
        user = staff_create(**body(StaffCreate, request), actor=request.user)
        return Response(StaffMember(selectors.staff_member_row(user)).data,
                        status=status.HTTP_201_CREATED)


class StaffMemberApi(StaffApi):
    permissions = {"PUT": "staff:manage"}
    tag = "staff"

    @extend_schema(request=StaffUpdate, responses={200: StaffMember, 404: Problem,
                                                   409: Problem})
    def put(self, request: Request, staff_id: int) -> Response:
        user = staff_update(user_id=staff_id, **body(StaffUpdate, request), actor=request.user)
        return Response(StaffMember(selectors.staff_member_row(user)).data)
