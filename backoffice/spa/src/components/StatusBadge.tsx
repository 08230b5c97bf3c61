import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  pending: "yellow", confirmed: "blue", shipped: "indigo", delivered: "green",
  cancelled: "gray", refunded: "orange", published: "green", draft: "gray", ok: "green",
  failed: "red", mismatch: "red", running: "blue",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge color={COLORS[status] ?? "gray"} variant="light">{status}</Badge>;
}
