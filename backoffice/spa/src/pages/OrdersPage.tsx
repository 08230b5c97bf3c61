import { Anchor, Button, Group, Select, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";

import { api, apiUrl, unwrap } from "../api/client";
import type { OrderRow } from "../api/models";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { Money } from "../components/Money";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { minorToDecimal, parseMoney } from "../lib/money";
import { ORDER_STATUSES } from "../lib/orders";
import { useTableState } from "../lib/tableState";

const FILTERS = ["status", "from", "to", "customer", "min_total", "max_total"] as const;
const CURRENCY = "EUR";

const COLUMNS: Column<OrderRow>[] = [
  { key: "number", header: "Order", sortKey: "number",
    render: (o) => <Anchor component={Link} to={`/orders/${o.id}`}>{o.number}</Anchor> },
  { key: "placed", header: "Placed", sortKey: "placed_at", render: (o) => <DateTime value={o.placed_at} /> },
  { key: "email", header: "Customer", sortKey: "email", render: (o) => o.email },
  { key: "status", header: "Status", sortKey: "status", render: (o) => <StatusBadge status={o.status} /> },
  { key: "total", header: "Total", sortKey: "total", align: "right",
    render: (o) => <Money minor={o.total_minor} currency={o.currency} /> },
  { key: "tracking", header: "Tracking", render: (o) => o.tracking_number ?? "—" },
];

export function OrdersPage() {
  const table = useTableState({ filters: FILTERS, defaultSort: "-placed_at" });
  const orders = useQuery({
    queryKey: ["orders", table.query], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/orders", { params: { query: table.query } })),
  });
  return (
    <>
      <PageHeader title="Orders">
        <Button component="a" variant="default" data-testid="orders-export"
          href={apiUrl("/api/orders/export.csv", { ...table.query, page: undefined, per_page: undefined })}
          download>
          Export CSV
        </Button>
      </PageHeader>
      <OrderFilters filters={table.filters} onApply={table.setFilters} onReset={table.resetFilters} />
      <DataTable label="Orders" testId="orders-table" columns={COLUMNS} rows={orders.data?.items}
        total={orders.data?.total} rowKey={(o) => o.id} paging={table} loading={orders.isFetching}
        error={orders.error} onRetry={orders.refetch} empty="No orders match these filters." />
    </>
  );
}

type Filters = Record<(typeof FILTERS)[number], string>;

function OrderFilters({ filters, onApply, onReset }: {
  filters: Filters; onApply: (f: Partial<Filters>) => void; onReset: () => void;
}) {
  const amount = (minor: string) => (minor ? minorToDecimal(Number(minor), CURRENCY) : "");
  const [draft, setDraft] = useState({
    customer: filters.customer, from: filters.from, to: filters.to,
    min: amount(filters.min_total), max: amount(filters.max_total),
  });
  const minMinor = draft.min ? parseMoney(draft.min, CURRENCY) : null;
  const maxMinor = draft.max ? parseMoney(draft.max, CURRENCY) : null;
  const badMin = !!draft.min && minMinor === null;
  const badMax = !!draft.max && maxMinor === null;
  const apply = () => onApply({
    customer: draft.customer.trim(), from: draft.from, to: draft.to,
    min_total: minMinor === null ? "" : String(minMinor),
    max_total: maxMinor === null ? "" : String(maxMinor),
  });
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (!badMin && !badMax) apply(); }}>
      <Group mb="sm" align="end" wrap="wrap">
        <Select label="Status" clearable placeholder="Any" value={filters.status || null} w={150}
          data={ORDER_STATUSES} data-testid="orders-status-filter"
          onChange={(v) => onApply({ status: v ?? "" })} />
        <TextInput label="Customer e-mail" value={draft.customer}
          onChange={(e) => setDraft({ ...draft, customer: e.currentTarget.value })} />
        <TextInput label="From" type="date" value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        <TextInput label="To" type="date" value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        <TextInput label="Min total" w={110} value={draft.min} error={badMin ? "Not an amount" : undefined}
          onChange={(e) => setDraft({ ...draft, min: e.currentTarget.value })} />
        <TextInput label="Max total" w={110} value={draft.max} error={badMax ? "Not an amount" : undefined}
          onChange={(e) => setDraft({ ...draft, max: e.currentTarget.value })} />
        <Button type="submit" data-testid="orders-apply-filters">Apply</Button>
        <Button variant="subtle" onClick={() => {
          setDraft({ customer: "", from: "", to: "", min: "", max: "" });
          onReset();
        }}>Reset</Button>
      </Group>
    </form>
  );
}
