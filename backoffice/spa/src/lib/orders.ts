/** Which staff actions an order's status allows (the domain's transitions; the API has the
 * last word and answers 409 with the reason when the order moved on meanwhile). */

export const ORDER_STATUSES = ["pending", "confirmed", "shipped", "delivered", "cancelled", "refunded"];

export type OrderAction = "ship" | "deliver" | "cancel" | "refund";

const ALLOWED: Record<string, OrderAction[]> = {
  pending: ["cancel"],
  confirmed: ["ship", "cancel", "refund"],
  shipped: ["deliver"],
  delivered: ["refund"],
};

export function allowedActions(status: string): OrderAction[] {
  return ALLOWED[status] ?? [];
}
