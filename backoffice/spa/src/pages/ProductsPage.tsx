import { Anchor, Badge, Button, Group, Menu, Select, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";

import { catalogKeys, fetchCategories } from "../api/catalog";
import { api, unwrap } from "../api/client";
import type { BulkAction, ProductRow } from "../api/models";
import { Can, useCan } from "../auth/AuthProvider";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { Money } from "../components/Money";
import { SHOP_CURRENCY } from "../config";
import { notifyError, notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { useTableState } from "../lib/tableState";

const FILTERS = ["q", "category_id", "published"] as const;

const COLUMNS: Column<ProductRow>[] = [
  { key: "name", header: "Name", sortKey: "name",
    render: (p) => <Anchor component={Link} to={`/products/${p.id}`}>{p.name_es}</Anchor> },
  { key: "slug", header: "Slug", sortKey: "slug", render: (p) => p.slug },
  { key: "category", header: "Category", render: (p) => p.category_name ?? "—" },
  { key: "price", header: "From", align: "right",
    render: (p) => <Money minor={p.min_price_minor} currency={SHOP_CURRENCY} /> },
  { key: "variants", header: "Variants", align: "right", render: (p) => p.variant_count },
  { key: "status", header: "Status", render: (p) => (
    <Group gap={4}>
      <Badge color={p.is_published ? "green" : "gray"} variant="light">
        {p.is_published ? "published" : "draft"}
      </Badge>
      {p.is_featured && <Badge color="grape" variant="light">featured</Badge>}
    </Group>
  ) },
  { key: "updated", header: "Updated", sortKey: "updated_at", render: (p) => <DateTime value={p.updated_at} /> },
];

export function ProductsPage() {
  const table = useTableState({ filters: FILTERS, defaultSort: "-updated_at" });
  const client = useQueryClient();
  const navigate = useNavigate();
  const canWrite = useCan("catalog:write");
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [q, setQ] = useState(table.filters.q);
  const search = useDebouncedCallback((value: string) => table.setFilters({ q: value }), 300);
  const categories = useQuery({ queryKey: catalogKeys.categories(), queryFn: fetchCategories });
  const query = {
    ...table.query,
    category_id: table.filters.category_id ? Number(table.filters.category_id) : undefined,
    published: table.filters.published ? table.filters.published === "true" : undefined,
  };
  const products = useQuery({
    queryKey: catalogKeys.products(query), placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/products", { params: { query } })),
  });
  const bulk = useMutation({
    mutationFn: (action: BulkAction) =>
      unwrap(api.POST("/api/products/bulk", { body: { ids: [...selected], action } })),
    onSuccess: (result, action) => {
      notifySuccess(`${action}: ${result.updated} product(s) updated`);
      setSelected(new Set());
      client.invalidateQueries({ queryKey: ["products"] });
    },
    onError: (e) => notifyError(e),
  });
  return (
    <>
      <PageHeader title="Products">
        <Can permission="catalog:write">
          <Menu>
            <Menu.Target>
              <Button variant="default" disabled={!selected.size} loading={bulk.isPending}
                data-testid="bulk-actions">Bulk actions ({selected.size})</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(["publish", "unpublish", "feature", "unfeature"] as const).map((action) => (
                <Menu.Item key={action} onClick={() => bulk.mutate(action)}
                  data-testid={`bulk-${action}`}>{action}</Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button onClick={() => navigate("/products/new")} data-testid="product-new">New product</Button>
        </Can>
      </PageHeader>
      <Group mb="sm" align="end">
        <TextInput label="Search" placeholder="Name, slug or SKU" value={q} data-testid="products-search"
          onChange={(e) => { setQ(e.currentTarget.value); search(e.currentTarget.value); }} />
        <Select label="Category" clearable placeholder="All" value={table.filters.category_id || null}
          data={(categories.data ?? []).map((c) => ({ value: String(c.id), label: c.name_es }))}
          onChange={(v) => table.setFilters({ category_id: v ?? "" })} />
        <Select label="Status" clearable placeholder="All" value={table.filters.published || null}
          data={[{ value: "true", label: "Published" }, { value: "false", label: "Draft" }]}
          onChange={(v) => table.setFilters({ published: v ?? "" })} />
      </Group>
      <DataTable label="Products" testId="products-table" columns={COLUMNS}
        rows={products.data?.items} total={products.data?.total} rowKey={(p) => p.id}
        paging={table} loading={products.isFetching} error={products.error}
        onRetry={products.refetch} selection={canWrite ? { selected, onChange: setSelected } : undefined}
        empty="No products match these filters." />
    </>
  );
}
