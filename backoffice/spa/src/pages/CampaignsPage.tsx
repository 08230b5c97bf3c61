/** Marketing campaigns, newest first, with their state and how far their sending got. */
import { Anchor, Button, Progress, Select, Stack, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import { type Campaign, campaignKeys, fetchCampaigns } from "../api/campaigns";
import { Can } from "../auth/AuthProvider";
import { type Column, DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { PageHeader } from "../components/PageHeader";
import { WorkStatusBadge } from "../components/WorkProgress";
import { useTableState } from "../lib/tableState";

const STATUSES = ["draft", "scheduled", "sending", "paused", "done", "cancelled"];
const LIST_POLL_MS = 3000;

const COLUMNS: Column<Campaign>[] = [
  { key: "name", header: "Campaign", render: (c) => (
    <Anchor component={Link} to={`/campaigns/${c.id}`} data-testid={`campaign-link-${c.id}`}>{c.name}</Anchor>) },
  { key: "status", header: "Status", render: (c) => <WorkStatusBadge status={c.status} /> },
  { key: "progress", header: "Progress", render: (c) => (c.status === "draft" ? "—" : (
    <Stack gap={2} w={160}>
      <Progress value={c.progress} size="sm" aria-label={`${c.name}: ${c.progress}%`} />
      <Text size="xs" c="dimmed">{c.sent} sent of {c.recipients_total}{c.failed ? ` · ${c.failed} failed` : ""}</Text>
    </Stack>)) },
  { key: "scheduled", header: "Scheduled", render: (c) => <DateTime value={c.scheduled_at} /> },
  { key: "by", header: "Created by", render: (c) => c.created_by },
  { key: "at", header: "Created", render: (c) => <DateTime value={c.created_at} /> },
];

export function CampaignsPage() {
  const table = useTableState({ filters: ["status"] as const });
  const campaigns = useQuery({
    queryKey: campaignKeys.list(table.query), placeholderData: keepPreviousData,
    queryFn: () => fetchCampaigns(table.query),
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.status === "sending")
      ? LIST_POLL_MS : false),
  });
  return (
    <>
      <PageHeader title="Campaigns">
        <Can permission="campaigns:write">
          <Button component={Link} to="/campaigns/new" data-testid="campaign-new">New campaign</Button>
        </Can>
      </PageHeader>
      <Select label="Status" placeholder="Any" clearable w={180} mb="sm" data={STATUSES}
        value={table.filters.status || null} onChange={(v) => table.setFilters({ status: v ?? "" })} />
      <DataTable label="Campaigns" testId="campaigns-table" columns={COLUMNS}
        rows={campaigns.data?.items} total={campaigns.data?.total} rowKey={(c) => c.id}
        paging={table} loading={campaigns.isFetching} error={campaigns.error}
        onRetry={campaigns.refetch} empty="No campaigns yet." />
    </>
  );
}
