import { describe, expect, test } from "vitest";

import { applyTableChange, nextSort, pageCount, parseSort, readTableState, tableQuery } from "./tableState";

const OPTIONS = { filters: ["status", "q"] as const, defaultSort: "-placed_at", defaultPerPage: 25 };

describe("sort", () => {
  test("parses a descending sort", () => {
    expect(parseSort("-placed_at")).toEqual({ field: "placed_at", desc: true });
    expect(parseSort("total")).toEqual({ field: "total", desc: false });
    expect(parseSort("")).toBeNull();
  });

  test("a new column sorts ascending, the same column flips", () => {
    expect(nextSort("-placed_at", "total")).toBe("total");
    expect(nextSort("total", "total")).toBe("-total");
    expect(nextSort("-total", "total")).toBe("total");
    expect(nextSort(undefined, "email")).toBe("email");
  });
});

describe("table state in the query string", () => {
  test("reads defaults from an empty query string", () => {
    expect(readTableState(new URLSearchParams(), OPTIONS)).toEqual({
      page: 1, perPage: 25, sort: "-placed_at", filters: { status: "", q: "" },
    });
  });

  test("ignores a page that is not a positive whole number", () => {
    expect(readTableState(new URLSearchParams("page=-2&per_page=abc"), OPTIONS).page).toBe(1);
    expect(readTableState(new URLSearchParams("page=-2&per_page=abc"), OPTIONS).perPage).toBe(25);
  });

  test("changing a filter goes back to page 1", () => {
    const next = applyTableChange(new URLSearchParams("page=4&status=shipped"), OPTIONS,
      { kind: "filters", values: { status: "pending" } });
    expect(next.toString()).toBe("status=pending");
  });

  test("sorting goes back to page 1 and the default sort is not written", () => {
    const flipped = applyTableChange(new URLSearchParams("page=3"), OPTIONS, { kind: "sort", field: "placed_at" });
    expect(flipped.toString()).toBe("sort=placed_at");
    const back = applyTableChange(flipped, OPTIONS, { kind: "sort", field: "placed_at" });
    expect(back.toString()).toBe("");
  });

  test("a page change keeps the filters and sort", () => {
    const next = applyTableChange(new URLSearchParams("status=pending&sort=total"), OPTIONS,
      { kind: "page", page: 2 });
    expect(next.toString()).toBe("status=pending&sort=total&page=2");
  });

  test("a new page size goes back to page 1", () => {
    const next = applyTableChange(new URLSearchParams("page=9"), OPTIONS, { kind: "perPage", perPage: 50 });
    expect(next.toString()).toBe("per_page=50");
  });

  test("resetting drops the filters and keeps the sort", () => {
    const next = applyTableChange(new URLSearchParams("q=x&status=pending&sort=total&page=2"), OPTIONS,
      { kind: "reset" });
    expect(next.toString()).toBe("sort=total");
  });

  test("the API query carries page, per_page, sort and only non-empty filters", () => {
    const state = readTableState(new URLSearchParams("page=2&status=shipped"), OPTIONS);
    expect(tableQuery(state)).toEqual({ page: 2, per_page: 25, sort: "-placed_at", status: "shipped" });
  });
});

test("pageCount has at least one page", () => {
  expect(pageCount(0, 25)).toBe(1);
  expect(pageCount(51, 25)).toBe(3);
});
