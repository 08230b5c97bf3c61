"""Request and response bodies of the backoffice API (the SPA's client is generated from the
OpenAPI document these produce). Money is integer minor units plus a currency code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Minor = Annotated[int, Field(ge=0, le=10**12)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Role = Literal["admin", "manager", "support", "viewer"]


class Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PageOf(Out, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class Problem(BaseModel):
    detail: str


class StaleProblem(Problem):
    current_version: int


class ValidationProblem(Problem):
    errors: list[dict[str, Any]]


# --- auth and staff -------------------------------------------------------------------------

class LoginBody(BaseModel):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=200)]


class Me(Out):
    id: int
    email: str
    name: str
    role: Role
    permissions: list[str]


class StaffMember(Out):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    locked_until: datetime | None
    created_at: datetime


class StaffCreate(BaseModel):
    email: Annotated[str, Field(max_length=320)]
    name: Annotated[str, Field(max_length=200)] = ""
    role: Role
    password: Annotated[str, Field(min_length=10, max_length=200)]


class StaffUpdate(BaseModel):
    role: Role
    is_active: bool


# --- catalog --------------------------------------------------------------------------------

class ProductBody(BaseModel):
    category_id: Id
    slug: Annotated[str, Field(max_length=160)] | None = None
    name_es: Annotated[str, Field(min_length=1, max_length=200)]
    name_en: Annotated[str, Field(min_length=1, max_length=200)]
    description_es: Annotated[str, Field(max_length=20000)] = ""
    description_en: Annotated[str, Field(max_length=20000)] = ""
    is_published: bool = False
    is_featured: bool = False


class ProductRow(Out):
    id: int
    slug: str
    name_es: str
    name_en: str
    category_id: int
    category_name: str
    is_published: bool
    is_featured: bool
    version: int
    updated_at: datetime
    variant_count: int
    min_price_minor: int | None


class VariantBody(BaseModel):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    attributes: dict[Annotated[str, Field(max_length=50)],
                     Annotated[str, Field(max_length=100)]] = Field(default_factory=dict,
                                                                     max_length=20)
    price_minor: Minor
    cost_minor: Minor = 0
    currency: Currency
    is_published: bool = True


class Variant(Out):
    id: int
    product_id: int
    sku: str
    attributes: dict[str, Any]
    price_minor: int
    cost_minor: int
    currency: str
    is_published: bool
    version: int
    updated_at: datetime


class ProductImage(Out):
    id: int
    product_id: int
    position: int
    blob_key: str
    thumbnail_key: str
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int
    alt_es: str
    alt_en: str
    created_at: datetime


class ProductDetail(Out):
    id: int
    category_id: int
    slug: str
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    is_published: bool
    is_featured: bool
    version: int
    created_at: datetime
    updated_at: datetime
    variants: list[Variant]
    images: list[ProductImage]


class BulkBody(BaseModel):
    ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    action: Literal["publish", "unpublish", "feature", "unfeature"]


class BulkResult(Out):
    updated: int


class CategoryBody(BaseModel):
    slug: Annotated[str, Field(max_length=120)] | None = None
    name_es: Annotated[str, Field(min_length=1, max_length=200)]
    name_en: Annotated[str, Field(min_length=1, max_length=200)]
    parent_id: Id | None = None
    position: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] = 0


class Category(Out):
    id: int
    parent_id: int | None
    slug: str
    name_es: str
    name_en: str
    position: int
    product_count: int = 0
