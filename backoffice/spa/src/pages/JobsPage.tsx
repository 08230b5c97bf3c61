/** The backoffice's live view of background work: it refreshes itself every few seconds. */
import { Alert, Badge, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../api/client";
import type { JobsOverview } from "../api/models";
import { useCan } from "../auth/AuthProvider";
import { DateTime } from "../components/DateTime";
import { notifyError, notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { ageSeconds } from "../lib/dates";

export const JOBS_REFRESH_MS = 3000;
/** A heartbeat older than this means no worker is running. */
const HEARTBEAT_STALE_SECONDS = 90;

export function JobsPage() {
  const jobs = useQuery({
    queryKey: ["jobs"], refetchInterval: JOBS_REFRESH_MS, refetchIntervalInBackground: false,
    queryFn: () => unwrap(api.GET("/api/jobs")),
  });
  const [queue, setQueue] = useState<string | null>(null);
  return (
    <Stack>
      <PageHeader title="Jobs">
        <Text size="xs" c="dimmed" data-testid="jobs-updated">
          {jobs.dataUpdatedAt ? `Updated ${new Date(jobs.dataUpdatedAt).toLocaleTimeString()}` : ""}
          {jobs.isFetching ? " · refreshing" : ""}
        </Text>
      </PageHeader>
      {jobs.error && <QueryError error={jobs.error} onRetry={jobs.refetch} />}
      {!jobs.data && !jobs.error && <Text c="dimmed" role="status">Loading…</Text>}
      {jobs.data && <Overview jobs={jobs.data} onOpen={setQueue} />}
      {queue && <Poison queue={queue} />}
    </Stack>
  );
}

function Overview({ jobs, onOpen }: { jobs: JobsOverview; onOpen: (queue: string) => void }) {
  const age = ageSeconds(jobs.worker_heartbeat_at);
  const alive = age !== null && age < HEARTBEAT_STALE_SECONDS;
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder data-testid="jobs-heartbeat">
          <Text size="sm" c="dimmed">Worker</Text>
          <Badge color={alive ? "green" : "red"} size="lg">{alive ? "running" : "no heartbeat"}</Badge>
          <Text size="xs" c="dimmed">last beat <DateTime value={jobs.worker_heartbeat_at} /></Text>
        </Card>
        <Card withBorder data-testid="jobs-outbox">
          <Text size="sm" c="dimmed">Outbox backlog</Text>
          <Text fz={28} fw={700}>{jobs.outbox_backlog}</Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">Poison messages</Text>
          <Text fz={28} fw={700}>{jobs.queues.reduce((n, q) => n + q.poison_depth, 0)}</Text>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="sm">Queues</Title>
        <Table aria-label="Queues">
          <Table.Thead><Table.Tr><Table.Th>Queue</Table.Th><Table.Th ta="right">Waiting</Table.Th>
            <Table.Th ta="right">Poison</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {jobs.queues.map((q) => (
              <Table.Tr key={q.name} data-testid={`queue-${q.name}`}>
                <Table.Td>{q.name}</Table.Td>
                <Table.Td ta="right" data-testid={`queue-depth-${q.name}`}>{q.depth}</Table.Td>
                <Table.Td ta="right" data-testid={`queue-poison-${q.name}`}>
                  <Text span c={q.poison_depth ? "red" : undefined} fw={q.poison_depth ? 700 : undefined}>{q.poison_depth}</Text>
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" disabled={!q.poison_depth}
                    onClick={() => onOpen(q.name)} data-testid={`poison-open-${q.name}`}>Poison messages</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">Timers</Title>
        <Table aria-label="Timers">
          <Table.Thead><Table.Tr><Table.Th>Timer</Table.Th><Table.Th>Last started</Table.Th>
            <Table.Th>Last finished</Table.Th><Table.Th>Last error</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {jobs.timers.map((t) => (
              <Table.Tr key={t.name}>
                <Table.Td>{t.name}</Table.Td><Table.Td><DateTime value={t.last_started_at} /></Table.Td>
                <Table.Td><DateTime value={t.last_finished_at} /></Table.Td>
                <Table.Td><Text size="xs" c="red">{t.last_error ?? ""}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {jobs.timers.length === 0 && <Text c="dimmed" size="sm">No timer has run yet.</Text>}
      </Card>
    </>
  );
}

function Poison({ queue }: { queue: string }) {
  const client = useQueryClient();
  const canWrite = useCan("jobs:write");
  const items = useQuery({
    queryKey: ["poison", queue], refetchInterval: JOBS_REFRESH_MS,
    queryFn: () => unwrap(api.GET("/api/jobs/poison/{queue}", { params: { path: { queue } } })),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: "retry" | "discard" }) => unwrap(action === "retry"
      ? api.POST("/api/jobs/poison/{queue}/{message_id}/retry", { params: { path: { queue, message_id: id } } })
      : api.POST("/api/jobs/poison/{queue}/{message_id}/discard", { params: { path: { queue, message_id: id } } })),
    onSuccess: (_r, { action }) => {
      notifySuccess(action === "retry" ? "Message put back on its queue" : "Message discarded");
      client.invalidateQueries({ queryKey: ["poison", queue] });
      client.invalidateQueries({ queryKey: ["jobs"] });
    },
    onError: (e) => notifyError(e),
  });
  return (
    <Card withBorder data-testid="poison-list">
      <Title order={4} mb="sm">{queue}-poison</Title>
      {items.error && <QueryError error={items.error} />}
      {items.data?.items.length === 0 && <Alert color="green">The poison queue is empty.</Alert>}
      <Stack>
        {items.data?.items.map((m) => (
          <Card key={m.id} withBorder padding="sm" data-testid={`poison-${m.id}`}>
            <Group justify="space-between">
              <Text size="xs" c="dimmed">{m.id} · {m.dequeue_count} attempts · <DateTime value={m.inserted_at} /></Text>
              {canWrite && (
                <Group gap="xs">
                  <Button size="xs" data-testid="poison-retry" aria-label={`Retry message ${m.id}`}
                    loading={act.isPending && act.variables?.id === m.id && act.variables.action === "retry"}
                    onClick={() => act.mutate({ id: m.id, action: "retry" })}>Retry</Button>
                  <Button size="xs" color="red" variant="light" data-testid="poison-discard"
                    aria-label={`Discard message ${m.id}`}
                    onClick={() => act.mutate({ id: m.id, action: "discard" })}>Discard</Button>
                </Group>
              )}
            </Group>
            <Code block mt="xs">{m.preview}</Code>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}
