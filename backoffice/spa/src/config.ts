/** Where the backoffice API listens. Empty (the default) means the page's own origin: the
 * backoffice deployment serves this SPA and the API together, so the staff session cookie is
 * first-party (SameSite=Strict) and no CORS is involved. Set `VITE_API_BASE_URL` only for a
 * build that must talk to an API elsewhere. */
export const API_BASE_URL: string = (import.meta.env.VITE_API_BASE_URL || "").replace(/\/+$/, "");

/** The shop's currency (`TIENDA_CURRENCY` on the server): product lists and the reports carry
 * amounts without a currency code. */
export const SHOP_CURRENCY: string = (import.meta.env.VITE_SHOP_CURRENCY || "EUR").toUpperCase();
