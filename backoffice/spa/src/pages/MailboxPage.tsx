import { Button, Card, Drawer, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../api/client";
import type { MailSummary } from "../api/models";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { useTableState } from "../lib/tableState";

export function MailboxPage() {
  const table = useTableState({ filters: [] as const });
  const [open, setOpen] = useState<string | null>(null);
  const mail = useQuery({
    queryKey: ["mailbox", table.query], placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET("/api/mailbox", { params: { query: table.query } })),
  });
  const columns: Column<MailSummary>[] = [
    { key: "date", header: "Date", render: (m) => <DateTime value={m.date} /> },
    { key: "to", header: "To", render: (m) => m.to },
    { key: "subject", header: "Subject", render: (m) => (
      <Button variant="subtle" size="compact-sm" onClick={() => setOpen(m.id)}>{m.subject}</Button>) },
  ];
  return (
    <>
      <PageHeader title="Mailbox" />
      <Text size="sm" c="dimmed" mb="sm">E-mail captured by the local SMTP server (never sent).</Text>
      <DataTable label="Captured mail" columns={columns} rows={mail.data?.items} total={mail.data?.total}
        rowKey={(m) => m.id} paging={table} loading={mail.isFetching} error={mail.error}
        onRetry={mail.refetch} empty="No mail captured yet." />
      <Drawer opened={!!open} onClose={() => setOpen(null)} position="right" size="xl" title="Message">
        {open && <Message id={open} />}
      </Drawer>
    </>
  );
}

function Message({ id }: { id: string }) {
  const message = useQuery({
    queryKey: ["mail", id],
    queryFn: () => unwrap(api.GET("/api/mailbox/{message_id}", { params: { path: { message_id: id } } })),
  });
  if (message.error) return <QueryError error={message.error} />;
  if (!message.data) return <Text c="dimmed">Loading…</Text>;
  const m = message.data;
  return (
    <Card withBorder>
      <Text size="sm"><b>Subject</b> {m.subject}</Text>
      <Text size="sm"><b>To</b> {m.to}</Text>
      <Text size="sm" mb="sm"><b>Date</b> <DateTime value={m.date} /></Text>
      {m.html
        // The captured HTML is shown sandboxed: no scripts, no same-origin access.
        ? <iframe title="Message body" sandbox="" srcDoc={m.html} style={{ width: "100%", height: 480, border: 0 }} />
        : <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{m.text ?? ""}</Text>}
    </Card>
  );
}
