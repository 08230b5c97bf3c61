"""Bodies of the operations side of the staff API: orders, customers, inventory, jobs, audit
and the local mailbox (legacy field names and shapes)."""

from __future__ import annotations

from rest_framework import serializers

from backoffice.api.base import MAX_PAGE
from backoffice.api.serializers import page_of
from shop.orders.models import OrderStatus

MAX_MINOR = 10**12


def _paging(sorted_: bool = True, **fields: serializers.Field) -> dict[str, serializers.Field]:
    found: dict[str, serializers.Field] = {
        "page": serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1),
        "per_page": serializers.IntegerField(min_value=1, max_value=100, default=25)}
    if sorted_:
        found["sort"] = serializers.CharField(max_length=40, required=False,
                                              help_text="a field, - for descending")
    return {**found, **fields}


def query_serializer(name: str, sorted_: bool = True,
                     **fields: serializers.Field) -> type[serializers.Serializer]:
    """A query-parameter serializer; built with type() because `from` is a Python keyword."""
    return type(name, (serializers.Serializer,), _paging(sorted_, **fields))


def _dates() -> dict[str, serializers.Field]:
    return {"from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False)}


def _text(length: int = 100) -> serializers.CharField:
    return serializers.CharField(max_length=length, required=False)


OrdersQuery = query_serializer(
    "OrdersQuery", status=serializers.ChoiceField(choices=OrderStatus.values, required=False),
    customer=_text(), **_dates(),
    min_total=serializers.IntegerField(min_value=0, max_value=MAX_MINOR, required=False),
    max_total=serializers.IntegerField(min_value=0, max_value=MAX_MINOR, required=False))
ExportQuery = type("ExportQuery", (serializers.Serializer,), {
    name: field for name, field in OrdersQuery().get_fields().items()
    if name not in ("page", "per_page")})
CustomersQuery = query_serializer("CustomersQuery", q=_text())
InventoryQuery = query_serializer("InventoryQuery", q=_text(), warehouse=_text(20),
                                  low_only=serializers.BooleanField(required=False,
                                                                    default=False))
LedgerQuery = query_serializer("LedgerQuery")
AuditQuery = query_serializer("AuditQuery", actor=_text(), entity=_text(60),
                              action=_text(60), **_dates())
MailboxQuery = query_serializer("MailboxQuery", sorted_=False)


class OrderRow(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField()
    email = serializers.CharField()
    customer_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    currency = serializers.CharField()
    total_minor = serializers.IntegerField()
    placed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    tracking_number = serializers.CharField(allow_null=True)
    shipping_method = serializers.CharField()


class OrderLine(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price_minor = serializers.IntegerField()
    total_minor = serializers.IntegerField()


class OrderEvent(serializers.Serializer):
    status_from = serializers.CharField(allow_null=True)
    status_to = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class OrderNote(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class Payment(serializers.Serializer):
    provider = serializers.CharField()
    reference = serializers.CharField()
    status = serializers.CharField()
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()


class OrderDetail(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField()
    email = serializers.CharField()
    customer_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    channel = serializers.CharField()
    locale = serializers.CharField()
    currency = serializers.CharField()
    subtotal_minor = serializers.IntegerField()
    discount_minor = serializers.IntegerField()
    shipping_minor = serializers.IntegerField()
    tax_minor = serializers.IntegerField()
    total_minor = serializers.IntegerField()
    shipping_method = serializers.CharField()
    shipping_address = serializers.DictField()
    tracking_number = serializers.CharField(allow_null=True)
    placed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    lines = OrderLine(many=True)
    timeline = OrderEvent(many=True)
    notes = OrderNote(many=True)
    payment = Payment(allow_null=True)
    invoice_url = serializers.CharField(allow_null=True)


class ShipBody(serializers.Serializer):
    request_only = True
    tracking_number = serializers.CharField(min_length=1, max_length=100)


class ReasonBody(serializers.Serializer):
    request_only = True
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class NoteBody(serializers.Serializer):
    request_only = True
    text = serializers.CharField(min_length=1, max_length=4000)


class CustomerRow(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    locale = serializers.CharField()
    marketing_consent = serializers.BooleanField()
    consent_changed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    order_count = serializers.IntegerField()


class Address(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    is_default = serializers.BooleanField()


class CustomerOrder(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    total_minor = serializers.IntegerField()
    currency = serializers.CharField()
    placed_at = serializers.DateTimeField()


class OrdersSummary(serializers.Serializer):
    count = serializers.IntegerField()
    total_spent_minor = serializers.IntegerField()


class CustomerDetail(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    locale = serializers.CharField()
    marketing_consent = serializers.BooleanField()
    consent_changed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    addresses = Address(many=True)
    orders_summary = OrdersSummary()
    orders = CustomerOrder(many=True)


class StockRow(serializers.Serializer):
    sku = serializers.CharField()
    variant_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product = serializers.CharField()
    warehouse = serializers.CharField()
    on_hand = serializers.IntegerField()
    reserved = serializers.IntegerField()
    available = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class AdjustmentBody(serializers.Serializer):
    request_only = True
    sku = serializers.CharField(min_length=1, max_length=64)
    warehouse = serializers.CharField(min_length=1, max_length=20)
    delta = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    reason = serializers.CharField(min_length=1, max_length=300)

    def validate_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("must not be zero")
        return value


class LedgerEntry(serializers.Serializer):
    id = serializers.IntegerField()
    warehouse = serializers.CharField()
    kind = serializers.CharField()
    on_hand_delta = serializers.IntegerField()
    reserved_delta = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)
    order_id = serializers.CharField(allow_null=True)
    actor = serializers.CharField()
    created_at = serializers.DateTimeField()


class QueueState(serializers.Serializer):
    name = serializers.CharField()
    depth = serializers.IntegerField()
    poison_depth = serializers.IntegerField()


class TimerRun(serializers.Serializer):
    name = serializers.CharField()
    last_started_at = serializers.DateTimeField(allow_null=True)
    last_finished_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_null=True)


class JobsOverview(serializers.Serializer):
    queues = QueueState(many=True)
    outbox_backlog = serializers.IntegerField()
    timers = TimerRun(many=True)
    worker_heartbeat_at = serializers.DateTimeField(allow_null=True)


class PoisonMessage(serializers.Serializer):
    id = serializers.CharField()
    dequeue_count = serializers.IntegerField()
    inserted_at = serializers.DateTimeField(allow_null=True)
    preview = serializers.CharField(allow_blank=True)


class PoisonList(serializers.Serializer):
    items = PoisonMessage(many=True)


class AuditEntry(serializers.Serializer):
    id = serializers.IntegerField()
    actor = serializers.CharField()
    action = serializers.CharField()
    entity = serializers.CharField()
    entity_id = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    created_at = serializers.DateTimeField()


class MailSummary(serializers.Serializer):
    id = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    to = serializers.CharField(allow_blank=True)
    date = serializers.DateTimeField()


class Mail(MailSummary):
    text = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_null=True)


OrderPage = page_of(OrderRow(), "PageOf_OrderRow_")
CustomerPage = page_of(CustomerRow(), "PageOf_CustomerRow_")
StockPage = page_of(StockRow(), "PageOf_StockRow_")
LedgerPage = page_of(LedgerEntry(), "PageOf_LedgerEntry_")
AuditPage = page_of(AuditEntry(), "PageOf_AuditEntry_")
MailPage = page_of(MailSummary(), "PageOf_MailSummary_")
