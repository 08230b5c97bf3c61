/** Inventory jobs: the list, the forms that start one (CSV import, transfer, receipt), low
 * stock; and one job's page with its live progress, dry-run report and the apply button. */
import {
  Alert, Anchor, Button, Card, Group, Select, SimpleGrid, Stack, Table, Tabs, Text, Title,
} from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import { messageOf } from "../api/errors";
import {
  applyJob, fetchJob, fetchJobs, type InventoryJob, type InventoryJobRow, inventoryJobKeys, jobErrorsCsvUrl, jobIsActive,
} from "../api/inventoryJobs";
import { useCan } from "../auth/AuthProvider";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { CsvImportForm, ReceiptForm, TransferForm } from "../components/InventoryJobForms";
import { LowStockTable } from "../components/LowStockTable";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { WorkProgress, WorkStatusBadge } from "../components/WorkProgress";
import { useTableState } from "../lib/tableState";

/** How often an unfinished job's page asks for its progress. */
export const JOB_POLL_MS = 1000;
const KIND_LABELS: Record<string, string> = { import: "CSV import", transfer: "Transfer", receipt: "Receipt" };
const WRITE_TABS = new Set(["import", "transfer", "receipt"]);

const COLUMNS: Column<InventoryJobRow>[] = [
  { key: "id", header: "Job", render: (j) => (
    <Anchor component={Link} to={`/inventory/jobs/${j.id}`} data-testid={`job-link-${j.id}`}>#{j.id}</Anchor>) },
  { key: "kind", header: "Kind", render: (j) => KIND_LABELS[j.kind] ?? j.kind },
  { key: "what", header: "File / reference", render: (j) => j.file_name || j.reference || "—" },
  { key: "status", header: "Status", render: (j) => (
    <Group gap={4}><WorkStatusBadge status={j.status} />
      <Text size="xs" c="dimmed">{j.phase === "apply" ? "apply" : "dry run"}</Text></Group>) },
  { key: "rows", header: "Rows", align: "right", render: (j) => j.rows_total },
  { key: "ok", header: "OK", align: "right", render: (j) => j.rows_ok },
  { key: "errors", header: "Errors", align: "right",
    render: (j) => <Text span c={j.rows_error ? "red" : undefined}>{j.rows_error}</Text> },
  { key: "changes", header: "Changes", align: "right", render: (j) => j.rows_changed },
  { key: "by", header: "Created by", render: (j) => j.created_by },
  { key: "at", header: "Created", render: (j) => <DateTime value={j.created_at} /> },
];

export function InventoryJobsPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan("inventory:write");
  const navigate = useNavigate();
  const wanted = params.get("tab") ?? "jobs";
  const tab = WRITE_TABS.has(wanted) && !canWrite ? "jobs" : wanted;
  const open = (job: { id: number }) => navigate(`/inventory/jobs/${job.id}`);
  const setTab = (value: string | null) => setParams((current) => {
    const next = new URLSearchParams(current);
    if (!value || value === "jobs") next.delete("tab"); else next.set("tab", value);
    return next;
  });
  return (
    <>
      <PageHeader title="Inventory jobs">
        <Anchor component={Link} to="/inventory">Stock levels</Anchor>
      </PageHeader>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="jobs" data-testid="inventory-tab-jobs">Jobs</Tabs.Tab>
          {canWrite && <Tabs.Tab value="import" data-testid="inventory-tab-import">Import CSV</Tabs.Tab>}
          {canWrite && <Tabs.Tab value="transfer" data-testid="inventory-tab-transfer">Transfer</Tabs.Tab>}
          {canWrite && <Tabs.Tab value="receipt" data-testid="inventory-tab-receipt">Receipt</Tabs.Tab>}
          <Tabs.Tab value="low-stock" data-testid="inventory-tab-low-stock">Low stock</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="jobs"><JobList /></Tabs.Panel>
        {canWrite && <Tabs.Panel value="import"><Card withBorder><CsvImportForm onCreated={open} /></Card></Tabs.Panel>}
        {canWrite && <Tabs.Panel value="transfer"><Card withBorder><TransferForm onCreated={open} /></Card></Tabs.Panel>}
        {canWrite && <Tabs.Panel value="receipt"><Card withBorder><ReceiptForm onCreated={open} /></Card></Tabs.Panel>}
        <Tabs.Panel value="low-stock"><LowStockTable /></Tabs.Panel>
      </Tabs>
    </>
  );
}

function JobList() {
  const table = useTableState({ filters: ["status", "kind"] as const });
  const jobs = useQuery({
    queryKey: inventoryJobKeys.list(table.query), placeholderData: keepPreviousData,
    queryFn: () => fetchJobs(table.query),
    // Keep the list live while any job on it is still being worked on.
    refetchInterval: (q) => (q.state.data?.items.some(jobIsActive) ? JOB_POLL_MS * 3 : false),
  });
  return (
    <Stack>
      <Group>
        <Select label="Status" placeholder="Any" clearable w={160} value={table.filters.status || null}
          data={["queued", "running", "done", "failed"]}
          onChange={(v) => table.setFilters({ status: v ?? "" })} />
        <Select label="Kind" placeholder="Any" clearable w={160} value={table.filters.kind || null}
          data={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
          onChange={(v) => table.setFilters({ kind: v ?? "" })} />
      </Group>
      <DataTable label="Inventory jobs" testId="inventory-jobs-table" columns={COLUMNS}
        rows={jobs.data?.items} total={jobs.data?.total} rowKey={(j) => j.id} paging={table}
        loading={jobs.isFetching} error={jobs.error} onRetry={jobs.refetch}
        empty="No inventory jobs yet: import a CSV, or record a transfer or a receipt." />
    </Stack>
  );
}

export function InventoryJobPage() {
  const id = Number(useParams().jobId);
  const job = useQuery({
    queryKey: inventoryJobKeys.job(id), queryFn: () => fetchJob(id),
    refetchInterval: (q) => (jobIsActive(q.state.data) ? JOB_POLL_MS : false),
  });
  if (job.error) return <QueryError error={job.error} onRetry={job.refetch} />;
  if (!job.data) return <Text c="dimmed" role="status">Loading…</Text>;
  const j = job.data;
  return (
    <Stack>
      <PageHeader title={<>{KIND_LABELS[j.kind] ?? j.kind} #{j.id}{" "}
        <WorkStatusBadge status={j.status} testId="job-status" /></>}>
        <Anchor component={Link} to="/inventory/jobs">All jobs</Anchor>
      </PageHeader>
      <JobSummary job={j} />
      <JobApply job={j} />
      <JobErrors job={j} />
      <JobChanges job={j} />
    </Stack>
  );
}

function JobSummary({ job }: { job: InventoryJob }) {
  const phase = job.phase === "apply" ? "Applying" : "Dry run";
  return (
    <Card withBorder data-testid="job-summary" data-phase={job.phase} data-status={job.status}>
      <Group justify="space-between" mb="xs">
        <Title order={4} data-testid="job-phase">{phase}{job.status === "done" ? ": done" : ""}</Title>
        <Text size="sm" c="dimmed">
          {job.file_name || job.reference} · by {job.created_by} · <DateTime value={job.created_at} />
        </Text>
      </Group>
      <WorkProgress testId="job-progress" done={job.rows_processed} total={job.rows_total}
        percent={job.progress} active={jobIsActive(job)} unit="rows" />
      {job.status === "failed" && (
        <Alert color="red" mt="sm" role="alert" title="The job failed" data-testid="job-failure">
          {job.error ?? "No reason was recorded."}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} mt="md">
        <Count label="Rows" value={job.rows_total} testId="job-rows-total" />
        <Count label="OK" value={job.rows_ok} testId="job-rows-ok" />
        <Count label="Errors" value={job.rows_error} testId="job-rows-error" color={job.rows_error ? "red" : undefined} />
        <Count label={job.phase === "apply" ? "Changed" : "Would change"} value={job.rows_changed}
          testId="job-rows-changed" />
      </SimpleGrid>
    </Card>
  );
}

function Count({ label, value, testId, color }: { label: string; value: number; testId: string; color?: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={24} fw={700} c={color} data-testid={testId}>{value}</Text>
    </div>
  );
}

function JobApply({ job }: { job: InventoryJob }) {
  const client = useQueryClient();
  const canWrite = useCan("inventory:write");
  const [clicked, setClicked] = useState(false);
  const apply = useMutation({
    mutationFn: () => applyJob(job.id),
    onSuccess: (queued) => {
      client.setQueryData(inventoryJobKeys.job(job.id), queued);
      client.invalidateQueries({ queryKey: ["inventory-jobs"] });
    },
  });
  if (apply.error) {
    return (
      <Alert color="red" role="alert" title="Not applied" data-testid="job-apply-error">
        {messageOf(apply.error)}
      </Alert>
    );
  }
  if (job.phase === "apply" && job.status === "done") {
    return <Alert color="green" data-testid="job-applied">Applied: {job.rows_changed} changes made.</Alert>;
  }
  if (!canWrite || !job.can_apply) return null;
  return (
    <Group>
      <Button color="green" disabled={clicked} loading={apply.isPending} data-testid="job-apply"
        onClick={() => { setClicked(true); apply.mutate(); }}>
        Apply {job.rows_changed} {job.rows_changed === 1 ? "change" : "changes"}
      </Button>
      {job.rows_error > 0 && (
        <Text size="sm" c="dimmed">
          {job.rows_error === 1 ? "The row with an error is" : `The ${job.rows_error} rows with errors are`} left out.
        </Text>
      )}
    </Group>
  );
}

function JobErrors({ job }: { job: InventoryJob }) {
  if (job.rows_error === 0) return null;
  return (
    <Card withBorder data-testid="job-errors">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Errors ({job.rows_error})</Title>
        <Button component="a" variant="default" size="xs" href={jobErrorsCsvUrl(job.id)}
          download data-testid="job-errors-csv">Download errors.csv</Button>
      </Group>
      <Table striped aria-label="Errors">
        <Table.Thead><Table.Tr><Table.Th>Line</Table.Th><Table.Th>SKU</Table.Th>
          <Table.Th>Warehouse</Table.Th><Table.Th>Problem</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {job.errors.map((e) => (
            <Table.Tr key={`${e.line}-${e.sku}-${e.message}`} data-testid={`job-error-line-${e.line}`}>
              <Table.Td>{e.line}</Table.Td><Table.Td>{e.sku}</Table.Td>
              <Table.Td>{e.warehouse}</Table.Td><Table.Td>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {job.rows_error > job.errors.length && (
        <Text size="sm" c="dimmed" mt="xs">The first {job.errors.length} are shown; errors.csv has them all.</Text>
      )}
    </Card>
  );
}

function JobChanges({ job }: { job: InventoryJob }) {
  if (job.changes.length === 0) return null;
  return (
    <Card withBorder data-testid="job-changes">
      <Title order={4} mb="sm">{job.phase === "apply" ? "Changes" : "What would change"} ({job.rows_changed})</Title>
      <Table striped aria-label="Changes">
        <Table.Thead><Table.Tr><Table.Th>Line</Table.Th><Table.Th>SKU</Table.Th>
          <Table.Th>Warehouse</Table.Th><Table.Th ta="right">On hand before</Table.Th>
          <Table.Th ta="right">After</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {job.changes.map((c) => (
            <Table.Tr key={`${c.line}-${c.sku}-${c.warehouse}`} data-testid={`job-change-line-${c.line}`}>
              <Table.Td>{c.line}</Table.Td><Table.Td>{c.sku}</Table.Td><Table.Td>{c.warehouse}</Table.Td>
              <Table.Td ta="right">{c.on_hand_before}</Table.Td><Table.Td ta="right">{c.on_hand_after}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {job.rows_changed > job.changes.length && (
        <Text size="sm" c="dimmed" mt="xs">The first {job.changes.length} are shown.</Text>
      )}
    </Card>
  );
}
