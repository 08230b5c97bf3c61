/** Inventory background work: CSV imports, transfers and receipts run as jobs (dry run, then
 * apply), and the low-stock thresholds. */
import { api, apiUrl, unwrap } from "./client";
import { postForm } from "./forms";
import type { paths } from "./schema";

type JobsOp = paths["/api/inventory/jobs"]["get"];
export type JobQuery = NonNullable<JobsOp["parameters"]["query"]>;
export type TransferInput =
  paths["/api/inventory/transfers"]["post"]["requestBody"]["content"]["application/json"];
export type ReceiptInput =
  paths["/api/inventory/receipts"]["post"]["requestBody"]["content"]["application/json"];
export type StockLine = TransferInput["lines"][number];

export const inventoryJobKeys = {
  list: (query: object) => ["inventory-jobs", query] as const,
  job: (id: number) => ["inventory-job", id] as const,
  lowStock: (query: object) => ["low-stock", query] as const,
};

export function fetchJob(id: number) {
  return unwrap(api.GET("/api/inventory/jobs/{job_id}", { params: { path: { job_id: id } } }));
}

export type InventoryJob = Awaited<ReturnType<typeof fetchJob>>;
export type JobStatus = InventoryJob["status"];

/** Poll while the worker has it (or has yet to take it). */
export function jobIsActive(job: { status: JobStatus } | undefined): boolean {
  return job?.status === "queued" || job?.status === "running";
}

export function fetchJobs(query: Record<string, string | number>) {
  return unwrap(api.GET("/api/inventory/jobs", { params: { query: query as JobQuery } }));
}

export type InventoryJobRow = Awaited<ReturnType<typeof fetchJobs>>["items"][number];

/** Multipart (`file`, `mode`, `reason`): the generated client sends JSON only. */
export function uploadStockCsv(file: File, mode: "set" | "add", reason: string): Promise<InventoryJob> {
  const form = new FormData();
  form.append("file", file);
  form.append("mode", mode);
  if (reason.trim()) form.append("reason", reason.trim());
  return postForm("/api/inventory/jobs", form);
}

export function createTransfer(body: TransferInput) {
  return unwrap(api.POST("/api/inventory/transfers", { body }));
}

export function createReceipt(body: ReceiptInput) {
  return unwrap(api.POST("/api/inventory/receipts", { body }));
}

export function applyJob(id: number) {
  return unwrap(api.POST("/api/inventory/jobs/{job_id}/apply", { params: { path: { job_id: id } } }));
}

export function jobErrorsCsvUrl(id: number): string {
  return apiUrl(`/api/inventory/jobs/${id}/errors.csv`);
}

export function fetchLowStock(query: { page: number; per_page: number }) {
  return unwrap(api.GET("/api/inventory/low-stock", { params: { query } }));
}

export type LowStockRow = Awaited<ReturnType<typeof fetchLowStock>>["items"][number];

export function setThreshold(sku: string, threshold: number | null) {
  return unwrap(api.PUT("/api/inventory/thresholds/{sku}",
    { params: { path: { sku } }, body: { threshold } }));
}
