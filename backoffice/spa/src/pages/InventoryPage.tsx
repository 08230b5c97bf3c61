import { Button, Card, Drawer, Group, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../api/client";
import type { StockLevel } from "../api/models";
import { Can } from "../auth/AuthProvider";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { StockAdjustmentForm } from "../components/StockAdjustmentForm";
import { useTableState } from "../lib/tableState";

export function InventoryPage() {
  const table = useTableState({ filters: ["q", "warehouse", "low_only"] as const, defaultSort: "sku" });
  const client = useQueryClient();
  const [q, setQ] = useState(table.filters.q);
  const [ledgerSku, setLedgerSku] = useState<string | null>(null);
  const [adjusting, setAdjusting] = useState<Partial<StockLevel> | null>(null);
  const search = useDebouncedCallback((value: string) => table.setFilters({ q: value }), 300);
  const query = { ...table.query, low_only: table.filters.low_only === "true" ? true : undefined };
  const levels = useQuery({
    queryKey: ["inventory", query], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/inventory", { params: { query } })),
  });
  const columns: Column<StockLevel>[] = [
    { key: "sku", header: "SKU", sortKey: "sku", render: (l) => (
      <Button variant="subtle" size="compact-sm" onClick={() => setLedgerSku(l.sku)}
        aria-label={`Ledger of ${l.sku}`}>{l.sku}</Button>) },
    { key: "product", header: "Product", render: (l) => l.product },
    { key: "warehouse", header: "Warehouse", sortKey: "warehouse", render: (l) => l.warehouse },
    { key: "on_hand", header: "On hand", sortKey: "on_hand", align: "right", render: (l) => l.on_hand },
    { key: "reserved", header: "Reserved", align: "right", render: (l) => l.reserved },
    { key: "available", header: "Available", sortKey: "available", align: "right",
      render: (l) => <Text span c={l.available <= 0 ? "red" : undefined} fw={600}>{l.available}</Text> },
    { key: "updated", header: "Updated", render: (l) => <DateTime value={l.updated_at} /> },
  ];
  return (
    <>
      <PageHeader title="Inventory">
        <Button component={Link} to="/inventory/jobs" variant="default" data-testid="inventory-jobs-link">
          Jobs: imports, transfers, receipts, low stock
        </Button>
        <Can permission="inventory:write">
          <Button onClick={() => setAdjusting({})} data-testid="stock-adjust-open">Adjust stock</Button>
        </Can>
      </PageHeader>
      <Group mb="sm" align="end">
        <TextInput label="Search" placeholder="SKU or product" value={q}
          onChange={(e) => { setQ(e.currentTarget.value); search(e.currentTarget.value); }} />
        <TextInput label="Warehouse" placeholder="Code" defaultValue={table.filters.warehouse} w={120}
          onBlur={(e) => table.setFilters({ warehouse: e.currentTarget.value.trim() })} />
        <Switch label="Low stock only" checked={table.filters.low_only === "true"}
          onChange={(e) => table.setFilters({ low_only: e.currentTarget.checked ? "true" : "" })} />
      </Group>
      <Can permission="inventory:write">
        {adjusting && (
          <Card withBorder mb="md">
            <Group justify="space-between" mb="xs">
              <Title order={5}>Adjust stock</Title>
              <Button size="xs" variant="subtle" onClick={() => setAdjusting(null)}>Close</Button>
            </Group>
            <StockAdjustmentForm key={`${adjusting.sku}@${adjusting.warehouse}`}
              initial={{ sku: adjusting.sku ?? "", warehouse: adjusting.warehouse ?? "" }}
              onDone={() => client.invalidateQueries({ queryKey: ["inventory"] })} />
          </Card>
        )}
      </Can>
      <DataTable label="Stock levels" testId="inventory-table" columns={columns}
        rows={levels.data?.items} total={levels.data?.total}
        rowKey={(l) => `${l.sku}@${l.warehouse}`} paging={table} loading={levels.isFetching}
        error={levels.error} onRetry={levels.refetch} empty="No stock rows match." />
      <Drawer opened={!!ledgerSku} onClose={() => setLedgerSku(null)} position="right" size="lg"
        title={`Ledger of ${ledgerSku}`}>
        {ledgerSku && <Ledger sku={ledgerSku} />}
      </Drawer>
    </>
  );
}

function Ledger({ sku }: { sku: string }) {
  const [page, setPage] = useState(1);
  const ledger = useQuery({
    queryKey: ["ledger", sku, page], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/inventory/{sku}/ledger",
      { params: { path: { sku }, query: { page, per_page: 50 } } })),
  });
  if (ledger.error) return <QueryError error={ledger.error} onRetry={ledger.refetch} />;
  if (!ledger.data) return <Text c="dimmed">Loading…</Text>;
  const more = ledger.data.page * ledger.data.per_page < ledger.data.total;
  return (
    <>
      <Table striped aria-label={`Ledger of ${sku}`}>
        <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Where</Table.Th><Table.Th>Kind</Table.Th>
          <Table.Th ta="right">On hand Δ</Table.Th><Table.Th ta="right">Reserved Δ</Table.Th>
          <Table.Th>Why</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {ledger.data.items.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td><DateTime value={m.created_at} /></Table.Td><Table.Td>{m.warehouse}</Table.Td>
              <Table.Td>{m.kind}</Table.Td><Table.Td ta="right">{m.on_hand_delta}</Table.Td>
              <Table.Td ta="right">{m.reserved_delta}</Table.Td>
              <Table.Td>{m.reason ?? m.order_id ?? ""}{m.actor ? ` (${m.actor})` : ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {ledger.data.items.length === 0 && <Text c="dimmed" mt="sm">No movements.</Text>}
      <Group mt="sm">
        <Button size="xs" variant="default" disabled={page === 1} onClick={() => setPage(page - 1)}>Newer</Button>
        <Button size="xs" variant="default" disabled={!more} onClick={() => setPage(page + 1)}>Older</Button>
      </Group>
    </>
  );
}
