import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";

import { homePath, visibleNav } from "../auth/permissions";
import { fakeApi } from "../test/fakeApi";
import { renderApp, staff } from "../test/render";
import { ROLE_PERMISSIONS } from "../test/roles";
import { Layout } from "./Layout";
import { NavBar } from "./NavBar";

const keys = (role: keyof typeof ROLE_PERMISSIONS, mailboxAvailable = true) =>
  visibleNav(ROLE_PERMISSIONS[role], { mailboxAvailable }).map((i) => i.key);

describe("visibleNav", () => {
  test("the viewer reads everything but staff and the mailbox", () => {
    expect(keys("viewer")).toEqual(["dashboard", "orders", "products", "categories", "inventory",
      "customers", "campaigns", "jobs", "audit"]);
  });

  test("support sees no jobs, audit log or staff", () => {
    expect(keys("support")).toEqual(["dashboard", "orders", "products", "categories", "inventory",
      "customers", "mailbox"]);
  });

  test("only the admin sees staff", () => {
    expect(keys("admin")).toContain("staff");
    expect(keys("manager")).not.toContain("staff");
  });

  test("the mailbox is hidden where the API has none", () => {
    expect(keys("admin", false)).not.toContain("mailbox");
  });

  test("a role without reports lands on its first screen", () => {
    expect(homePath(["orders:read"])).toBe("/orders");
    expect(homePath([])).toBe("/no-access");
  });
});

describe("NavBar", () => {
  test("renders a link per readable screen with a stable test id", () => {
    renderApp(<NavBar permissions={ROLE_PERMISSIONS.viewer} mailboxAvailable />, { route: "/orders/7" });
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getAllByRole("link").map((a) => a.getAttribute("data-testid"))).toEqual([
      "nav-dashboard", "nav-orders", "nav-products", "nav-categories", "nav-inventory",
      "nav-customers", "nav-campaigns", "nav-jobs", "nav-audit"]);
    expect(screen.getByTestId("nav-orders")).toHaveAttribute("href", "/orders");
    expect(screen.getByTestId("nav-orders")).toHaveAttribute("data-active", "true");
  });
});

describe("Layout", () => {
  test("hides the mailbox link when the API answers 404 for it", async () => {
    const api = fakeApi({ "GET /api/mailbox": { status: 404, body: { detail: "local only" } } });
    renderApp(<Layout />, { me: staff("admin") });
    await waitFor(() => expect(api.requests.map((r) => r.path)).toContain("/api/mailbox"));
    await waitFor(() => expect(screen.getByTestId("nav-staff")).toBeInTheDocument());
    expect(screen.queryByTestId("nav-mailbox")).toBeNull();
  });

  test("shows the mailbox link where the mailbox exists", async () => {
    fakeApi({ "GET /api/mailbox": { body: { items: [], total: 0, page: 1, per_page: 1 } } });
    renderApp(<Layout />, { me: staff("support") });
    expect(await screen.findByTestId("nav-mailbox")).toBeInTheDocument();
  });

  test("never asks for the mailbox for a role that cannot read it", () => {
    const api = fakeApi({});
    renderApp(<Layout />, { me: staff("viewer") });
    expect(screen.getByTestId("signed-in-role")).toHaveTextContent("viewer");
    expect(api.requests).toEqual([]);
  });
});
