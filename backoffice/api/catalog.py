"""Products, variants, categories and pictures. Product and variant edits need `If-Match`
with the version last read (the product's `ETag`): 428 without it, 412 when stale."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api import selectors
from backoffice.api.base import StaffApi, body, expected_version, page_of, query, with_etag
from backoffice.api.serializers import (
    BulkBody,
    BulkResult,
    Category,
    CategoryBody,
    ImageUpload,
    Problem,
    ProductBody,
    ProductDetail,
    ProductImage,
    ProductPage,
    ProductsQuery,
    StaleProblem,
    Variant,
    VariantBody,
)
from shop.catalog import services
from shop.core.errors import ShopError

IF_MATCH = OpenApiParameter("if-match", str, OpenApiParameter.HEADER, required=False,
                            description='the ETag last read, e.g. "3"')
EDIT_RESPONSES = {412: StaleProblem, 428: Problem, 404: Problem}


def _detail(product_id: int, code: int = status.HTTP_200_OK) -> Response:
    detail = selectors.product_detail(product_id=product_id)
    return with_etag(Response(ProductDetail(detail).data, status=code), detail["version"])


class ProductsApi(StaffApi):
    permissions = {"GET": "catalog:read", "POST": "catalog:write"}
    tag = "catalog"

    @extend_schema(parameters=[ProductsQuery], responses={200: ProductPage})
    def get(self, request: Request) -> Response:
        params = query(ProductsQuery, request)
        page = page_of(params)
        return Response(ProductPage(selectors.products_page(
            q=params.get("q"), category_id=params.get("category_id"),
            published=params.get("published"), page=page)).data)

    @extend_schema(request=ProductBody, responses={201: ProductDetail})
    def post(self, request: Request) -> Response:
        product = services.product_create(values=body(ProductBody, request), actor=request.user)
        return _detail(product.pk, status.HTTP_201_CREATED)


class ProductApi(StaffApi):
    permissions = {"GET": "catalog:read", "PUT": "catalog:write"}
    tag = "catalog"

    @extend_schema(responses={200: ProductDetail, 404: Problem})
    def get(self, request: Request, product_id: int) -> Response:
        return _detail(product_id)

    @extend_schema(request=ProductBody, parameters=[IF_MATCH],
                   responses={200: ProductDetail, **EDIT_RESPONSES})
    def put(self, request: Request, product_id: int) -> Response:
        version = expected_version(request.headers.get("If-Match"))
        services.product_update(product_id=product_id, expected_version=version,
                                values=body(ProductBody, request), actor=request.user)
        return _detail(product_id)


class ProductsBulkApi(StaffApi):
    permissions = {"POST": "catalog:write"}
    tag = "catalog"

    @extend_schema(request=BulkBody, responses={200: BulkResult})
    def post(self, request: Request) -> Response:
        data = body(BulkBody, request)
        updated = services.products_bulk_update(product_ids=data["ids"], action=data["action"],
                                                actor=request.user)
        return Response({"updated": updated})


class VariantsApi(StaffApi):
    permissions = {"POST": "catalog:write"}
    tag = "catalog"

    @extend_schema(request=VariantBody, responses={201: Variant, 404: Problem,
                                                   409: Problem})
    def post(self, request: Request, product_id: int) -> Response:
        variant = services.variant_create(product_id=product_id,
                                          values=body(VariantBody, request), actor=request.user)
        return Response(Variant(selectors.variant_row(variant)).data,
                        status=status.HTTP_201_CREATED)


class VariantApi(StaffApi):
    permissions = {"PUT": "catalog:write"}
    tag = "catalog"

    @extend_schema(request=VariantBody, parameters=[IF_MATCH],
                   responses={200: Variant, **EDIT_RESPONSES})
    def put(self, request: Request, variant_id: int) -> Response:
        version = expected_version(request.headers.get("If-Match"))
        variant = services.variant_update(variant_id=variant_id, expected_version=version,
                                          values=body(VariantBody, request),
                                          actor=request.user)
        return with_etag(Response(Variant(selectors.variant_row(variant)).data),
                         variant.version)


class ImagesApi(StaffApi):
    permissions = {"POST": "catalog:write"}
    parser_classes = [MultiPartParser]
    tag = "catalog"

    @extend_schema(request={"multipart/form-data": ImageUpload},
                   responses={201: ProductImage, 413: Problem, 415: Problem})
    def post(self, request: Request, product_id: int) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ShopError("send the picture as the multipart field `file`")
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        data = upload.read(services.images.MAX_UPLOAD_BYTES + 1)
        image = services.product_image_upload(product_id=product_id, content_type=content_type,
                                              data=data, actor=request.user)
        return Response(ProductImage(selectors.image_row(image)).data,
                        status=status.HTTP_201_CREATED)


class ImageApi(StaffApi):
    permissions = {"DELETE": "catalog:write"}
    tag = "catalog"

    @extend_schema(responses={204: None, 404: Problem})
    def delete(self, request: Request, image_id: int) -> Response:
        services.product_image_delete(image_id=image_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoriesApi(StaffApi):
    permissions = {"GET": "catalog:read", "POST": "catalog:write"}
    tag = "catalog"

    @extend_schema(responses={200: Category(many=True)})
    def get(self, request: Request) -> Response:
        return Response(Category(selectors.categories_list(), many=True).data)

    @extend_schema(request=CategoryBody, responses={201: Category, 409: Problem})
    def post(self, request: Request) -> Response:
        category = services.category_create(values=body(CategoryBody, request),
                                            actor=request.user)
        return Response(Category(selectors.category_row(category)).data,
                        status=status.HTTP_201_CREATED)


class CategoryApi(StaffApi):
    permissions = {"PUT": "catalog:write"}
    tag = "catalog"

    @extend_schema(request=CategoryBody, responses={200: Category, 404: Problem,
                                                    409: Problem})
    def put(self, request: Request, category_id: int) -> Response:
        category = services.category_update(category_id=category_id,
                                            values=body(CategoryBody, request),
                                            actor=request.user)
        return Response(Category(selectors.category_row(
            category, category.products.count())).data)
