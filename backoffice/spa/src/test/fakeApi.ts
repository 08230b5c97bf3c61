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
