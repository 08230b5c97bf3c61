import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";

import { OrdersPage } from "../pages/OrdersPage";
import { fakeApi } from "../test/fakeApi";
import { currentLocation, renderApp, staff } from "../test/render";

function orders(page: number, total: number) {
  return {
    items: total ? [{ id: `o-${page}`, number: `T-${page}`, email: "ana@example.com", customer_id: 1,
      status: "confirmed", currency: "EUR", total_minor: 12345, placed_at: "2026-03-01T10:00:00Z",
      tracking_number: null }] : [],
    total, page, per_page: 25,
  };
}

describe("a server-side table (orders)", () => {
  test("asks for the default sort, then sorts by the clicked column and flips it", async () => {
    const api = fakeApi({ "GET /api/orders": (r) => ({ body: orders(Number(r.query.get("page")), 60) }) });
    renderApp(<OrdersPage />, { route: "/orders", me: staff("viewer") });
    expect(await screen.findByText("T-1")).toBeInTheDocument();
    expect(api.requests[0].query.get("sort")).toBe("-placed_at");
    expect(api.requests[0].query.get("per_page")).toBe("25");

    await userEvent.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(api.requests.at(-1)?.query.get("sort")).toBe("total"));
    expect(currentLocation()).toBe("/orders?sort=total");
    expect(screen.getByRole("columnheader", { name: /total/i })).toHaveAttribute("aria-sort", "ascending");

    await userEvent.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(api.requests.at(-1)?.query.get("sort")).toBe("-total"));
  });

  test("moves between pages and goes back to page 1 on a new filter", async () => {
    const api = fakeApi({ "GET /api/orders": (r) => ({ body: orders(Number(r.query.get("page")), 60) }) });
    renderApp(<OrdersPage />, { route: "/orders", me: staff("viewer") });
    await screen.findByText("T-1");
    expect(screen.getByTestId("table-total")).toHaveTextContent("60 in all");

    await userEvent.click(screen.getByRole("button", { name: "Page 3" }));
    expect(await screen.findByText("T-3")).toBeInTheDocument();
    expect(api.requests.at(-1)?.query.get("page")).toBe("3");

    await userEvent.type(screen.getByLabelText("Customer e-mail"), "ana");
    await userEvent.click(screen.getByTestId("orders-apply-filters"));
    await waitFor(() => expect(api.requests.at(-1)?.query.get("customer")).toBe("ana"));
    expect(api.requests.at(-1)?.query.get("page")).toBe("1");
    expect(currentLocation()).toBe("/orders?customer=ana");
  });

  test("sends amounts typed in euros as minor units", async () => {
    const api = fakeApi({ "GET /api/orders": { body: orders(1, 1) } });
    renderApp(<OrdersPage />, { route: "/orders" });
    await screen.findByText("T-1");
    await userEvent.type(screen.getByLabelText("Min total"), "12,50");
    await userEvent.click(screen.getByTestId("orders-apply-filters"));
    await waitFor(() => expect(api.requests.at(-1)?.query.get("min_total")).toBe("1250"));
  });

  test("shows the empty state when nothing matches", async () => {
    fakeApi({ "GET /api/orders": { body: orders(1, 0) } });
    renderApp(<OrdersPage />, { route: "/orders?status=refunded" });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No orders match these filters.");
  });

  test("shows the API's refusal with a way to try again", async () => {
    fakeApi({ "GET /api/orders": { status: 422, body: { detail: "'from' must not be after 'to'" } } });
    renderApp(<OrdersPage />, { route: "/orders?from=2026-05-01&to=2026-04-01" });
    expect(await screen.findByRole("alert")).toHaveTextContent("'from' must not be after 'to'");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  test("the export link is same-origin and carries the filters and sort but not the page", async () => {
    fakeApi({ "GET /api/orders": { body: orders(2, 60) } });
    renderApp(<OrdersPage />, { route: "/orders?status=shipped&page=2&sort=total" });
    await screen.findByText("T-2");
    expect(screen.getByTestId("orders-export")).toHaveAttribute("href",
      "/api/orders/export.csv?sort=total&status=shipped");
  });
});
