/** Django's CSRF protection, as the SPA takes part in it: the API sets the token in a cookie
 * (`GET /api/auth/me` always does, even when it answers 401) and every request that may change
 * something sends it back in a header. The cookie is read on every request, because signing in
 * rotates the token. */

export const CSRF_COOKIE = "tienda_staff_csrf";
export const CSRF_HEADER = "X-CSRFToken";

// RFC 9110's safe methods: the only ones Django lets through without the token.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** The token in `cookies` (a `document.cookie` string), or null when there is none yet. */
export function csrfToken(cookies: string = globalThis.document?.cookie ?? ""): string | null {
  for (const pair of cookies.split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** `headers` plus the CSRF header when `method` may write and the cookie is there. */
export function withCsrf(method: string, headers: Headers = new Headers()): Headers {
  const token = SAFE_METHODS.has(method.toUpperCase()) ? null : csrfToken();
  if (token) headers.set(CSRF_HEADER, token);
  return headers;
}
