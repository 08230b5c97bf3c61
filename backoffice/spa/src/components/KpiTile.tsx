import { Card, Group, Text } from "@mantine/core";

import { change } from "../api/reports";
import { useLocale } from "../lib/locale";
import { formatPercent } from "../lib/money";

/** One headline number with its change against the previous period of the same length. */
export function KpiTile({ id, label, current, previous, format }: {
  id: string; label: string; current: number; previous: number; format: (value: number) => string;
}) {
  const { locale } = useLocale();
  const delta = change(current, previous);
  const color = delta === null || delta === 0 ? "dimmed" : delta > 0 ? "teal" : "red";
  return (
    <Card withBorder data-testid={`kpi-${id}`} role="group" aria-label={label}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={26} fw={700} data-testid={`kpi-${id}-value`}>{format(current)}</Text>
      <Group gap={6}>
        <Text size="sm" c={color} fw={600} data-testid={`kpi-${id}-change`}>
          {delta === null ? "no previous data" : formatPercent(delta, locale, true)}
        </Text>
        <Text size="xs" c="dimmed">vs {format(previous)} before</Text>
      </Group>
    </Card>
  );
}
