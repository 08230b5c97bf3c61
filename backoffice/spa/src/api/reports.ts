/** The dashboard's fetch layer: every analytics endpoint the SPA reads goes through here, so a
 * change to the reports' shapes is absorbed in this one module.
 *
 * The report routes answer the analytics functions' `Comparison` objects as untyped JSON (no
 * response model in the OpenAPI document), so their shapes are written down here, after
 * `src/tienda/entrypoints/analytics/reports*.py`. Money is a decimal string in major units
 * ("1234.50") of the shop's currency. */
import { api, cleanQuery, unwrap } from "./client";

/** A decimal amount in major units of the shop's currency, e.g. "1234.50". */
export type DecimalMoney = string;

/** A report for a date range and for the previous range of equal length. */
export interface Comparison<T> {
  start: string;
  end: string;
  previous_start: string;
  previous_end: string;
  current: T;
  previous: T;
}

export interface KpiValues {
  net_sales: DecimalMoney;
  orders: number;
  units: number;
  average_order_value: DecimalMoney;
}
export type Kpis = Comparison<KpiValues>;

export const SALES_MEASURES = ["gross", "discounts", "returns", "net", "shipping", "tax"] as const;
export type SalesMeasure = (typeof SALES_MEASURES)[number];
export type SalesPoint = { period: string } & Record<SalesMeasure, DecimalMoney>;
export type SalesOverTime = Comparison<SalesPoint[]>;

/** Customers by the month of their first order; `retention[k]` is the share ordering in the
 * k-th month after it (null where the cohort is empty). */
export interface Cohort {
  cohort: string;
  customers: number;
  retention: (number | null)[];
}
export type Cohorts = Comparison<Cohort[]>;

export interface ReconciliationFigures {
  orders: number;
  units: number;
  net_minor: number;
}
export interface DayMismatch {
  date_key: number;
  channel: string;
  currency: string;
  source: ReconciliationFigures;
  warehouse: ReconciliationFigures;
}
export interface OrderMismatch {
  order_id: string;
  date_key: number;
  source: Record<string, number>;
  warehouse: Record<string, number>;
}
export interface EtlRunSummary {
  run_id: number;
  mode: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  rows_loaded: Record<string, number>;
  error: string | null;
}
export interface Reconciliation {
  status: "ok" | "mismatch";
  runs: EtlRunSummary[];
  days: DayMismatch[];
  orders: OrderMismatch[];
  days_checked: number;
}
export type Grain = "day" | "week" | "month";

export interface Period {
  from: string;
  to: string;
}

export const reportKeys = {
  kpis: (p: Period) => ["reports", "kpis", p] as const,
  sales: (p: Period, grain: Grain) => ["reports", "sales", p, grain] as const,
  cohorts: (p: Period) => ["reports", "cohorts", p] as const,
  reconciliation: () => ["reports", "reconciliation"] as const,
};

/** The routes declare `dict[str, Any]`; the shape is the one written above. */
function shaped<T>(body: Promise<unknown>): Promise<T> {
  return body as Promise<T>;
}

export function fetchKpis(period: Period): Promise<Kpis> {
  return shaped<Kpis>(unwrap(api.GET("/api/reports/kpis", { params: { query: cleanQuery(period) } })));
}

export function fetchSalesOverTime(period: Period, grain: Grain): Promise<SalesOverTime> {
  return shaped<SalesOverTime>(unwrap(api.GET("/api/reports/sales-over-time",
    { params: { query: { ...cleanQuery(period), grain } } })));
}

export function fetchCohorts(period: Period): Promise<Cohorts> {
  return shaped<Cohorts>(unwrap(api.GET("/api/reports/cohorts",
    { params: { query: cleanQuery(period) } })));
}

export function fetchReconciliation(): Promise<Reconciliation> {
  return shaped<Reconciliation>(unwrap(api.GET("/api/reports/reconciliation")));
}

/** Relative change from `previous` to `current`; null where there is no base to compare. */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** "yyyymmdd" date keys of the warehouse → ISO dates. */
export function dateKeyToIso(key: number): string {
  const text = String(key);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}
