import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";

import type { OrderDetail } from "../api/models";
import { fakeApi } from "../test/fakeApi";
import { renderApp, staff } from "../test/render";
import { addressLines, OrderActions } from "./OrderDetailPage";

function order(status: string): OrderDetail {
  return {
    id: "ord-1", number: "T-1001", email: "ana@example.com", customer_id: 1, status, channel: "web", locale: "es",
    currency: "EUR", updated_at: "2026-03-01T10:00:00Z",
    subtotal_minor: 1000, discount_minor: 0, shipping_minor: 500, tax_minor: 210, total_minor: 1710,
    placed_at: "2026-03-01T10:00:00Z", shipping_method: "standard", tracking_number: null, shipping_address: {},
    lines: [], timeline: [], notes: [], payment: null, invoice_url: null,
  };
}

describe("OrderActions", () => {
  test("a viewer sees no order controls at all", () => {
    renderApp(<OrderActions order={order("confirmed")} />, { me: staff("viewer") });
    expect(screen.queryByTestId("order-actions")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
  });

  test("a confirmed order can be shipped, cancelled or refunded", () => {
    renderApp(<OrderActions order={order("confirmed")} />, { me: staff("support") });
    expect(screen.getByTestId("order-ship")).toBeDisabled();
    expect(screen.getByTestId("order-cancel")).toBeInTheDocument();
    expect(screen.getByTestId("order-refund")).toBeInTheDocument();
    expect(screen.queryByTestId("order-deliver")).toBeNull();
  });

  test("a shipped order can only be marked delivered", () => {
    renderApp(<OrderActions order={order("shipped")} />, { me: staff("support") });
    expect(screen.getByTestId("order-deliver")).toBeInTheDocument();
    expect(screen.queryByTestId("order-ship")).toBeNull();
  });

  test("shipping sends the tracking number", async () => {
    const api = fakeApi({ "POST /api/orders/ord-1/ship": { body: { ...order("shipped"), tracking_number: "TRK-9" } } });
    renderApp(<OrderActions order={order("confirmed")} />, { me: staff("support") });
    await userEvent.type(screen.getByTestId("order-ship-tracking"), " TRK-9 ");
    await userEvent.click(screen.getByTestId("order-ship"));
    await waitFor(() => expect(api.requests).toHaveLength(1));
    expect(api.requests[0].body).toEqual({ tracking_number: "TRK-9" });
  });

  test("a refused transition shows the API's reason", async () => {
    fakeApi({ "POST /api/orders/ord-1/ship": { status: 409, body: {
      detail: "an order that is cancelled cannot become shipped (it can become: nothing)" } } });
    renderApp(<OrderActions order={order("confirmed")} />, { me: staff("support") });
    await userEvent.type(screen.getByTestId("order-ship-tracking"), "TRK-9");
    await userEvent.click(screen.getByTestId("order-ship"));
    expect(await screen.findByText(/cannot become shipped/)).toBeInTheDocument();
  });
});

test("addressLines prints a shipping address as a label, skipping empty parts", () => {
  expect(addressLines({ name: "Ana Ruiz", line1: "Calle Mayor 1", line2: null, postal_code: "28013",
    city: "Madrid", country: "ES" })).toEqual(["Ana Ruiz", "Calle Mayor 1", "28013 Madrid", "ES"]);
  expect(addressLines(null)).toEqual([]);
});
