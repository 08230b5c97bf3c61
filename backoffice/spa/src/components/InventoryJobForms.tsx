/** The forms that start an inventory job: a CSV import, a transfer between warehouses and a
 * receipt against a supplier reference. Each creates the job (its dry run is queued at once)
 * and hands it to `onCreated`; a refusal shows on the fields it names. */
import {
  ActionIcon, Alert, Button, Group, NumberInput, SegmentedControl, Stack, Text, TextInput,
} from "@mantine/core";
import { type FormArrayElement, useForm, type UseFormReturnType } from "@mantine/form";
import { type FormEvent, useState } from "react";

import {
  createReceipt, createTransfer, type InventoryJob, type StockLine, uploadStockCsv,
} from "../api/inventoryJobs";
import { applyApiError } from "../lib/formErrors";

type OnCreated = (job: InventoryJob) => void;
interface LineValues { sku: string; quantity: number | string }

const required = (what: string) => (v: string) => (v.trim() ? null : what);
const NEW_LINE: LineValues = { sku: "", quantity: "" };
const lineRules = {
  sku: (v: string) => (v.trim() ? null : "Which SKU?"),
  quantity: (v: number | string) => (v !== "" && Number.isInteger(Number(v)) && Number(v) > 0
    ? null : "A whole number above zero"),
};

function linesOf(lines: LineValues[]): StockLine[] {
  return lines.map((l) => ({ sku: l.sku.trim(), quantity: Number(l.quantity) }));
}

export function CsvImportForm({ onCreated }: { onCreated: OnCreated }) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<"set" | "add">("set");
  const [reason, setReason] = useState("");
  const [banner, setBanner] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) { setBanner("Choose a CSV file first"); return; }
    setBanner(null);
    setSending(true);
    try {
      onCreated(await uploadStockCsv(file, mode, reason));
    } catch (error) {
      setBanner(applyApiError({ setErrors: () => {} }, error, []));
    } finally {
      setSending(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="stock-import-form">
      <Stack>
        {banner && <Alert color="red" role="alert" data-testid="stock-import-error">{banner}</Alert>}
        <Text size="sm" c="dimmed">
          Columns: <code>sku,warehouse,quantity</code>, optionally <code>mode</code> (set or add,
          per row) and <code>reason</code>. Up to 100,000 rows (10 MB). Nothing changes until
          you apply the dry run.
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={500} component="label" htmlFor="stock-import-file">CSV file</Text>
          {/* A plain file input, so browser tests can set files on it directly. */}
          <input id="stock-import-file" type="file" accept=".csv,text/csv"
            data-testid="stock-import-file" aria-label="CSV file"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </Stack>
        <Group align="end">
          <Stack gap={4}>
            <Text size="sm" fw={500}>Quantities are</Text>
            <SegmentedControl value={mode} onChange={(v) => setMode(v as "set" | "add")}
              data-testid="stock-import-mode" data={[
                { value: "set", label: "Counts (set)" }, { value: "add", label: "Changes (add)" }]} />
          </Stack>
          <TextInput label="Reason" placeholder="Yearly count" maxLength={300} style={{ flex: 1 }}
            value={reason} onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="stock-import-reason" />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={sending} disabled={!file}
            data-testid="stock-import-submit">Upload and check</Button>
        </Group>
      </Stack>
    </form>
  );
}

function LinesInput<V extends { lines: LineValues[] }>({ form, prefix }: {
  form: UseFormReturnType<V>; prefix: string;
}) {
  const lines = form.values.lines;
  return (
    <Stack gap="xs" data-testid={`${prefix}-lines`}>
      {lines.map((_line, i) => (
        <Group key={i} align="start" wrap="nowrap">
          <TextInput label={i === 0 ? "SKU" : undefined} aria-label={`SKU of line ${i + 1}`}
            style={{ flex: 1 }} data-testid={`${prefix}-line-sku-${i}`} {...form.getInputProps(`lines.${i}.sku`)} />
          <NumberInput label={i === 0 ? "Quantity" : undefined} allowDecimal={false} min={1} w={130}
            aria-label={`Quantity of line ${i + 1}`} data-testid={`${prefix}-line-quantity-${i}`} {...form.getInputProps(`lines.${i}.quantity`)} />
          <ActionIcon variant="subtle" color="red" mt={i === 0 ? 26 : 4} disabled={lines.length === 1}
            aria-label={`Remove line ${i + 1}`} onClick={() => form.removeListItem("lines", i)}>✕</ActionIcon>
        </Group>
      ))}
      {typeof form.errors.lines === "string" && <Text size="sm" c="red">{form.errors.lines}</Text>}
      <Group>
        <Button size="xs" variant="light" data-testid={`${prefix}-line-add`}
          onClick={() => form.insertListItem("lines", { ...NEW_LINE } as FormArrayElement<V, "lines">)}>Add line</Button>
      </Group>
    </Stack>
  );
}

interface TransferValues { from_warehouse: string; to_warehouse: string; reason: string; lines: LineValues[] }
const TRANSFER_FIELDS = ["from_warehouse", "to_warehouse", "reason", "lines"];

export function TransferForm({ onCreated }: { onCreated: OnCreated }) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<TransferValues>({
    initialValues: { from_warehouse: "", to_warehouse: "", reason: "", lines: [{ ...NEW_LINE }] },
    validate: {
      from_warehouse: required("From which warehouse?"),
      to_warehouse: (v, all) => (!v.trim() ? "To which warehouse?"
        : v.trim() === all.from_warehouse.trim() ? "Choose another warehouse than the source" : null),
      reason: required("Say why"),
      lines: lineRules,
    },
  });
  const submit = form.onSubmit(async (v) => {
    setBanner(null);
    try {
      onCreated(await createTransfer({ from_warehouse: v.from_warehouse.trim(),
        to_warehouse: v.to_warehouse.trim(), reason: v.reason.trim(), lines: linesOf(v.lines) }));
    } catch (error) {
      setBanner(applyApiError(form, error, TRANSFER_FIELDS));
    }
  });
  return (
    <form onSubmit={submit} noValidate data-testid="transfer-form">
      <Stack>
        {banner && <Alert color="red" role="alert" data-testid="transfer-error">{banner}</Alert>}
        <Group grow>
          <TextInput label="From warehouse" required data-testid="transfer-from" {...form.getInputProps("from_warehouse")} />
          <TextInput label="To warehouse" required data-testid="transfer-to" {...form.getInputProps("to_warehouse")} />
        </Group>
        <TextInput label="Reason" required maxLength={300} data-testid="transfer-reason" {...form.getInputProps("reason")} />
        <LinesInput form={form} prefix="transfer" />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="transfer-submit">Check transfer</Button>
        </Group>
      </Stack>
    </form>
  );
}

interface ReceiptValues { warehouse: string; supplier_reference: string; lines: LineValues[] }
const RECEIPT_FIELDS = ["warehouse", "supplier_reference", "lines"];

export function ReceiptForm({ onCreated }: { onCreated: OnCreated }) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<ReceiptValues>({
    initialValues: { warehouse: "", supplier_reference: "", lines: [{ ...NEW_LINE }] },
    validate: {
      warehouse: required("Which warehouse received it?"),
      supplier_reference: required("The supplier's delivery note or order number"),
      lines: lineRules,
    },
  });
  const submit = form.onSubmit(async (v) => {
    setBanner(null);
    try {
      onCreated(await createReceipt({ warehouse: v.warehouse.trim(),
        supplier_reference: v.supplier_reference.trim(), lines: linesOf(v.lines) }));
    } catch (error) {
      setBanner(applyApiError(form, error, RECEIPT_FIELDS));
    }
  });
  return (
    <form onSubmit={submit} noValidate data-testid="receipt-form">
      <Stack>
        {banner && <Alert color="red" role="alert" data-testid="receipt-error">{banner}</Alert>}
        <Group grow>
          <TextInput label="Warehouse" required data-testid="receipt-warehouse" {...form.getInputProps("warehouse")} />
          <TextInput label="Supplier reference" required data-testid="receipt-reference" {...form.getInputProps("supplier_reference")} />
        </Group>
        <LinesInput form={form} prefix="receipt" />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="receipt-submit">Check receipt</Button>
        </Group>
      </Stack>
    </form>
  );
}
