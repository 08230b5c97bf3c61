/** Names for the API's shapes, read off the operations (not the schema names, which the
 * server's models decide), so they survive regenerating schema.d.ts. */
import type { paths } from "./schema";

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer A } ? JsonOf<A> : R extends { 201: infer B } ? JsonOf<B> : never
  : never;
type BodyOf<Op> = Op extends { requestBody: { content: { "application/json": infer B } } }
  ? B : never;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Me = Ok<paths["/api/auth/me"]["get"]>;
export type ProductPage = Ok<paths["/api/products"]["get"]>;
export type ProductRow = ProductPage["items"][number];
export type ProductQuery = QueryOf<paths["/api/products"]["get"]>;
export type ProductDetail = Ok<paths["/api/products/{product_id}"]["get"]>;
export type ProductInput = BodyOf<paths["/api/products/{product_id}"]["put"]>;
export type Variant = ProductDetail["variants"][number];
export type VariantInput = BodyOf<paths["/api/variants/{variant_id}"]["put"]>;
export type ProductImage = ProductDetail["images"][number];
export type BulkAction = BodyOf<paths["/api/products/bulk"]["post"]>["action"];
export type Category = Ok<paths["/api/categories"]["get"]>[number];
export type CategoryInput = BodyOf<paths["/api/categories"]["post"]>;

export type OrderPage = Ok<paths["/api/orders"]["get"]>;
export type OrderRow = OrderPage["items"][number];
export type OrderQuery = QueryOf<paths["/api/orders"]["get"]>;
export type OrderDetail = Ok<paths["/api/orders/{order_id}"]["get"]>;
export type OrderEvent = OrderDetail["timeline"][number];
export type OrderNote = OrderDetail["notes"][number];

export type CustomerPage = Ok<paths["/api/customers"]["get"]>;
export type CustomerRow = CustomerPage["items"][number];
export type CustomerDetail = Ok<paths["/api/customers/{customer_id}"]["get"]>;

export type StockPage = Ok<paths["/api/inventory"]["get"]>;
export type StockLevel = StockPage["items"][number];
export type AdjustmentInput = BodyOf<paths["/api/inventory/adjustments"]["post"]>;
export type Movement = Ok<paths["/api/inventory/{sku}/ledger"]["get"]>["items"][number];

export type JobsOverview = Ok<paths["/api/jobs"]["get"]>;
export type PoisonMessage = Ok<paths["/api/jobs/poison/{queue}"]["get"]>["items"][number];

export type MailSummary = Ok<paths["/api/mailbox"]["get"]>["items"][number];
export type MailMessage = Ok<paths["/api/mailbox/{message_id}"]["get"]>;

export type AuditEntry = Ok<paths["/api/audit"]["get"]>["items"][number];
export type AuditQuery = QueryOf<paths["/api/audit"]["get"]>;

export type StaffMember = Ok<paths["/api/staff"]["get"]>[number];
export type StaffInput = BodyOf<paths["/api/staff"]["post"]>;
export type StaffUpdate = BodyOf<paths["/api/staff/{staff_id}"]["put"]>;

/** Every list endpoint answers this. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}
