import { screen } from "@testing-library/react";
import { expect, test } from "vitest";

import { change } from "../api/reports";
import { formatMoney } from "../lib/money";
import { renderApp } from "../test/render";
import { heatColor } from "./CohortHeatmap";
import { KpiTile } from "./KpiTile";

const euros = (v: number) => formatMoney(v, "EUR", "en");

test("the net sales tile shows the amount and its change against the previous period", () => {
  renderApp(<KpiTile id="net-sales" label="Net sales" current={150000} previous={120000} format={euros} />);
  expect(screen.getByRole("group", { name: "Net sales" })).toBe(screen.getByTestId("kpi-net-sales"));
  expect(screen.getByTestId("kpi-net-sales-value")).toHaveTextContent("€1,500.00");
  expect(screen.getByTestId("kpi-net-sales-change")).toHaveTextContent("+25%");
  expect(screen.getByText("vs €1,200.00 before")).toBeInTheDocument();
});

test("a tile without a previous figure says so instead of dividing by zero", () => {
  renderApp(<KpiTile id="orders" label="Orders" current={12} previous={0} format={String} />);
  expect(screen.getByTestId("kpi-orders-change")).toHaveTextContent("no previous data");
});

test("change is relative to the previous value", () => {
  expect(change(90, 120)).toBe(-0.25);
  expect(change(5, 0)).toBeNull();
  expect(change(-50, -100)).toBe(0.5);
});

test("the heat map darkens with retention and clamps outside 0..1", () => {
  expect(heatColor(0)).toBe("hsl(174, 60%, 96%)");
  expect(heatColor(1)).toBe("hsl(174, 60%, 40%)");
  expect(heatColor(1.7)).toBe(heatColor(1));
});
