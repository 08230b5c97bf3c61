import { screen, within } from "@testing-library/react";
import { expect, test } from "vitest";

import { fakeApi } from "../test/fakeApi";
import { renderApp, staff } from "../test/render";
import DashboardPage from "./DashboardPage";

const SPAN = { start: "2026-02-01", end: "2026-03-02", previous_start: "2026-01-02", previous_end: "2026-01-31" };
const KPIS = {
  ...SPAN,
  current: { net_sales: "1500.00", orders: 12, units: 30, average_order_value: "125.00" },
  previous: { net_sales: "1200.00", orders: 0, units: 20, average_order_value: "0.00" },
};
const point = (period: string, net: string) => ({
  period, gross: net, discounts: "0.00", returns: "0.00", net, shipping: "4.90", tax: "21.00",
});
const SALES = { ...SPAN, current: [point("2026-02-01", "100.00"), point("2026-02-02", "250.50")], previous: [] };
const COHORTS = {
  ...SPAN,
  current: [{ cohort: "2026-02", customers: 4, retention: [1, 0.25] }, { cohort: "2026-03", customers: 2, retention: [1] }],
  previous: [],
};
const figures = (orders: number, units: number, net_minor: number) => ({ orders, units, net_minor });
const MISMATCH = {
  status: "mismatch", days_checked: 31, orders: [],
  runs: [{ run_id: 4, mode: "incremental", status: "failed", started_at: null, finished_at: null, rows_loaded: {}, error: "x" }],
  days: [{ date_key: 20260215, channel: "web", currency: "EUR", source: figures(3, 5, 12000), warehouse: figures(2, 4, 9000) }],
};

function dashboardApi(reconciliation: object = MISMATCH) {
  return fakeApi({
    "GET /api/reports/kpis": { body: KPIS }, "GET /api/reports/sales-over-time": { body: SALES },
    "GET /api/reports/cohorts": { body: COHORTS }, "GET /api/reports/reconciliation": { body: reconciliation },
  });
}

test("the KPI tiles show the decimal amounts as money and the change against the previous period", async () => {
  const api = dashboardApi();
  renderApp(<DashboardPage />, { me: staff("viewer") });
  expect(await screen.findByTestId("kpi-net-sales-value")).toHaveTextContent("€1,500.00");
  expect(screen.getByTestId("kpi-net-sales-change")).toHaveTextContent("+25%");
  expect(screen.getByTestId("kpi-aov-value")).toHaveTextContent("€125.00");
  expect(screen.getByTestId("kpi-aov-change")).toHaveTextContent("no previous data");
  expect(screen.getByTestId("kpi-units-change")).toHaveTextContent("+50%");
  const kpis = api.requests.find((r) => r.path === "/api/reports/kpis");
  expect(kpis?.query.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(kpis?.query.get("to")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test("the cohort heat map has a row per cohort with its size and retention", async () => {
  dashboardApi();
  renderApp(<DashboardPage />, { me: staff("viewer") });
  const heatmap = await screen.findByTestId("cohort-heatmap");
  const rows = within(heatmap).getAllByRole("row").map((r) => r.textContent);
  expect(rows).toEqual(["CohortCustomers+0+1", "2026-024100%25%", "2026-032100%"]);
});

test("the reconciliation card names the days where the warehouse differs", async () => {
  dashboardApi();
  renderApp(<DashboardPage />, { me: staff("viewer") });
  expect(await screen.findByTestId("reconciliation-status")).toHaveAttribute("data-status", "mismatch");
  expect(screen.getByTestId("reconciliation-day-2026-02-15"))
    .toHaveTextContent("2026-02-15web3 / 5 / €120.002 / 4 / €90.00");
  expect(screen.getByTestId("reconciliation")).toHaveTextContent("last ETL run #4 failed");
});

test("a reconciled warehouse says so", async () => {
  dashboardApi({ status: "ok", days_checked: 31, orders: [], runs: [], days: [] });
  renderApp(<DashboardPage />, { me: staff("viewer") });
  expect(await screen.findByText("The warehouse agrees with the transactional database.")).toBeInTheDocument();
  expect(screen.getByTestId("reconciliation-status")).toHaveAttribute("data-status", "ok");
});
