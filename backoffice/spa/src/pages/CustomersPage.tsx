import { Anchor, Card, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../api/client";
import type { CustomerRow } from "../api/models";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { Money } from "../components/Money";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { StatusBadge } from "../components/StatusBadge";
import { useTableState } from "../lib/tableState";

const COLUMNS: Column<CustomerRow>[] = [
  { key: "name", header: "Name", sortKey: "name",
    render: (c) => <Anchor component={Link} to={`/customers/${c.id}`}>{c.name || "—"}</Anchor> },
  { key: "email", header: "E-mail", sortKey: "email", render: (c) => c.email },
  { key: "orders", header: "Orders", align: "right", render: (c) => c.order_count },
  { key: "consent", header: "Marketing", render: (c) => (c.marketing_consent ? "yes" : "no") },
  { key: "created", header: "Since", sortKey: "created_at", render: (c) => <DateTime value={c.created_at} /> },
];

export function CustomersPage() {
  const table = useTableState({ filters: ["q"] as const, defaultSort: "-created_at" });
  const [q, setQ] = useState(table.filters.q);
  const search = useDebouncedCallback((value: string) => table.setFilters({ q: value }), 300);
  const customers = useQuery({
    queryKey: ["customers", table.query], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/customers", { params: { query: table.query } })),
  });
  return (
    <>
      <PageHeader title="Customers" />
      <TextInput label="Search" placeholder="Name or e-mail" mb="sm" w={320} value={q}
        data-testid="customers-search"
        onChange={(e) => { setQ(e.currentTarget.value); search(e.currentTarget.value); }} />
      <DataTable label="Customers" columns={COLUMNS} rows={customers.data?.items}
        total={customers.data?.total} rowKey={(c) => c.id} paging={table}
        loading={customers.isFetching} error={customers.error} onRetry={customers.refetch}
        empty="No customers match." />
    </>
  );
}

export function CustomerDetailPage() {
  const id = Number(useParams().customerId);
  const customer = useQuery({
    queryKey: ["customer", id],
    queryFn: () => unwrap(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } } })),
  });
  if (customer.error) return <QueryError error={customer.error} onRetry={customer.refetch} />;
  if (!customer.data) return <Text c="dimmed" role="status">Loading…</Text>;
  const c = customer.data;
  const currency = c.orders[0]?.currency ?? "EUR";
  return (
    <Stack>
      <PageHeader title={c.name || c.email}>
        <Anchor component={Link} to="/customers">All customers</Anchor>
      </PageHeader>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Text size="sm"><b>E-mail</b> {c.email}</Text>
          <Text size="sm"><b>Language</b> {c.locale}</Text>
          <Text size="sm"><b>Marketing</b> {c.marketing_consent ? "consented" : "no"}</Text>
          <Text size="sm"><b>Since</b> <DateTime value={c.created_at} /></Text>
        </Card>
        <Card withBorder>
          <Text size="sm"><b>Orders</b> {c.orders_summary.count}</Text>
          <Text size="sm"><b>Spent</b> <Money minor={c.orders_summary.total_spent_minor} currency={currency} /></Text>
        </Card>
        <Card withBorder>
          <Title order={5}>Addresses</Title>
          {c.addresses.length === 0 && <Text c="dimmed" size="sm">None saved.</Text>}
          {c.addresses.map((a, i) => (
            <Text key={i} size="sm">{[a.name, a.line1, a.line2, `${a.postal_code} ${a.city}`, a.country]
              .filter(Boolean).join(", ")}</Text>
          ))}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="sm">Recent orders</Title>
        {c.orders.length === 0 ? <Text c="dimmed">No orders.</Text> : (
          <Table>
            <Table.Tbody>
              {c.orders.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td><Anchor component={Link} to={`/orders/${o.id}`}>{o.number}</Anchor></Table.Td>
                  <Table.Td><DateTime value={o.placed_at} /></Table.Td>
                  <Table.Td><StatusBadge status={o.status} /></Table.Td>
                  <Table.Td ta="right"><Money minor={o.total_minor} currency={o.currency} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
