/** Where the backoffice API listens; the session cookie goes along with every request. */
export const API_BASE_URL: string = (
  import.meta.env.VITE_API_BASE_URL || "http://127.0.0.1:8001"
).replace(/\/+$/, "");

/** The shop's currency (`TIENDA_CURRENCY` on the server): product lists and the reports carry
 * amounts without a currency code. */
export const SHOP_CURRENCY: string = (import.meta.env.VITE_SHOP_CURRENCY || "EUR").toUpperCase();
