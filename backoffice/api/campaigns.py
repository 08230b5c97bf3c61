"""Campaigns (issue 13): list, create, read and edit (If-Match, draft or scheduled only), the
live recipient count of a segment, preview, a test send to oneself, send or schedule, pause,
resume, cancel. Thin views over shop.campaigns; refusals are the usual 404/409/412/422."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api.base import (
    Page,
    StaffApi,
    body,
    expected_version,
    paged,
    query,
    with_etag,
)
from backoffice.api.serializers import Problem, StaleProblem, page_of
from backoffice.api.serializers_ops import query_serializer
from shop.campaigns import selectors, services
from shop.campaigns.emails import campaign_preview
from shop.campaigns.rules import LOCALES, STATUSES, SegmentInvalid
from shop.campaigns.selectors import rfm_segment_names

READ, WRITE = "campaigns:read", "campaigns:write"
IF_MATCH = OpenApiParameter("if-match", str, OpenApiParameter.HEADER, required=False,
                            description='the ETag last read, e.g. "3"')


# --- bodies ------------------------------------------------------------------------------------

class SegmentShape(serializers.Serializer):
    """Marketing consent is always required; each non-null field narrows the segment."""

    language = serializers.ChoiceField(choices=LOCALES, allow_null=True, required=False)
    bought_in_category = serializers.IntegerField(allow_null=True, required=False)
    last_order_before = serializers.DateField(allow_null=True, required=False)
    last_order_after = serializers.DateField(allow_null=True, required=False)
    rfm_segment = serializers.CharField(allow_null=True, required=False)


@extend_schema_field(SegmentShape)
class SegmentField(serializers.JSONField):
    """Validated by shop.campaigns.rules (a 422 names each wrong field: segment.language...)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return services.segment_check(super().to_internal_value(data))
        except SegmentInvalid as exc:
            raise serializers.ValidationError(exc.problems) from None


class CampaignBody(serializers.Serializer):
    request_only = True
    name = serializers.CharField(max_length=200)
    subject_es = serializers.CharField(max_length=200)
    subject_en = serializers.CharField(max_length=200)
    body_es = serializers.CharField(max_length=100_000)
    body_en = serializers.CharField(max_length=100_000)
    segment = SegmentField()


class SegmentCountBody(serializers.Serializer):
    request_only = True
    segment = SegmentField()


class SendBody(serializers.Serializer):
    request_only = True
    scheduled_at = serializers.DateTimeField(allow_null=True, required=False, default=None)


class LocaleBody(serializers.Serializer):
    request_only = True
    locale = serializers.ChoiceField(choices=LOCALES)


class Campaign(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    subject_es = serializers.CharField()
    subject_en = serializers.CharField()
    body_es = serializers.CharField()
    body_en = serializers.CharField()
    segment = SegmentShape()
    status = serializers.ChoiceField(choices=STATUSES)
    scheduled_at = serializers.DateTimeField(allow_null=True)
    recipients_total = serializers.IntegerField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


CampaignPage = page_of(Campaign(), "CampaignPage")
CampaignsQuery = query_serializer(
    "CampaignsQuery", sorted_=False,
    status=serializers.ChoiceField(choices=STATUSES, required=False),
    page_size=serializers.IntegerField(min_value=1, max_value=100, required=False,
                                       help_text="the same as per_page"))


class SegmentCount(serializers.Serializer):
    count = serializers.IntegerField()


class Preview(serializers.Serializer):
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()


class PreviewQuery(serializers.Serializer):
    locale = serializers.ChoiceField(choices=LOCALES, default="es")


class Queued(serializers.Serializer):
    detail = serializers.CharField()


class RfmSegments(serializers.Serializer):
    segments = serializers.ListField(child=serializers.CharField())


# --- views -------------------------------------------------------------------------------------

def _detail(campaign_id: int, code: int = status.HTTP_200_OK) -> Response:
    campaign = selectors.campaign_get(campaign_id=campaign_id)
    row = selectors.campaign_row(campaign)
    return with_etag(Response(Campaign(row).data, status=code), campaign.version)


class CampaignApiBase(StaffApi):
    tag = "campaigns"


class CampaignsApi(CampaignApiBase):
    permissions = {"GET": READ, "POST": WRITE}

    @extend_schema(parameters=[CampaignsQuery], responses={200: CampaignPage})
    def get(self, request: Request) -> Response:
        params = query(CampaignsQuery, request)
        page = Page(params["page"], params.get("page_size") or params["per_page"])
        rows = selectors.campaign_list(status=params.get("status"))
        return Response(paged(rows, page, selectors.campaign_row))

    @extend_schema(request=CampaignBody, responses={201: Campaign, 422: Problem})
    def post(self, request: Request) -> Response:
        campaign = services.campaign_create(values=body(CampaignBody, request),
                                            actor=request.user)
        return _detail(campaign.pk, status.HTTP_201_CREATED)


class CampaignApi(CampaignApiBase):
    permissions = {"GET": READ, "PUT": WRITE}

    @extend_schema(responses={200: Campaign, 404: Problem})
    def get(self, request: Request, campaign_id: int) -> Response:
        return _detail(campaign_id)

    @extend_schema(request=CampaignBody, parameters=[IF_MATCH],
                   responses={200: Campaign, 404: Problem, 409: Problem, 412: StaleProblem,
                              422: Problem, 428: Problem})
    def put(self, request: Request, campaign_id: int) -> Response:
        version = expected_version(request.headers.get("If-Match"))
        services.campaign_update(campaign_id=campaign_id, expected_version=version,
                                 values=body(CampaignBody, request), actor=request.user)
        return _detail(campaign_id)


class CampaignSegmentCountApi(CampaignApiBase):
    permissions = {"POST": READ}

    @extend_schema(request=SegmentCountBody, responses={200: SegmentCount, 409: Problem,
                                                        422: Problem})
    def post(self, request: Request) -> Response:
        segment = body(SegmentCountBody, request)["segment"]
        return Response({"count": selectors.segment_count(segment)})


class CampaignRfmSegmentsApi(CampaignApiBase):
    permissions = {"GET": READ}

    @extend_schema(responses={200: RfmSegments})
    def get(self, request: Request) -> Response:
        return Response({"segments": list(rfm_segment_names())})


class CampaignPreviewApi(CampaignApiBase):
    permissions = {"GET": READ}

    @extend_schema(parameters=[PreviewQuery], responses={200: Preview, 404: Problem})
    def get(self, request: Request, campaign_id: int) -> Response:
        locale = query(PreviewQuery, request)["locale"]
        rendered = campaign_preview(selectors.campaign_get(campaign_id=campaign_id),
                                    locale=locale)
        return Response({"subject": rendered.subject, "text": rendered.text,
                         "html": rendered.html})


class CampaignTestSendApi(CampaignApiBase):
    permissions = {"POST": WRITE}

    @extend_schema(request=LocaleBody, responses={202: Queued, 404: Problem})
    def post(self, request: Request, campaign_id: int) -> Response:
        locale = body(LocaleBody, request)["locale"]
        services.campaign_test_send(campaign_id=campaign_id, locale=locale, actor=request.user)
        return Response({"detail": f"a test e-mail is on its way to {request.user.email}"},
                        status=status.HTTP_202_ACCEPTED)


class CampaignSendApi(CampaignApiBase):
    permissions = {"POST": WRITE}

    @extend_schema(request=SendBody, responses={202: Campaign, 404: Problem, 409: Problem})
    def post(self, request: Request, campaign_id: int) -> Response:
        when = body(SendBody, request)["scheduled_at"]
        services.campaign_send(campaign_id=campaign_id, scheduled_at=when, actor=request.user)
        return _detail(campaign_id, status.HTTP_202_ACCEPTED)


def _transition_view(name: str, service: Any) -> type[CampaignApiBase]:
    @extend_schema(request=None, responses={202: Campaign, 404: Problem, 409: Problem})
    def post(self: Any, request: Request, campaign_id: int) -> Response:
        service(campaign_id=campaign_id, actor=request.user)
        return _detail(campaign_id, status.HTTP_202_ACCEPTED)

    return type(name, (CampaignApiBase,), {"permissions": {"POST": WRITE}, "post": post,
                                           "__module__": __name__})


CampaignPauseApi = _transition_view("CampaignPauseApi", services.campaign_pause)
CampaignResumeApi = _transition_view("CampaignResumeApi", services.campaign_resume)
CampaignCancelApi = _transition_view("CampaignCancelApi", services.campaign_cancel)
