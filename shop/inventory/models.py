from __future__ import annotations

from django.db import models


class Warehouse(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "warehouses"
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return self.code


class StockLevel(models.Model):
    """Units of a variant in a warehouse. The CHECKs are the last line against overselling:
    whatever the code does, the database refuses reserved > on_hand."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE,
                                related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "stock_levels"
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"],
                                    name="uq_stock_levels_variant_warehouse"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0),
                                   name="ck_stock_levels_reserved_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__lte=models.F("on_hand")),
                                   name="ck_stock_levels_reserved_within_on_hand"),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt"          # goods in: on_hand up
    ADJUSTMENT = "adjustment"    # counted correction, with a reason: on_hand +/-
    RESERVATION = "reservation"  # checkout: reserved up
    RELEASE = "release"          # cancelled before shipping: reserved down
    SHIPMENT = "shipment"        # allocation leaves: on_hand and reserved down
    RESTOCK = "restock"          # a confirmed or shipped order comes back: on_hand up
    SALE = "sale"                # demo history: sold and gone
    TRANSFER = "transfer"        # between warehouses: one movement out, one in


class StockMovement(models.Model):
    """The append-only ledger: every change of a level is one row here, in the same
    transaction. Database triggers refuse UPDATE and DELETE (migration 0002)."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True, default="")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="movements")
    actor = models.CharField(max_length=200, default="system")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "stock_movements"
        indexes = [models.Index(fields=["variant", "warehouse"],
                                name="ix_stock_movements_variant_wh")]


class StockSubscription(models.Model):
    """"Tell me when it is back": one e-mail per (variant, address) until re-armed."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=320)
    locale = models.CharField(max_length=5, default="es")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "stock_subscriptions"
        constraints = [models.UniqueConstraint(fields=["variant", "email"],
                                               name="uq_stock_subscriptions_variant_email")]
        indexes = [models.Index(fields=["variant"], name="ix_stock_subscriptions_pending",
                                condition=models.Q(notified_at__isnull=True))]


class InventoryJob(models.Model):
    """A stock import, transfer or receipt, run through the `inventory-jobs` queue: a dry run
    first (phase dry_run), then, when staff apply it, chunk after chunk (phase apply). The
    uploaded CSV stays in the private `imports` container; the dry run keeps its valid rows
    as chunks (InventoryJobChunk) and its errors as rows (InventoryJobError)."""

    class Kind(models.TextChoices):
        IMPORT = "import"
        TRANSFER = "transfer"
        RECEIPT = "receipt"

    class Phase(models.TextChoices):
        DRY_RUN = "dry_run"
        APPLY = "apply"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.DRY_RUN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    blob_name = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200, blank=True, default="")
    mode = models.CharField(max_length=3, default="set")
    reason = models.CharField(max_length=200, blank=True, default="")
    # The supplier reference of a receipt; "FROM → TO" of a transfer.
    reference = models.CharField(max_length=100, blank=True, default="")
    to_warehouse = models.CharField(max_length=20, blank=True, default="")
    rows_total = models.IntegerField(default=0)
    rows_processed = models.IntegerField(default=0)
    rows_ok = models.IntegerField(default=0)
    rows_error = models.IntegerField(default=0)
    rows_changed = models.IntegerField(default=0)
    chunks_total = models.IntegerField(default=0)
    cursor = models.IntegerField(default=0)  # the next chunk to apply
    # The dry run's attempt: a delivery that finds it running (its worker died) takes it over
    # with the next number, and only the current attempt may write (job_runs.py).
    dry_run_attempt = models.IntegerField(default=0)
    changes = models.JSONField(default=list, blank=True)  # the first 100 changes
    error = models.TextField(null=True, blank=True)  # why the job failed
    created_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey("users.User", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inventory_jobs"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"], name="ix_inventory_jobs_status")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class InventoryJobChunk(models.Model):
    """The dry run's valid rows of one chunk, as the apply task reads them: a JSON list of
    [line, variant_id, warehouse_id, mode, quantity, reason, sku, warehouse code]."""

    job = models.ForeignKey(InventoryJob, on_delete=models.CASCADE, related_name="chunks")
    index = models.IntegerField()
    rows = models.JSONField()

    class Meta:
        db_table = "inventory_job_chunks"
        constraints = [models.UniqueConstraint(fields=["job", "index"],
                                               name="uq_inventory_job_chunks_job_index")]


class InventoryJobError(models.Model):
    """A row a job refused, with its CSV line: in the dry run, or when applying found that
    stock had moved since."""

    job = models.ForeignKey(InventoryJob, on_delete=models.CASCADE, related_name="errors")
    phase = models.CharField(max_length=10, choices=InventoryJob.Phase.choices)
    line = models.IntegerField()
    sku = models.CharField(max_length=100, blank=True, default="")
    warehouse = models.CharField(max_length=100, blank=True, default="")
    message = models.CharField(max_length=300)

    class Meta:
        db_table = "inventory_job_errors"
        indexes = [models.Index(fields=["job", "line"], name="ix_inventory_job_errors_line")]


class LowStockThreshold(models.Model):
    """Staff want to hear when a variant's available units fall to `threshold` or below."""

    variant = models.OneToOneField("catalog.Variant", on_delete=models.CASCADE,
                                   related_name="low_stock_threshold")
    threshold = models.IntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "low_stock_thresholds"
        constraints = [models.CheckConstraint(condition=models.Q(threshold__gte=0),
                                              name="ck_low_stock_thresholds_not_negative")]

    def __str__(self) -> str:
        return f"{self.variant} ≤ {self.threshold}"


class LowStockDigest(models.Model):
    """One row per store-local day a low-stock digest went out: the day is the claim."""

    day = models.DateField(unique=True)
    recipients = models.IntegerField(default=0)
    items = models.IntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "low_stock_digests"
