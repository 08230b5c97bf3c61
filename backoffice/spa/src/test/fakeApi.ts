/** A stand-in for the backoffice API: answers by "METHOD /path" and records every request. */
import { vi } from "vitest";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (request: Recorded) => Answer | Promise<Answer>;

export function fakeApi(routes: Record<string, Handler | Answer>) {
  const requests: Recorded[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = await request.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* keep the text */ }
    const recorded = { method: request.method, path: url.pathname, query: url.searchParams,
      headers: request.headers, body };
    requests.push(recorded);
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return json(404, { detail: `no fake for ${request.method} ${url.pathname}` });
    const answer = typeof route === "function" ? await route(recorded) : route;
    return json(answer.status ?? 200, answer.body, answer.headers);
  });
  vi.stubGlobal("fetch", fetch);
  return { requests, fetch };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204 || body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json", ...headers },
  });
}

/** An inventory job as the API answers it (GET /api/inventory/jobs/<id>): a finished dry run
 * with nothing wrong, unless `overrides` say otherwise. */
export function anInventoryJob(overrides: Record<string, unknown> = {}) {
  return {
    id: 7, kind: "import", phase: "dry_run", status: "done", reference: null,
    file_name: "stock.csv", rows_total: 3, rows_processed: 3, rows_ok: 3, rows_error: 0,
    rows_changed: 3, progress: 100, error: null, created_by: "manager@tienda.local",
    created_at: "2026-03-01T10:00:00Z", started_at: "2026-03-01T10:00:01Z",
    finished_at: "2026-03-01T10:00:02Z", can_apply: true, errors: [], changes: [],
    ...overrides,
  };
}

/** A draft campaign as the API answers it (GET /api/campaigns/<id>). */
export function aCampaign(overrides: Record<string, unknown> = {}) {
  return {
    id: 3, name: "Rebajas", subject_es: "Rebajas de invierno", subject_en: "Winter sale",
    body_es: "Todo al 20 %.", body_en: "Everything 20 % off.",
    segment: { language: null, bought_in_category: null, last_order_before: null,
      last_order_after: null, rfm_segment: null },
    status: "draft", scheduled_at: null, recipients_total: 0, sent: 0, failed: 0, skipped: 0,
    progress: 0, created_by: "manager@tienda.local", created_at: "2026-03-01T10:00:00Z",
    started_at: null, finished_at: null, version: 1, ...overrides,
  };
}
