import { Button, Code, Group, TextInput } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../api/client";
import type { AuditEntry } from "../api/models";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { PageHeader } from "../components/PageHeader";
import { useTableState } from "../lib/tableState";

const FILTERS = ["actor", "entity", "action", "from", "to"] as const;

function json(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

const COLUMNS: Column<AuditEntry>[] = [
  { key: "at", header: "When", sortKey: "created_at", render: (e) => <DateTime value={e.created_at} /> },
  { key: "actor", header: "Who", sortKey: "actor", render: (e) => e.actor },
  { key: "action", header: "Action", sortKey: "action", render: (e) => e.action },
  { key: "entity", header: "What", sortKey: "entity", render: (e) => `${e.entity} ${e.entity_id}` },
  { key: "change", header: "Before → after", render: (e) => (
    <Code style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
      {json(e.before)}{e.before && e.after ? " → " : ""}{json(e.after)}
    </Code>) },
];

export function AuditPage() {
  const table = useTableState({ filters: FILTERS, defaultSort: "-created_at" });
  const [draft, setDraft] = useState(table.filters);
  const entries = useQuery({
    queryKey: ["audit", table.query], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/audit", { params: { query: table.query } })),
  });
  const field = (name: (typeof FILTERS)[number], label: string, type = "text") => (
    <TextInput label={label} type={type} value={draft[name]} w={type === "date" ? 150 : 160}
      onChange={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })} />
  );
  return (
    <>
      <PageHeader title="Audit log" />
      <form onSubmit={(e) => { e.preventDefault(); table.setFilters(draft); }}>
        <Group mb="sm" align="end">
          {field("actor", "Who")}{field("entity", "Entity")}{field("action", "Action")}
          {field("from", "From", "date")}{field("to", "To", "date")}
          <Button type="submit">Apply</Button>
        </Group>
      </form>
      <DataTable label="Audit log" columns={COLUMNS} rows={entries.data?.items} total={entries.data?.total}
        rowKey={(e) => e.id} paging={table} loading={entries.isFetching} error={entries.error}
        onRetry={entries.refetch} empty="Nothing recorded matches." />
    </>
  );
}
