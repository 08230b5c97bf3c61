/** Catalog calls shared by the product pages. */
import { API_ROOT, api, ifMatch, unwrap } from "./client";
import { withCsrf } from "./csrf";
import { apiErrorFrom } from "./errors";
import type { Category, ProductDetail, ProductImage, ProductInput } from "./models";

export const catalogKeys = {
  products: (query: object) => ["products", query] as const,
  product: (id: number) => ["product", id] as const,
  categories: () => ["categories"] as const,
};

export function fetchProduct(id: number): Promise<ProductDetail> {
  return unwrap(api.GET("/api/products/{product_id}", { params: { path: { product_id: id } } }));
}

export function fetchCategories(): Promise<Category[]> {
  return unwrap(api.GET("/api/categories"));
}

export function createProduct(body: ProductInput): Promise<ProductDetail> {
  return unwrap(api.POST("/api/products", { body }));
}

/** Save over `version`, the one the editor loaded; a 412 means someone saved since. */
export function updateProduct(id: number, version: number, body: ProductInput): Promise<ProductDetail> {
  return unwrap(api.PUT("/api/products/{product_id}", {
    params: { path: { product_id: id }, header: ifMatch(version) }, body,
  }));
}

/** Multipart upload of one picture (field `file`): a plain fetch (openapi-fetch would encode
 * the body as JSON), so it adds the CSRF header itself. */
export async function uploadImage(productId: number, file: File): Promise<ProductImage> {
  const form = new FormData();
  form.append("file", file);
  const response = await globalThis.fetch(`${API_ROOT}/api/products/${productId}/images`,
    { method: "POST", body: form, credentials: "same-origin", headers: withCsrf("POST") });
  const text = await response.text();
  let body: unknown = text;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  if (!response.ok) throw apiErrorFrom(response.status, body, response.statusText);
  return body as ProductImage;
}
