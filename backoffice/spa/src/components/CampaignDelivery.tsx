/** A saved campaign's way out: the preview per language, a test to oneself, send now or on a
 * date, and once it is going, its live progress with pause, resume and cancel. */
import {
  Alert, Button, Card, Code, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import {
  actOnCampaign, type Campaign, type CampaignAction, campaignKeys, type CampaignLocale,
  fetchPreview, isEditable, sendCampaign, sendTest,
} from "../api/campaigns";
import { messageOf } from "../api/errors";
import { useAuth } from "../auth/AuthProvider";
import { DateTime } from "./DateTime";
import { notifyError, notifySuccess } from "./notify";
import { WorkProgress, WorkStatusBadge } from "./WorkProgress";

export function CampaignPreview({ campaign, canWrite, unsaved }: {
  campaign: Campaign; canWrite: boolean; unsaved: boolean;
}) {
  const { me } = useAuth();
  const id = campaign.id;
  const [locale, setLocale] = useState<CampaignLocale>("es");
  const preview = useQuery({
    queryKey: campaignKeys.preview(id, locale, campaign.version),
    queryFn: () => fetchPreview(id, locale),
  });
  const test = useMutation({
    mutationFn: () => sendTest(id, locale),
    onSuccess: () => notifySuccess(`Test (${locale}) on its way to ${me?.email ?? "you"}`),
    onError: (e) => notifyError(e, "Test not sent"),
  });
  return (
    <Card withBorder data-testid="campaign-preview">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Preview</Title>
        <Group>
          <SegmentedControl value={locale} onChange={(v) => setLocale(v as CampaignLocale)}
            data-testid="campaign-preview-locale"
            data={[{ value: "es", label: "Español" }, { value: "en", label: "English" }]} />
          {canWrite && (
            <Button variant="default" loading={test.isPending} data-testid="campaign-test-send"
              onClick={() => test.mutate()}>Send test to me</Button>
          )}
        </Group>
      </Group>
      {unsaved && <Text size="sm" c="orange" mb="xs">The preview shows the saved version.</Text>}
      {preview.error && <Alert color="red" role="alert">{messageOf(preview.error)}</Alert>}
      {preview.data && (
        <Stack gap="xs">
          <Text fw={600} data-testid="campaign-preview-subject">{preview.data.subject}</Text>
          <Code block data-testid="campaign-preview-text" style={{ whiteSpace: "pre-wrap" }}>
            {preview.data.text}
          </Code>
        </Stack>
      )}
    </Card>
  );
}

/** `datetime-local` text (the browser's local time) → ISO 8601 with its offset, or null. */
export function isoFromLocal(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

export function CampaignSend({ campaign, unsaved, onChanged }: {
  campaign: Campaign; unsaved: boolean; onChanged: (campaign?: Campaign) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [when, setWhen] = useState("");
  const send = useMutation({
    mutationFn: (scheduledAt: string | null) => sendCampaign(campaign.id, scheduledAt),
    onSuccess: (_r, scheduledAt) => {
      setConfirming(false);
      notifySuccess(scheduledAt ? "Campaign scheduled" : "Campaign is being sent");
      onChanged();
    },
  });
  if (!isEditable(campaign.status)) return null;
  return (
    <Card withBorder data-testid="campaign-send">
      <Title order={4} mb="sm">Send</Title>
      {send.error && <Alert color="red" role="alert" mb="sm" data-testid="campaign-send-error">
        {messageOf(send.error)}</Alert>}
      {unsaved && <Alert color="orange" mb="sm">Save your changes before sending.</Alert>}
      {campaign.status === "scheduled" && (
        <Text size="sm" mb="sm">Scheduled for <DateTime value={campaign.scheduled_at} />.</Text>
      )}
      <Group align="end">
        {confirming ? (
          <Group data-testid="campaign-send-confirm-box">
            <Text size="sm">Send it to every recipient of the segment now?</Text>
            <Button color="green" loading={send.isPending} disabled={unsaved}
              data-testid="campaign-send-confirm" onClick={() => send.mutate(null)}>Yes, send now</Button>
            <Button variant="default" onClick={() => setConfirming(false)}>No</Button>
          </Group>
        ) : (
          <Button disabled={unsaved} data-testid="campaign-send-now"
            onClick={() => setConfirming(true)}>Send now</Button>
        )}
        <TextInput type="datetime-local" label="Or at" value={when} data-testid="campaign-schedule-at"
          onChange={(e) => setWhen(e.currentTarget.value)} />
        <Button variant="default" disabled={unsaved || !isoFromLocal(when)} loading={send.isPending}
          data-testid="campaign-schedule" onClick={() => send.mutate(isoFromLocal(when))}>Schedule</Button>
      </Group>
    </Card>
  );
}

const ACTIONS: Record<CampaignAction, { label: string; when: string[]; color?: string }> = {
  pause: { label: "Pause", when: ["sending"] },
  resume: { label: "Resume", when: ["paused"] },
  cancel: { label: "Cancel", when: ["sending", "paused", "scheduled"], color: "red" },
};

export function CampaignProgress({ campaign, canWrite }: { campaign: Campaign; canWrite: boolean }) {
  const client = useQueryClient();
  const id = campaign.id;
  const act = useMutation({
    mutationFn: (action: CampaignAction) => actOnCampaign(id, action),
    onSuccess: (updated) => client.setQueryData(campaignKeys.campaign(id), updated),
  });
  if (campaign.status === "draft") return null;
  const actions = (Object.keys(ACTIONS) as CampaignAction[])
    .filter((a) => ACTIONS[a].when.includes(campaign.status));
  return (
    <Card withBorder data-testid="campaign-progress-card">
      <Group justify="space-between" mb="sm">
        <Group><Title order={4}>Delivery</Title>
          <WorkStatusBadge status={campaign.status} testId="campaign-status" /></Group>
        {canWrite && actions.length > 0 && (
          <Group gap="xs">
            {actions.map((a) => (
              <Button key={a} size="xs" variant="light" color={ACTIONS[a].color}
                loading={act.isPending && act.variables === a} data-testid={`campaign-${a}`}
                onClick={() => act.mutate(a)}>{ACTIONS[a].label}</Button>
            ))}
          </Group>
        )}
      </Group>
      {act.error && <Alert color="red" role="alert" mb="sm" data-testid="campaign-action-error">
        {messageOf(act.error)}</Alert>}
      <WorkProgress testId="campaign-progress" done={campaign.sent + campaign.failed + campaign.skipped}
        total={campaign.recipients_total} percent={campaign.progress}
        active={campaign.status === "sending"} unit="recipients" />
      <SimpleGrid cols={{ base: 2, sm: 4 }} mt="md">
        <Tally label="Recipients" value={campaign.recipients_total} testId="campaign-recipients" />
        <Tally label="Sent" value={campaign.sent} testId="campaign-sent" />
        <Tally label="Failed" value={campaign.failed} testId="campaign-failed" />
        <Tally label="Skipped (no consent any more)" value={campaign.skipped} testId="campaign-skipped" />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        Started <DateTime value={campaign.started_at} /> · finished <DateTime value={campaign.finished_at} />
      </Text>
    </Card>
  );
}

function Tally({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={22} fw={700} data-testid={testId}>{value}</Text>
    </div>
  );
}
