/** Write a new campaign; open one to edit it (draft or scheduled), preview, test and send it,
 * and follow its delivery live. */
import { Anchor, Card, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { type Campaign, campaignKeys, fetchCampaign } from "../api/campaigns";
import { useCan } from "../auth/AuthProvider";
import { CampaignPreview, CampaignProgress, CampaignSend } from "../components/CampaignDelivery";
import { CampaignForm } from "../components/CampaignForm";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { WorkStatusBadge } from "../components/WorkProgress";

/** How often a campaign being sent (or waiting for its time) is asked for its progress. */
export const CAMPAIGN_POLL_MS = 1000;
const SCHEDULED_POLL_MS = 5000;

export function NewCampaignPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New campaign">
        <Anchor component={Link} to="/campaigns">All campaigns</Anchor>
      </PageHeader>
      <Card withBorder>
        <CampaignForm canEdit onSaved={(c) => navigate(`/campaigns/${c.id}`, { replace: true })} />
      </Card>
    </>
  );
}

function pollInterval(campaign: Campaign | undefined): number | false {
  if (campaign?.status === "sending") return CAMPAIGN_POLL_MS;
  return campaign?.status === "scheduled" ? SCHEDULED_POLL_MS : false;
}

export function CampaignEditPage() {
  const id = Number(useParams().campaignId);
  const client = useQueryClient();
  const canWrite = useCan("campaigns:write");
  const [unsaved, setUnsaved] = useState(false);
  const campaign = useQuery({
    queryKey: campaignKeys.campaign(id), queryFn: () => fetchCampaign(id),
    refetchInterval: (q) => pollInterval(q.state.data),
  });
  if (campaign.error) return <QueryError error={campaign.error} onRetry={campaign.refetch} />;
  if (!campaign.data) return <Text c="dimmed" role="status">Loading…</Text>;
  const c = campaign.data;
  const refresh = () => client.invalidateQueries({ queryKey: campaignKeys.campaign(id) });
  return (
    <Stack>
      <PageHeader title={<>{c.name} <WorkStatusBadge status={c.status} /></>}>
        <Anchor component={Link} to="/campaigns">All campaigns</Anchor>
      </PageHeader>
      <CampaignProgress campaign={c} canWrite={canWrite} />
      <Card withBorder>
        <CampaignForm key={`${c.id}@${c.version}:${c.status}`} campaign={c} canEdit={canWrite}
          onDirtyChange={setUnsaved}
          onSaved={(saved) => { client.setQueryData(campaignKeys.campaign(id), saved); }} />
      </Card>
      <CampaignPreview campaign={c} canWrite={canWrite} unsaved={unsaved} />
      {canWrite && <CampaignSend campaign={c} unsaved={unsaved} onChanged={refresh} />}
    </Stack>
  );
}
