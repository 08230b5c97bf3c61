/** Variants at or below their low-stock threshold, with the threshold editable in place
 * (inventory:write); an empty threshold switches the alert off for that variant. */
import { Button, Group, NumberInput, Text } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import {
  fetchLowStock, inventoryJobKeys, type LowStockRow, setThreshold,
} from "../api/inventoryJobs";
import { useCan } from "../auth/AuthProvider";
import { type Column, DataTable } from "./DataTable";
import { notifyError, notifySuccess } from "./notify";

export function LowStockTable() {
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(25);
  const canWrite = useCan("inventory:write");
  const query = { page, per_page: perPage };
  const rows = useQuery({
    queryKey: inventoryJobKeys.lowStock(query), placeholderData: keepPreviousData,
    queryFn: () => fetchLowStock(query),
  });
  const columns: Column<LowStockRow>[] = [
    { key: "sku", header: "SKU", render: (r) => r.sku },
    { key: "product", header: "Product", render: (r) => r.product },
    { key: "available", header: "Available", align: "right",
      render: (r) => <Text span c={r.available <= 0 ? "red" : undefined} fw={600}>{r.available}</Text> },
    { key: "threshold", header: "Alert at or below", align: "right",
      render: (r) => (canWrite ? <ThresholdEditor row={r} /> : (r.threshold ?? "—")) },
  ];
  return (
    <DataTable label="Low stock" testId="low-stock-table" columns={columns} rows={rows.data?.items}
      total={rows.data?.total} rowKey={(r) => r.sku} loading={rows.isFetching} error={rows.error}
      onRetry={rows.refetch} empty="No variant is at or below its threshold."
      paging={{ page, perPage, sort: undefined, setPage, toggleSort: () => {},
        setPerPage: (n) => { setPerPage(n); setPage(1); } }} />
  );
}

function ThresholdEditor({ row }: { row: LowStockRow }) {
  const client = useQueryClient();
  const [value, setValue] = useState<number | string>(row.threshold ?? "");
  const save = useMutation({
    mutationFn: () => setThreshold(row.sku, value === "" ? null : Number(value)),
    onSuccess: (saved) => {
      notifySuccess(saved.threshold === null ? `${saved.sku}: no low-stock alert`
        : `${saved.sku}: alert at ${saved.threshold} or fewer`);
      client.invalidateQueries({ queryKey: ["low-stock"] });
    },
    onError: (e) => notifyError(e, `Threshold of ${row.sku} not saved`),
  });
  const changed = String(value) !== String(row.threshold ?? "");
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <NumberInput size="xs" w={90} min={0} allowDecimal={false} allowNegative={false} value={value}
        onChange={setValue} aria-label={`Threshold of ${row.sku}`} data-testid={`threshold-${row.sku}`} />
      <Button size="xs" variant="light" disabled={!changed} loading={save.isPending}
        onClick={() => save.mutate()} data-testid={`threshold-save-${row.sku}`}>Save</Button>
    </Group>
  );
}
