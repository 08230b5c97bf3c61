/** A server-side table's page, page size, sort and filters, kept in the URL's query string so
 * a view can be bookmarked, shared and restored with the back button. */
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

export interface Sort {
  field: string;
  desc: boolean;
}

export const PER_PAGE_CHOICES = [10, 25, 50, 100];

/** `-placed_at` → `{field: "placed_at", desc: true}`. */
export function parseSort(sort: string | null | undefined): Sort | null {
  if (!sort) return null;
  const desc = sort.startsWith("-");
  const field = desc ? sort.slice(1) : sort;
  return field ? { field, desc } : null;
}

export function formatSort(sort: Sort): string {
  return `${sort.desc ? "-" : ""}${sort.field}`;
}

/** A click on a column header: a new column sorts ascending, the sorted column flips. */
export function nextSort(current: string | null | undefined, field: string): string {
  const sort = parseSort(current);
  if (!sort || sort.field !== field) return field;
  return formatSort({ field, desc: !sort.desc });
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, perPage)));
}

export interface TableOptions<F extends string> {
  filters: readonly F[];
  defaultSort?: string;
  defaultPerPage?: number;
}

export interface TableState<F extends string> {
  page: number;
  perPage: number;
  sort: string | undefined;
  filters: Record<F, string>;
}

function positiveInt(text: string | null, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export function readTableState<F extends string>(params: URLSearchParams,
  options: TableOptions<F>): TableState<F> {
  const filters = Object.fromEntries(
    options.filters.map((name) => [name, params.get(name) ?? ""])) as Record<F, string>;
  return {
    page: positiveInt(params.get("page"), 1),
    perPage: positiveInt(params.get("per_page"), options.defaultPerPage ?? 25),
    sort: params.get("sort") || options.defaultSort,
    filters,
  };
}

export type TableChange<F extends string> =
  | { kind: "page"; page: number }
  | { kind: "perPage"; perPage: number }
  | { kind: "sort"; field: string }
  | { kind: "filters"; values: Partial<Record<F, string>> }
  | { kind: "reset" };

/** The next query string; anything but a page change goes back to page 1. */
export function applyTableChange<F extends string>(params: URLSearchParams,
  options: TableOptions<F>, change: TableChange<F>): URLSearchParams {
  const next = new URLSearchParams(params);
  const state = readTableState(params, options);
  const set = (name: string, value: string | number | undefined, omit?: string | number) => {
    if (value === undefined || value === "" || value === omit) next.delete(name);
    else next.set(name, String(value));
  };
  switch (change.kind) {
    case "page":
      set("page", change.page, 1);
      return next;
    case "perPage":
      set("per_page", change.perPage, options.defaultPerPage ?? 25);
      break;
    case "sort":
      set("sort", nextSort(state.sort, change.field), options.defaultSort);
      break;
    case "filters":
      for (const [name, value] of Object.entries(change.values)) set(name, value as string);
      break;
    case "reset":
      for (const name of options.filters) next.delete(name);
      break;
  }
  next.delete("page");
  return next;
}

/** The API query for a table state: `page`, `per_page`, `sort` and the non-empty filters. */
export function tableQuery<F extends string>(state: TableState<F>): Record<string, string | number> {
  const query: Record<string, string | number> = { page: state.page, per_page: state.perPage };
  if (state.sort) query.sort = state.sort;
  for (const [name, value] of Object.entries(state.filters)) {
    if (value) query[name] = value as string;
  }
  return query;
}

export interface TableControls<F extends string> extends TableState<F> {
  query: Record<string, string | number>;
  setPage: (page: number) => void;
  setPerPage: (perPage: number) => void;
  toggleSort: (field: string) => void;
  setFilters: (values: Partial<Record<F, string>>) => void;
  resetFilters: () => void;
}

export function useTableState<F extends string>(options: TableOptions<F>): TableControls<F> {
  const [params, setParams] = useSearchParams();
  const { filters: names, defaultSort, defaultPerPage } = options;
  const stable = useMemo(() => ({ filters: names, defaultSort, defaultPerPage }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [names.join(","), defaultSort, defaultPerPage]);
  const state = useMemo(() => readTableState(params, stable), [params, stable]);
  const change = useCallback((c: TableChange<F>) =>
    setParams((current) => applyTableChange(current, stable, c)), [setParams, stable]);
  return {
    ...state,
    query: useMemo(() => tableQuery(state), [state]),
    setPage: useCallback((page) => change({ kind: "page", page }), [change]),
    setPerPage: useCallback((perPage) => change({ kind: "perPage", perPage }), [change]),
    toggleSort: useCallback((field) => change({ kind: "sort", field }), [change]),
    setFilters: useCallback((values) => change({ kind: "filters", values }), [change]),
    resetFilters: useCallback(() => change({ kind: "reset" }), [change]),
  };
}
