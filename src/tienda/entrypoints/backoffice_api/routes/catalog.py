"""Products, variants, categories and pictures. Product and variant edits need ``If-Match``
with the version last read (the product's ``ETag``): 428 without it, 412 when stale."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, Response, UploadFile

from tienda.entrypoints.backoffice_api.auth import backoffice, requires
from tienda.entrypoints.backoffice_api.routes.common import paging
from tienda.entrypoints.backoffice_api.schemas import (
    BulkBody,
    BulkResult,
    Category,
    CategoryBody,
    PageOf,
    Problem,
    ProductBody,
    ProductDetail,
    ProductImage,
    ProductRow,
    StaleProblem,
    Variant,
    VariantBody,
)
from tienda.service_layer.backoffice import catalog
from tienda.service_layer.backoffice.auth import StaffIdentity
from tienda.service_layer.backoffice.errors import PreconditionRequired, StaleEdit
from tienda.service_layer.backoffice.ports import PageRequest

router = APIRouter(tags=["catalog"])
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
IfMatch = Annotated[str | None, Header(description='the ETag last read, e.g. "3"')]
_VERSION = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
EDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    412: {"model": StaleProblem}, 428: {"model": Problem}, 404: {"model": Problem}}


def expected_version(if_match: str | None) -> int:
    if not if_match:
        raise PreconditionRequired("send If-Match with the ETag of the version you edited")
    match = _VERSION.match(if_match.strip())
    if match is None:
        raise StaleEdit(f"If-Match {if_match!r} names no version; reload and try again", 0)
    return int(match.group(1))


def _with_etag(response: Response, detail: dict[str, Any]) -> dict[str, Any]:
    response.headers["ETag"] = f'"{detail["version"]}"'
    return detail


@router.get("/api/products", response_model=PageOf[ProductRow])
def products(request: Request, page: PageRequest = Depends(paging),
             q: Annotated[str | None, Query(max_length=100)] = None,
             category_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
             published: bool | None = None,
             _staff: StaffIdentity = requires("catalog:read")) -> Any:
    return catalog.list_products(backoffice(request), q, category_id, published, page)


@router.post("/api/products", response_model=ProductDetail, status_code=201)
def create_product(body: ProductBody, request: Request, response: Response,
                   staff: StaffIdentity = requires("catalog:write")) -> Any:
    detail = catalog.create_product(backoffice(request), staff.email, body.model_dump())
    return _with_etag(response, detail)


@router.get("/api/products/{product_id}", response_model=ProductDetail,
            responses={404: {"model": Problem}})
def product(product_id: Id, request: Request, response: Response,
            _staff: StaffIdentity = requires("catalog:read")) -> Any:
    return _with_etag(response, catalog.product_detail(backoffice(request), product_id))


@router.put("/api/products/{product_id}", response_model=ProductDetail,
            responses=EDIT_RESPONSES)
def update_product(product_id: Id, body: ProductBody, request: Request, response: Response,
                   if_match: IfMatch = None,
                   staff: StaffIdentity = requires("catalog:write")) -> Any:
    detail = catalog.update_product(backoffice(request), staff.email, product_id,
                                    expected_version(if_match), body.model_dump())
    return _with_etag(response, detail)


@router.post("/api/products/bulk", response_model=BulkResult)
def bulk(body: BulkBody, request: Request,
         staff: StaffIdentity = requires("catalog:write")) -> Any:
    return {"updated": catalog.bulk_update(backoffice(request), staff.email, body.ids,
                                           body.action)}


@router.post("/api/products/{product_id}/variants", response_model=Variant, status_code=201)
def add_variant(product_id: Id, body: VariantBody, request: Request,
                staff: StaffIdentity = requires("catalog:write")) -> Any:
    return catalog.add_variant(backoffice(request), staff.email, product_id, body.model_dump())


@router.put("/api/variants/{variant_id}", response_model=Variant, responses=EDIT_RESPONSES)
def update_variant(variant_id: Id, body: VariantBody, request: Request, response: Response,
                   if_match: IfMatch = None,
                   staff: StaffIdentity = requires("catalog:write")) -> Any:
    variant = catalog.update_variant(backoffice(request), staff.email, variant_id,
                                     expected_version(if_match), body.model_dump())
    return _with_etag(response, variant)


@router.post("/api/products/{product_id}/images", response_model=ProductImage,
             status_code=201, responses={413: {"model": Problem}, 415: {"model": Problem}})
async def upload_image(product_id: Id, request: Request,
                       file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, 5 MB")],
                       staff: StaffIdentity = requires("catalog:write")) -> Any:
    data = await file.read(catalog.MAX_UPLOAD_BYTES + 1)
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    return catalog.upload_image(backoffice(request), staff.email, product_id, content_type,
                                data)


@router.delete("/api/images/{image_id}", status_code=204)
def delete_image(image_id: Id, request: Request,
                 staff: StaffIdentity = requires("catalog:write")) -> Response:
    catalog.delete_image(backoffice(request), staff.email, image_id)
    return Response(status_code=204)


@router.get("/api/categories", response_model=list[Category])
def categories(request: Request, _staff: StaffIdentity = requires("catalog:read")) -> Any:
    return catalog.list_categories(backoffice(request))


@router.post("/api/categories", response_model=Category, status_code=201)
def create_category(body: CategoryBody, request: Request,
                    staff: StaffIdentity = requires("catalog:write")) -> Any:
    return catalog.save_category(backoffice(request), staff.email, body.model_dump())


@router.put("/api/categories/{category_id}", response_model=Category)
def update_category(category_id: Id, body: CategoryBody, request: Request,
                    staff: StaffIdentity = requires("catalog:write")) -> Any:
    return catalog.save_category(backoffice(request), staff.email, body.model_dump(),
                                 category_id)
