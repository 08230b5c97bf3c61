/** Calls the generated client cannot make: multipart uploads (openapi-fetch would send JSON).
 * A plain fetch, so it adds the CSRF header itself and turns a refusal into an ApiError. */
import { API_ROOT } from "./client";
import { withCsrf } from "./csrf";
import { apiErrorFrom } from "./errors";

export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const response = await globalThis.fetch(`${API_ROOT}${path}`,
    { method: "POST", body: form, credentials: "same-origin", headers: withCsrf("POST") });
  const text = await response.text();
  let body: unknown = text;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  if (!response.ok) throw apiErrorFrom(response.status, body, response.statusText);
  return body as T;
}
