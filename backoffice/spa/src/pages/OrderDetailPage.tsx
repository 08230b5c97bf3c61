import {
  Alert, Anchor, Button, Card, Grid, Group, Modal, Stack, Table, Text, TextInput, Textarea, Timeline, Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../api/client";
import { messageOf } from "../api/errors";
import type { OrderDetail } from "../api/models";
import { useCan } from "../auth/AuthProvider";
import { DateTime } from "../components/DateTime";
import { Money } from "../components/Money";
import { notifyError, notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { StatusBadge } from "../components/StatusBadge";
import { allowedActions } from "../lib/orders";

const orderKey = (id: string) => ["order", id] as const;

/** The lines of a shipping address, in the order a label prints them. */
export function addressLines(address: OrderDetail["shipping_address"] | null): string[] {
  if (!address) return [];
  const part = (key: string) => (address[key] == null ? "" : String(address[key]).trim());
  return [part("name"), part("line1"), part("line2"),
    [part("postal_code"), part("city")].filter(Boolean).join(" "), part("country")].filter(Boolean);
}

export function OrderDetailPage() {
  const id = useParams().orderId ?? "";
  const order = useQuery({
    queryKey: orderKey(id),
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: id } } })),
  });
  if (order.error) return <QueryError error={order.error} onRetry={order.refetch} />;
  if (!order.data) return <Text c="dimmed" role="status">Loading…</Text>;
  const o = order.data;
  return (
    <Stack>
      <PageHeader title={<Group gap="sm">Order {o.number} <StatusBadge status={o.status} /></Group>}>
        {o.invoice_url && <Button component="a" href={o.invoice_url} target="_blank" variant="default">Invoice</Button>}
        <Anchor component={Link} to="/orders">All orders</Anchor>
      </PageHeader>
      <OrderActions order={o} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder><Lines order={o} /></Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder><Summary order={o} /></Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={4} mb="sm">Timeline</Title>
            <Timeline bulletSize={14} lineWidth={2} data-testid="order-timeline">
              {o.timeline.map((e, i) => (
                <Timeline.Item key={i} title={`${e.status_from ?? "new"} → ${e.status_to}`}>
                  <Text size="xs" c="dimmed">{e.actor} · <DateTime value={e.created_at} /></Text>
                  {e.note && <Text size="sm">{e.note}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder><Notes order={o} /></Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Lines({ order }: { order: OrderDetail }) {
  return (
    <Table aria-label="Order lines">
      <Table.Thead><Table.Tr><Table.Th>SKU</Table.Th><Table.Th>Product</Table.Th>
        <Table.Th ta="right">Qty</Table.Th><Table.Th ta="right">Unit</Table.Th>
        <Table.Th ta="right">Total</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {order.lines.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>{l.sku}</Table.Td><Table.Td>{l.product_name}</Table.Td>
            <Table.Td ta="right">{l.quantity}</Table.Td>
            <Table.Td ta="right"><Money minor={l.unit_price_minor} currency={order.currency} /></Table.Td>
            <Table.Td ta="right"><Money minor={l.total_minor} currency={order.currency} /></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Summary({ order }: { order: OrderDetail }) {
  const row = (label: string, minor: number, strong = false) => (
    <Group justify="space-between"><Text size="sm" fw={strong ? 700 : undefined}>{label}</Text>
      <Text size="sm" fw={strong ? 700 : undefined}><Money minor={minor} currency={order.currency} /></Text></Group>
  );
  const address = addressLines(order.shipping_address);
  return (
    <Stack gap={4}>
      {row("Subtotal", order.subtotal_minor)}
      {row("Discounts", -order.discount_minor)}
      {row("Shipping", order.shipping_minor)}
      {row("Tax", order.tax_minor)}
      {row("Total", order.total_minor, true)}
      <Text size="sm" mt="sm"><b>Customer</b> {order.customer_id
        ? <Anchor component={Link} to={`/customers/${order.customer_id}`}>{order.email}</Anchor> : order.email}</Text>
      <Text size="sm"><b>Placed</b> <DateTime value={order.placed_at} /></Text>
      {order.tracking_number && <Text size="sm"><b>Tracking</b> {order.tracking_number}</Text>}
      {address.length > 0 && (
        <Text size="sm" style={{ whiteSpace: "pre-line" }} data-testid="order-address">
          <b>Ship to</b>{"\n"}{address.join("\n")}</Text>
      )}
      {order.payment && <Text size="sm"><b>Payment</b> {order.payment.provider} · {order.payment.status}
        {order.payment.reference ? ` · ${order.payment.reference}` : ""}</Text>}
    </Stack>
  );
}

function useOrderMutation<T>(orderId: string, run: (body: T) => Promise<unknown>, done: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      notifySuccess(done);
      if (result && typeof result === "object" && "status" in result) {
        client.setQueryData(orderKey(orderId), result);
      } else {
        client.invalidateQueries({ queryKey: orderKey(orderId) });
      }
      client.invalidateQueries({ queryKey: ["orders"] });
    },
    onError: (e) => notifyError(e),
  });
}

export function OrderActions({ order }: { order: OrderDetail }) {
  const canWrite = useCan("orders:write");
  const [tracking, setTracking] = useState("");
  const [reasonFor, setReasonFor] = useState<"cancel" | "refund" | null>(null);
  const path = { order_id: order.id };
  const ship = useOrderMutation(order.id, (tracking_number: string) =>
    unwrap(api.POST("/api/orders/{order_id}/ship", { params: { path }, body: { tracking_number } })), "Order shipped");
  const deliver = useOrderMutation(order.id, () =>
    unwrap(api.POST("/api/orders/{order_id}/deliver", { params: { path } })), "Order delivered");
  if (!canWrite) return null;
  const actions = allowedActions(order.status);
  if (!actions.length) return null;
  return (
    <Card withBorder data-testid="order-actions">
      <Group align="end">
        {actions.includes("ship") && (
          <form onSubmit={(e) => { e.preventDefault(); if (tracking.trim()) ship.mutate(tracking.trim()); }}>
            <Group align="end">
              <TextInput label="Tracking number" value={tracking} required data-testid="order-ship-tracking"
                onChange={(e) => setTracking(e.currentTarget.value)} error={ship.error ? messageOf(ship.error) : undefined} />
              <Button type="submit" loading={ship.isPending} disabled={!tracking.trim()}
                data-testid="order-ship">Ship</Button>
            </Group>
          </form>
        )}
        {actions.includes("deliver") && (
          <Button onClick={() => deliver.mutate(undefined)} loading={deliver.isPending}
            data-testid="order-deliver">Mark delivered</Button>
        )}
        {actions.includes("cancel") && (
          <Button color="red" variant="light" onClick={() => setReasonFor("cancel")}
            data-testid="order-cancel">Cancel order</Button>
        )}
        {actions.includes("refund") && (
          <Button color="orange" variant="light" onClick={() => setReasonFor("refund")}
            data-testid="order-refund">Refund</Button>
        )}
      </Group>
      {reasonFor && <ReasonModal order={order} action={reasonFor} onClose={() => setReasonFor(null)} />}
    </Card>
  );
}

function ReasonModal({ order, action, onClose }: {
  order: OrderDetail; action: "cancel" | "refund"; onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const path = { order_id: order.id };
  const run = useOrderMutation(order.id, (text: string) => unwrap(action === "cancel"
    ? api.POST("/api/orders/{order_id}/cancel", { params: { path }, body: { reason: text } })
    : api.POST("/api/orders/{order_id}/refund", { params: { path }, body: { reason: text } })),
  action === "cancel" ? "Order cancelled" : "Order refunded");
  return (
    <Modal opened onClose={onClose} title={action === "cancel" ? `Cancel ${order.number}` : `Refund ${order.number}`}>
      <form onSubmit={(e) => { e.preventDefault(); run.mutate(reason.trim(), { onSuccess: onClose }); }}>
        <Stack>
          {run.error && <Alert color="red" role="alert">{messageOf(run.error)}</Alert>}
          <Textarea label="Reason" required value={reason} data-testid="order-reason"
            onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Back</Button>
            <Button type="submit" color={action === "cancel" ? "red" : "orange"} loading={run.isPending}
              disabled={!reason.trim()} data-testid="order-reason-confirm">
              {action === "cancel" ? "Cancel order" : "Refund"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Notes({ order }: { order: OrderDetail }) {
  const canWrite = useCan("orders:write");
  const [text, setText] = useState("");
  const add = useOrderMutation(order.id, (note: string) => unwrap(api.POST("/api/orders/{order_id}/notes",
    { params: { path: { order_id: order.id } }, body: { text: note } })), "Note added");
  return (
    <Stack>
      <Title order={4}>Notes</Title>
      {order.notes.length === 0 && <Text c="dimmed" size="sm">No notes.</Text>}
      {order.notes.map((n) => (
        <div key={n.id}>
          <Text size="xs" c="dimmed">{n.author} · <DateTime value={n.created_at} /></Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{n.text}</Text>
        </div>
      ))}
      {canWrite && (
        <form onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) add.mutate(text.trim(), { onSuccess: () => setText("") });
        }}>
          <Stack gap="xs">
            <Textarea label="Add a note" value={text} onChange={(e) => setText(e.currentTarget.value)}
              data-testid="order-note-text" maxLength={4000} />
            <Group><Button type="submit" size="xs" loading={add.isPending} disabled={!text.trim()}
              data-testid="order-note-add">Add note</Button></Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
