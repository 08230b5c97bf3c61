import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";

import type { ProductDetail } from "../api/models";
import { fetchProduct } from "../api/catalog";
import { fakeApi } from "../test/fakeApi";
import { renderApp } from "../test/render";
import { ProductForm } from "./ProductForm";

const CATEGORIES = [{ id: 1, parent_id: null, slug: "mesas", name_es: "Mesas", name_en: "Tables", position: 0, product_count: 0 }];

function product(overrides: Partial<ProductDetail> = {}): ProductDetail {
  return {
    id: 7, category_id: 1, slug: "mesa-roble", name_es: "Mesa de roble", name_en: "Oak table",
    description_es: "", description_en: "", is_published: true, is_featured: false, version: 3,
    created_at: "2026-03-01T10:00:00Z", updated_at: "2026-03-01T10:00:00Z",
    variants: [], images: [], ...overrides,
  };
}

function renderForm(onSaved = vi.fn()) {
  renderApp(<ProductForm product={product()} categories={CATEGORIES} canEdit onSaved={onSaved}
    onReload={() => fetchProduct(7)} />);
  return onSaved;
}

async function rename(to: string) {
  fireEvent.change(screen.getByTestId("product-name-en"), { target: { value: to } });
  await userEvent.click(screen.getByTestId("product-save"));
}

describe("ProductForm", () => {
  test("saves with the loaded version in If-Match and takes the new version", async () => {
    const api = fakeApi({
      "PUT /api/products/7": (r) => ({ body: product({ ...(r.body as object), version: 4 }) }),
    });
    const onSaved = renderForm();
    await rename("Oak desk");
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(api.requests[0].headers.get("If-Match")).toBe('"3"');
    expect(api.requests[0].body).toMatchObject({ name_en: "Oak desk", category_id: 1, slug: "mesa-roble" });
    expect(onSaved.mock.calls[0][0].version).toBe(4);
  });

  test("on 412 shows who changed it, keeps the edits, and reloads their version on request", async () => {
    const api = fakeApi({
      "PUT /api/products/7": { status: 412, body: { detail: "ana@tienda.local saved this product at 2026-03-01T10:00:00+00:00; reload and make your change again" } },
      "GET /api/products/7": { body: product({ name_en: "Oak table (solid)", version: 5 }) },
    });
    renderForm();
    await rename("Oak desk");
    const conflict = await screen.findByTestId("product-conflict");
    expect(conflict).toHaveTextContent("ana@tienda.local saved this product at 2026-03-01T10:00:00+00:00");
    expect(screen.getByTestId("product-name-en")).toHaveValue("Oak desk");

    await userEvent.click(screen.getByTestId("product-conflict-reload"));
    await waitFor(() => expect(screen.getByTestId("product-name-en")).toHaveValue("Oak table (solid)"));
    expect(screen.queryByTestId("product-conflict")).toBeNull();

    await userEvent.click(screen.getByTestId("product-save"));
    await waitFor(() => expect(api.requests.filter((r) => r.method === "PUT")).toHaveLength(2));
    expect(api.requests.at(-1)?.headers.get("If-Match")).toBe('"5"');
  });

  test("puts 422 field errors next to their inputs and the rest in the banner", async () => {
    fakeApi({
      "PUT /api/products/7": { status: 422, body: { detail: "invalid", errors: [
        { loc: ["body", "slug"], msg: "only lowercase letters, digits and hyphens" },
        { loc: ["body", "weight_grams"], msg: "unknown field" }] } },
    });
    renderForm();
    await rename("Oak desk");
    expect(await screen.findByText("only lowercase letters, digits and hyphens")).toBeInTheDocument();
    expect(screen.getByTestId("product-slug")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("product-form-error")).toHaveTextContent("weight_grams: unknown field");
  });

  test("shows a 409's detail in the banner", async () => {
    fakeApi({ "PUT /api/products/7": { status: 409, body: { detail: "another product already uses the slug 'mesa'" } } });
    renderForm();
    await rename("Oak desk");
    expect(await screen.findByTestId("product-form-error"))
      .toHaveTextContent("another product already uses the slug 'mesa'");
  });

  test("checks required fields before asking the API", async () => {
    const api = fakeApi({});
    renderForm();
    await rename(" ");
    expect(await screen.findByText("An English name is required")).toBeInTheDocument();
    expect(api.requests).toEqual([]);
  });

  test("shows no edit controls to someone without catalog:write", () => {
    renderApp(<ProductForm product={product()} categories={CATEGORIES} canEdit={false}
      onSaved={() => {}} onReload={async () => undefined} />);
    expect(screen.queryByTestId("product-save")).toBeNull();
    expect(screen.getByTestId("product-name-en")).toBeDisabled();
  });
});
