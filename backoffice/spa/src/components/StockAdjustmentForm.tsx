/** Adjust stock by a delta with a reason (never "set to N": a sale during the count stays). */
import { Alert, Button, Group, NumberInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { api, unwrap } from "../api/client";
import type { StockLevel } from "../api/models";
import { applyApiError } from "../lib/formErrors";
import { notifySuccess } from "./notify";

export interface AdjustmentValues {
  sku: string;
  warehouse: string;
  delta: number | string;
  reason: string;
}

export function StockAdjustmentForm({ initial, onDone }: {
  initial?: Partial<AdjustmentValues>; onDone: (level: StockLevel) => void;
}) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<AdjustmentValues>({
    initialValues: { sku: "", warehouse: "", delta: "", reason: "", ...initial },
    validate: {
      sku: (v) => (v.trim() ? null : "Which SKU?"),
      warehouse: (v) => (v.trim() ? null : "Which warehouse?"),
      delta: (v) => (Number.isInteger(Number(v)) && Number(v) !== 0 && v !== ""
        ? null : "A whole number, not zero (negative to remove)"),
      reason: (v) => (v.trim() ? null : "Say why"),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setBanner(null);
    try {
      const level = await unwrap(api.POST("/api/inventory/adjustments", {
        body: { sku: v.sku.trim(), warehouse: v.warehouse.trim(), delta: Number(v.delta), reason: v.reason.trim() },
      }));
      notifySuccess(`${level.sku} in ${level.warehouse}: ${level.on_hand} on hand, ${level.available} available`);
      form.setValues({ delta: "", reason: "" });
      onDone(level);
    } catch (error) {
      setBanner(applyApiError(form, error, ["sku", "warehouse", "delta", "reason"]));
    }
  });
  return (
    <form onSubmit={submit} noValidate data-testid="stock-adjustment-form">
      <Stack>
        {banner && <Alert color="red" role="alert" data-testid="stock-adjustment-error">{banner}</Alert>}
        <Group grow>
          <TextInput label="SKU" required data-testid="stock-adjustment-sku" {...form.getInputProps("sku")} />
          <TextInput label="Warehouse" required data-testid="stock-adjustment-warehouse"
            {...form.getInputProps("warehouse")} />
          <NumberInput label="Change" description="+ to add, − to remove" required allowDecimal={false}
            data-testid="stock-adjustment-delta" {...form.getInputProps("delta")} />
        </Group>
        <TextInput label="Reason" required maxLength={300} data-testid="stock-adjustment-reason"
          {...form.getInputProps("reason")} />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="stock-adjustment-submit">Adjust stock</Button>
        </Group>
      </Stack>
    </form>
  );
}
