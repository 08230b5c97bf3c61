import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";

import { fakeApi } from "../test/fakeApi";
import { renderApp } from "../test/render";
import { StockAdjustmentForm } from "./StockAdjustmentForm";

function fill(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    fireEvent.change(screen.getByTestId(`stock-adjustment-${name}`), { target: { value } });
  }
}

test("sends the delta as a number with the reason", async () => {
  const level = { sku: "MESA-1", variant_id: 1, product_id: 1, product: "Mesa", warehouse: "MAD",
    on_hand: 7, reserved: 2, available: 5, updated_at: null };
  const api = fakeApi({ "POST /api/inventory/adjustments": { status: 201, body: level } });
  const onDone = vi.fn();
  renderApp(<StockAdjustmentForm onDone={onDone} initial={{ sku: "MESA-1", warehouse: "MAD" }} />);
  fill({ delta: "-3", reason: "damaged in the warehouse" });
  await userEvent.click(screen.getByTestId("stock-adjustment-submit"));
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(level));
  expect(api.requests[0].body).toEqual({ sku: "MESA-1", warehouse: "MAD", delta: -3,
    reason: "damaged in the warehouse" });
});

test("refuses a zero delta before asking the API", async () => {
  const api = fakeApi({});
  renderApp(<StockAdjustmentForm onDone={() => {}} initial={{ sku: "MESA-1", warehouse: "MAD" }} />);
  fill({ delta: "0", reason: "count" });
  await userEvent.click(screen.getByTestId("stock-adjustment-submit"));
  expect(await screen.findByText("A whole number, not zero (negative to remove)")).toBeInTheDocument();
  expect(api.requests).toEqual([]);
});

test("shows why the API refused: below reserved, or an unknown SKU on its field", async () => {
  fakeApi({ "POST /api/inventory/adjustments": (r) => ((r.body as { sku: string }).sku === "NOPE"
    ? { status: 422, body: { detail: "invalid", errors: [{ loc: ["body", "sku"], msg: "there is no SKU 'NOPE'" }] } }
    : { status: 409, body: { detail: "on hand would become 1, below the 2 reserved for placed orders in MAD" } }) });
  renderApp(<StockAdjustmentForm onDone={() => {}} initial={{ sku: "MESA-1", warehouse: "MAD" }} />);
  fill({ delta: "-6", reason: "recount" });
  await userEvent.click(screen.getByTestId("stock-adjustment-submit"));
  expect(await screen.findByTestId("stock-adjustment-error")).toHaveTextContent("below the 2 reserved");

  fill({ sku: "NOPE" });
  await userEvent.click(screen.getByTestId("stock-adjustment-submit"));
  expect(await screen.findByText("there is no SKU 'NOPE'")).toBeInTheDocument();
  expect(screen.queryByTestId("stock-adjustment-error")).toBeNull();
});
