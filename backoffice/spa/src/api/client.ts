/** The typed client for the backoffice API, generated from its OpenAPI document (schema.d.ts). */
import createClient, { type Middleware } from "openapi-fetch";

import { API_BASE_URL } from "../config";
import { withCsrf } from "./csrf";
import { ApiError, apiErrorFrom } from "./errors";
import type { paths } from "./schema";

/** Writes carry the CSRF token Django checks on every session-authenticated write. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    withCsrf(request.method, request.headers);
    return request;
  },
};

/** Where API requests go: a Request needs an absolute URL, and "" (same origin, the default)
 * is the page's own origin. */
export const API_ROOT: string = API_BASE_URL || globalThis.location?.origin || "";

export const api = createClient<paths>({
  baseUrl: API_ROOT,
  credentials: "same-origin",
  // Looked up on every call (not captured once), so tests can stand in a fake fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(csrfMiddleware);

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The response body, or an ApiError carrying the status, `detail` and 422 field errors. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorFrom(response.status, error, response.statusText);
  return data as T;
}

/** The `If-Match` header for an edit of what the editor loaded at `version`. */
export function ifMatch(version: number): { "if-match": string } {
  return { "if-match": `"${version}"` };
}

/** Drop empty filter values so they never reach the query string. */
export function cleanQuery<T extends object>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as Partial<T>;
}

/** An API URL with a query string (same-origin path by default): for downloads the browser
 * fetches itself. */
export function apiUrl(path: string, query: Record<string, unknown> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(cleanQuery(query))) params.set(key, String(value));
  const search = params.toString();
  return `${API_BASE_URL}${path}${search ? `?${search}` : ""}`;
}

export { ApiError };
