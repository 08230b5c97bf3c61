import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { expect, test } from "vitest";

import { anInventoryJob, fakeApi, type Recorded } from "../test/fakeApi";
import { currentLocation, renderApp, staff } from "../test/render";
import { InventoryJobPage, InventoryJobsPage } from "./InventoryJobsPage";

const PAGES = (
  <Routes>
    <Route path="/inventory/jobs" element={<InventoryJobsPage />} />
    <Route path="/inventory/jobs/:jobId" element={<InventoryJobPage />} />
  </Routes>
);
const EMPTY = { items: [], total: 0, page: 1, per_page: 25 };
const said = (requests: Recorded[]) => requests.map((r) => `${r.method} ${r.path}`);

const DRY_RUN = anInventoryJob({
  rows_ok: 2, rows_error: 1, rows_changed: 2,
  errors: [{ line: 3, sku: "NOPE-1", warehouse: "MAD", message: "there is no SKU 'NOPE-1'" }],
  changes: [{ line: 1, sku: "TEE-M", warehouse: "MAD", on_hand_before: 10, on_hand_after: 12 },
    { line: 2, sku: "TEE-L", warehouse: "MAD", on_hand_before: 0, on_hand_after: 5 }],
});

test("uploading a CSV sends the file, mode and reason and opens the new job", async () => {
  const api = fakeApi({
    "POST /api/inventory/jobs": { status: 201, body: anInventoryJob({ status: "queued", progress: 0 }) },
    "GET /api/inventory/jobs/7": { body: DRY_RUN },
  });
  renderApp(PAGES, { route: "/inventory/jobs?tab=import", me: staff("manager") });
  const file = new File(["sku,warehouse,quantity\nTEE-M,MAD,12\n"], "stock.csv", { type: "text/csv" });
  await userEvent.upload(screen.getByTestId("stock-import-file"), file);
  fireEvent.change(screen.getByTestId("stock-import-reason"), { target: { value: "yearly count" } });
  await userEvent.click(screen.getByTestId("stock-import-submit"));

  await waitFor(() => expect(currentLocation()).toBe("/inventory/jobs/7"));
  // jsdom's File does not survive undici's multipart encoding: read the form the page sent.
  const [url, init] = api.fetch.mock.calls[0] as [string, RequestInit];
  expect(url).toMatch(/\/api\/inventory\/jobs$/);
  const form = init.body as FormData;
  expect((form.get("file") as File).name).toBe("stock.csv");
  expect(await (form.get("file") as File).text()).toContain("TEE-M,MAD,12");
  expect([form.get("mode"), form.get("reason")]).toEqual(["set", "yearly count"]);
  expect(api.requests[0].headers.get("content-type")).toMatch(/^multipart\/form-data/);
});

test("the job page shows the dry-run errors and applies the changes once", async () => {
  const api = fakeApi({
    "GET /api/inventory/jobs/7": { body: DRY_RUN },
    "POST /api/inventory/jobs/7/apply": { status: 202, body: { ...DRY_RUN, phase: "apply",
      status: "queued", progress: 0, rows_processed: 0, can_apply: false } },
  });
  renderApp(PAGES, { route: "/inventory/jobs/7", me: staff("manager") });

  const error = await screen.findByTestId("job-error-line-3");
  expect(within(error).getAllByRole("cell").map((c) => c.textContent)).toEqual(
    ["3", "NOPE-1", "MAD", "there is no SKU 'NOPE-1'"]);
  expect(screen.getByTestId("job-errors-csv")).toHaveAttribute("href", "/api/inventory/jobs/7/errors.csv");
  expect(screen.getByTestId("job-change-line-2")).toHaveTextContent("TEE-L");
  expect(screen.getByTestId("job-rows-error")).toHaveTextContent("1");
  const apply = screen.getByTestId("job-apply");
  expect(apply).toHaveTextContent("Apply 2 changes");
  await userEvent.click(apply);

  expect(await screen.findByTestId("job-phase")).toHaveTextContent("Applying");
  expect(screen.queryByTestId("job-apply")).toBeNull();
  expect(said(api.requests).filter((r) => r.startsWith("POST"))).toEqual(
    ["POST /api/inventory/jobs/7/apply"]);
});

test("a refused apply (409) says why and the button stays disabled", async () => {
  fakeApi({
    "GET /api/inventory/jobs/7": { body: DRY_RUN },
    "POST /api/inventory/jobs/7/apply": { status: 409, body: { detail: "job 7 has already been applied" } },
  });
  renderApp(PAGES, { route: "/inventory/jobs/7", me: staff("manager") });
  await userEvent.click(await screen.findByTestId("job-apply"));
  expect(await screen.findByTestId("job-apply-error")).toHaveTextContent("job 7 has already been applied");
});

test("a running job shows its progress and keeps asking until it is done", async () => {
  let asked = 0;
  fakeApi({
    "GET /api/inventory/jobs/7": () => (++asked === 1
      ? { body: anInventoryJob({ status: "running", rows_total: 200, rows_processed: 80, progress: 40,
        can_apply: false }) }
      : { body: anInventoryJob({ rows_total: 200, rows_processed: 200, rows_ok: 200, rows_changed: 200 }) }),
  });
  renderApp(PAGES, { route: "/inventory/jobs/7", me: staff("manager") });

  expect(await screen.findByTestId("job-progress-count")).toHaveTextContent("80 of 200 rows");
  expect(screen.getByTestId("job-progress-percent")).toHaveTextContent("40%");
  expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
  expect(screen.queryByTestId("job-apply")).toBeNull();

  await waitFor(() => expect(screen.getByTestId("job-progress-percent")).toHaveTextContent("100%"),
    { timeout: 5000 });
  expect(screen.getByTestId("job-phase")).toHaveTextContent("Dry run: done");
  expect(screen.getByTestId("job-apply")).toHaveTextContent("Apply 200 changes");
});

test("the job list shows kind, status and counts, and an empty state", async () => {
  const api = fakeApi({ "GET /api/inventory/jobs": (r) => (r.query.get("status") === "failed"
    ? { body: EMPTY }
    : { body: { ...EMPTY, total: 1, items: [anInventoryJob({ kind: "transfer", file_name: null,
      reference: "MAD→BCN", status: "running", rows_error: 2 })] } }) });
  renderApp(PAGES, { route: "/inventory/jobs", me: staff("viewer") });
  const table = await screen.findByRole("table", { name: "Inventory jobs" });
  expect(await within(table).findByText("Transfer")).toBeInTheDocument();
  expect(within(table).getByText("MAD→BCN")).toBeInTheDocument();
  expect(within(table).getByText("running")).toBeInTheDocument();
  expect(screen.getByTestId("job-link-7")).toHaveAttribute("href", "/inventory/jobs/7");

  renderApp(PAGES, { route: "/inventory/jobs?status=failed", me: staff("viewer") });
  expect(await screen.findByText(/No inventory jobs yet/)).toBeInTheDocument();
  expect(api.requests.at(-1)?.query.get("status")).toBe("failed");
});

test("a viewer gets neither the forms nor the apply button", async () => {
  fakeApi({ "GET /api/inventory/jobs/7": { body: DRY_RUN },
    "GET /api/inventory/jobs": { body: EMPTY } });
  renderApp(PAGES, { route: "/inventory/jobs?tab=import", me: staff("viewer") });
  expect(await screen.findByText(/No inventory jobs yet/)).toBeInTheDocument();
  for (const tab of ["import", "transfer", "receipt"]) {
    expect(screen.queryByTestId(`inventory-tab-${tab}`)).toBeNull();
  }
  expect(screen.queryByTestId("stock-import-form")).toBeNull();

  renderApp(PAGES, { route: "/inventory/jobs/7", me: staff("viewer") });
  expect(await screen.findByTestId("job-error-line-3")).toBeInTheDocument();
  expect(screen.queryByTestId("job-apply")).toBeNull();
});

test("a transfer is checked before sending and the API's line errors show on the line", async () => {
  const api = fakeApi({ "POST /api/inventory/transfers": { status: 422, body: { detail: "invalid",
    errors: [{ loc: ["body", "lines", 0, "sku"], msg: "there is no SKU 'NOPE'" }] } } });
  renderApp(PAGES, { route: "/inventory/jobs?tab=transfer", me: staff("manager") });
  const set = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
  set("transfer-from", "MAD");
  set("transfer-to", "MAD");
  await userEvent.click(screen.getByTestId("transfer-submit"));
  expect(await screen.findByText("Choose another warehouse than the source")).toBeInTheDocument();
  expect(screen.getByText("Say why")).toBeInTheDocument();
  expect(api.requests).toEqual([]);

  set("transfer-to", "BCN");
  set("transfer-reason", "rebalance");
  set("transfer-line-sku-0", "NOPE");
  set("transfer-line-quantity-0", "4");
  await userEvent.click(screen.getByTestId("transfer-submit"));
  expect(await screen.findByText("there is no SKU 'NOPE'")).toBeInTheDocument();
  expect(api.requests[0].body).toEqual({ from_warehouse: "MAD", to_warehouse: "BCN",
    reason: "rebalance", lines: [{ sku: "NOPE", quantity: 4 }] });
});

test("a low-stock threshold is saved with PUT", async () => {
  const api = fakeApi({
    "GET /api/inventory/low-stock": { body: { ...EMPTY, total: 1,
      items: [{ sku: "TEE-M", product: "Camiseta", threshold: 5, available: 3 }] } },
    "PUT /api/inventory/thresholds/TEE-M": { body: { sku: "TEE-M", threshold: 2 } },
  });
  renderApp(PAGES, { route: "/inventory/jobs?tab=low-stock", me: staff("manager") });
  const input = await screen.findByTestId("threshold-TEE-M");
  await userEvent.clear(input);
  await userEvent.type(input, "2");
  await userEvent.click(screen.getByTestId("threshold-save-TEE-M"));
  await waitFor(() => expect(said(api.requests)).toContain("PUT /api/inventory/thresholds/TEE-M"));
  expect(api.requests.find((r) => r.method === "PUT")?.body).toEqual({ threshold: 2 });
});

test("a receipt of two lines creates a job and opens it", async () => {
  const api = fakeApi({
    "POST /api/inventory/receipts": { status: 201, body: anInventoryJob({ id: 9, kind: "receipt",
      file_name: "", reference: "ALB-77", status: "queued", progress: 0 }) },
    "GET /api/inventory/jobs/9": { body: anInventoryJob({ id: 9, kind: "receipt", reference: "ALB-77" }) },
  });
  renderApp(PAGES, { route: "/inventory/jobs?tab=receipt", me: staff("manager") });
  const set = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
  set("receipt-warehouse", "MAD");
  set("receipt-reference", "ALB-77");
  set("receipt-line-sku-0", "TEE-M");
  set("receipt-line-quantity-0", "10");
  await userEvent.click(screen.getByTestId("receipt-line-add"));
  set("receipt-line-sku-1", "TEE-L");
  set("receipt-line-quantity-1", "3");
  await userEvent.click(screen.getByTestId("receipt-submit"));

  await waitFor(() => expect(currentLocation()).toBe("/inventory/jobs/9"));
  expect(api.requests[0].body).toEqual({ warehouse: "MAD", supplier_reference: "ALB-77",
    lines: [{ sku: "TEE-M", quantity: 10 }, { sku: "TEE-L", quantity: 3 }] });
  expect(await screen.findByRole("heading", { name: /Receipt #9/ })).toBeInTheDocument();
});
