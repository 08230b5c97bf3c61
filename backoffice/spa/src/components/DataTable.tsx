/** A table over one page of a server-side list: sortable headers, pagination, page size,
 * loading and empty states, optional row selection. The state lives in useTableState. */
import {
  Box, Center, Checkbox, Group, LoadingOverlay, Pagination, Select, Table, Text, UnstyledButton,
} from "@mantine/core";
import type { ReactNode } from "react";

import { PER_PAGE_CHOICES, pageCount, parseSort } from "../lib/tableState";
import { QueryError } from "./QueryError";

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** The API's sort name for this column; absent: not sortable. */
  sortKey?: string;
  align?: "left" | "right" | "center";
  render: (row: T) => ReactNode;
}

export interface TablePaging {
  page: number;
  perPage: number;
  sort: string | undefined;
  setPage: (page: number) => void;
  setPerPage: (perPage: number) => void;
  toggleSort: (field: string) => void;
}

export interface Selection<K> {
  selected: Set<K>;
  onChange: (next: Set<K>) => void;
}

interface Props<T, K> {
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  total: number | undefined;
  rowKey: (row: T) => K;
  paging: TablePaging;
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty?: ReactNode;
  selection?: Selection<K>;
  onRowClick?: (row: T) => void;
  testId?: string;
}

function SortHeader({ label, field, sort, onSort }: {
  label: ReactNode; field: string; sort: string | undefined; onSort: (field: string) => void;
}) {
  const current = parseSort(sort);
  const active = current?.field === field;
  const arrow = active ? (current.desc ? "▼" : "▲") : "↕";
  return (
    <UnstyledButton onClick={() => onSort(field)} data-testid={`sort-${field}`}
      aria-label={`Sort by ${typeof label === "string" ? label : field}`}>
      <Group gap={4} wrap="nowrap">
        <Text fw={600} size="sm">{label}</Text>
        <Text size="xs" c={active ? undefined : "dimmed"} aria-hidden>{arrow}</Text>
      </Group>
    </UnstyledButton>
  );
}

function ariaSort(sort: string | undefined, field: string | undefined) {
  const current = parseSort(sort);
  if (!field || current?.field !== field) return undefined;
  return current.desc ? "descending" as const : "ascending" as const;
}

export function DataTable<T, K = string | number>(props: Props<T, K>) {
  const { columns, rows, total, paging, selection, loading } = props;
  const pages = pageCount(total ?? 0, paging.perPage);
  const keys = rows?.map(props.rowKey) ?? [];
  const allSelected = !!selection && keys.length > 0 && keys.every((k) => selection.selected.has(k));
  const toggle = (key: K) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (next.has(key)) next.delete(key); else next.add(key);
    selection.onChange(next);
  };
  const toggleAll = () => selection?.onChange(allSelected ? new Set() : new Set(keys));

  if (props.error && !rows) return <QueryError error={props.error} onRetry={props.onRetry} />;
  return (
    <Box pos="relative" data-testid={props.testId}>
      <LoadingOverlay visible={loading && !!rows} zIndex={5} overlayProps={{ blur: 1 }} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover aria-label={props.label} aria-busy={loading}>
          <Table.Thead>
            <Table.Tr>
              {selection && (
                <Table.Th w={40}>
                  <Checkbox aria-label="Select all on this page" checked={allSelected}
                    indeterminate={!allSelected && keys.some((k) => selection.selected.has(k))}
                    onChange={toggleAll} />
                </Table.Th>
              )}
              {columns.map((c) => (
                <Table.Th key={c.key} ta={c.align} aria-sort={ariaSort(paging.sort, c.sortKey)}>
                  {c.sortKey
                    ? <SortHeader label={c.header} field={c.sortKey} sort={paging.sort}
                      onSort={paging.toggleSort} />
                    : c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!rows && loading && (
              <Table.Tr>
                <Table.Td colSpan={columns.length + (selection ? 1 : 0)}>
                  <Center py="xl"><Text c="dimmed" role="status">Loading…</Text></Center>
                </Table.Td>
              </Table.Tr>
            )}
            {rows && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columns.length + (selection ? 1 : 0)}>
                  <Center py="xl" data-testid="empty-state">
                    {props.empty ?? <Text c="dimmed">Nothing matches these filters.</Text>}
                  </Center>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.map((row) => {
              const key = props.rowKey(row);
              return (
                <Table.Tr key={String(key)} onClick={props.onRowClick && (() => props.onRowClick?.(row))}
                  style={props.onRowClick ? { cursor: "pointer" } : undefined}>
                  {selection && (
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Checkbox aria-label={`Select ${String(key)}`}
                        checked={selection.selected.has(key)} onChange={() => toggle(key)} />
                    </Table.Td>
                  )}
                  {columns.map((c) => <Table.Td key={c.key} ta={c.align}>{c.render(row)}</Table.Td>)}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dimmed" data-testid="table-total">
          {total === undefined ? "" : `${total} in all`}
        </Text>
        <Group gap="sm">
          <Select aria-label="Rows per page" w={90} size="xs" allowDeselect={false}
            data={PER_PAGE_CHOICES.map(String)} value={String(paging.perPage)}
            onChange={(v) => v && paging.setPerPage(Number(v))} />
          <Pagination total={pages} value={Math.min(paging.page, pages)} onChange={paging.setPage}
            size="sm" getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
            getControlProps={(control) => ({ "aria-label": `${control} page` })} />
        </Group>
      </Group>
    </Box>
  );
}
