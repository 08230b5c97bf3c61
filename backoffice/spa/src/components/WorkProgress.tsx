/** The state of long background work (inventory jobs, campaign sends): a status badge and a
 * progress bar with its counts. */
import { Badge, Group, Progress, Text } from "@mantine/core";

const COLORS: Record<string, string> = {
  queued: "yellow", running: "blue", done: "green", failed: "red", draft: "gray",
  scheduled: "cyan", sending: "blue", paused: "orange", cancelled: "gray",
};

export function WorkStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light" data-testid={testId}
      data-status={status}>{status}</Badge>
  );
}

/** `done` of `total` and the percentage the API computed (0..100). */
export function WorkProgress({ done, total, percent, active, unit, testId }: {
  done: number; total: number; percent: number; active: boolean; unit: string; testId?: string;
}) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div data-testid={testId} data-progress={value}>
      <Progress value={value} size="lg" striped={active} animated={active}
        aria-label={`Progress ${value}%`} />
      <Group justify="space-between" mt={4}>
        <Text size="sm" data-testid={testId && `${testId}-count`}>{done} of {total} {unit}</Text>
        <Text size="sm" fw={600} data-testid={testId && `${testId}-percent`}>{value}%</Text>
      </Group>
    </div>
  );
}
