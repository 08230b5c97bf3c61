"""The staff API under /api/: the legacy paths the SPA's generated client calls. Every view
declares one permission per method (backoffice/api/base.py); the role-matrix test reads them
from here."""

from __future__ import annotations

from django.urls import path, register_converter

from backoffice.api import auth, campaigns, catalog, inventory_jobs, operations, orders, reports
from backoffice.api.base import MAX_ID


class IdConverter:
    """A positive database id that fits a 32-bit column: anything else is a 404, never a
    database error."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class NameConverter:
    """A path segment of at most 80 characters (SKUs, queue names, message ids)."""

    regex = "[^/]{1,80}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(NameConverter, "name")

urlpatterns = [
    path("auth/login", auth.LoginApi.as_view()),
    path("auth/logout", auth.LogoutApi.as_view()),
    path("auth/me", auth.MeApi.as_view()),
    path("staff", auth.StaffListApi.as_view()),
    path("staff/<id:staff_id>", auth.StaffMemberApi.as_view()),
    path("products", catalog.ProductsApi.as_view()),
    path("products/bulk", catalog.ProductsBulkApi.as_view()),
    path("products/<id:product_id>", catalog.ProductApi.as_view()),
    path("products/<id:product_id>/variants", catalog.VariantsApi.as_view()),
    path("products/<id:product_id>/images", catalog.ImagesApi.as_view()),
    path("variants/<id:variant_id>", catalog.VariantApi.as_view()),
    path("images/<id:image_id>", catalog.ImageApi.as_view()),
    path("categories", catalog.CategoriesApi.as_view()),
    path("categories/<id:category_id>", catalog.CategoryApi.as_view()),
    path("orders", orders.OrdersApi.as_view()),
    path("orders/export.csv", orders.OrdersExportApi.as_view()),
    path("orders/<uuid:order_id>", orders.OrderApi.as_view()),
    path("orders/<uuid:order_id>/ship", orders.OrderShipApi.as_view()),
    path("orders/<uuid:order_id>/cancel", orders.OrderCancelApi.as_view()),
    path("orders/<uuid:order_id>/refund", orders.OrderRefundApi.as_view()),
    path("orders/<uuid:order_id>/deliver", orders.OrderDeliverApi.as_view()),
    path("orders/<uuid:order_id>/notes", orders.OrderNotesApi.as_view()),
    path("customers", operations.CustomersApi.as_view()),
    path("customers/<id:customer_id>", operations.CustomerApi.as_view()),
    path("inventory", operations.InventoryApi.as_view()),
    path("inventory/adjustments", operations.AdjustmentsApi.as_view()),
    path("inventory/<name:sku>/ledger", operations.LedgerApi.as_view()),
    path("inventory/jobs", inventory_jobs.InventoryJobsApi.as_view()),
    path("inventory/jobs/<id:job_id>", inventory_jobs.InventoryJobApi.as_view()),
    path("inventory/jobs/<id:job_id>/errors.csv", inventory_jobs.InventoryJobErrorsApi.as_view()),
    path("inventory/jobs/<id:job_id>/apply", inventory_jobs.InventoryJobApplyApi.as_view()),
    path("inventory/transfers", inventory_jobs.InventoryTransfersApi.as_view()),
    path("inventory/receipts", inventory_jobs.InventoryReceiptsApi.as_view()),
    path("inventory/low-stock", inventory_jobs.LowStockApi.as_view()),
    path("inventory/thresholds/<name:sku>", inventory_jobs.ThresholdApi.as_view()),
    path("jobs", operations.JobsApi.as_view()),
    path("jobs/poison/<name:queue>", operations.PoisonApi.as_view()),
    path("jobs/poison/<name:queue>/<name:message_id>/retry", operations.PoisonRetryApi.as_view()),
    path("jobs/poison/<name:queue>/<name:message_id>/discard",
         operations.PoisonDiscardApi.as_view()),
    path("audit", operations.AuditApi.as_view()),
    path("mailbox", operations.MailboxApi.as_view()),
    path("mailbox/<name:message_id>", operations.MailApi.as_view()),
    *[path(f"reports/{name}", view.as_view()) for name, view in reports.REPORT_VIEWS.items()],
    path("reports/reconciliation", reports.ReconciliationApi.as_view()),
    path("campaigns", campaigns.CampaignsApi.as_view()),
    path("campaigns/segment-count", campaigns.CampaignSegmentCountApi.as_view()),
    path("campaigns/rfm-segments", campaigns.CampaignRfmSegmentsApi.as_view()),
    path("campaigns/<id:campaign_id>", campaigns.CampaignApi.as_view()),
    path("campaigns/<id:campaign_id>/preview", campaigns.CampaignPreviewApi.as_view()),
    path("campaigns/<id:campaign_id>/test-send", campaigns.CampaignTestSendApi.as_view()),
    path("campaigns/<id:campaign_id>/send", campaigns.CampaignSendApi.as_view()),
    path("campaigns/<id:campaign_id>/pause", campaigns.CampaignPauseApi.as_view()),
    path("campaigns/<id:campaign_id>/resume", campaigns.CampaignResumeApi.as_view()),
    path("campaigns/<id:campaign_id>/cancel", campaigns.CampaignCancelApi.as_view()),
]
