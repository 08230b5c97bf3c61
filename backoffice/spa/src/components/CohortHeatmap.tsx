import { Table, Text } from "@mantine/core";

import type { Cohort } from "../api/reports";
import { useLocale } from "../lib/locale";
import { formatPercent } from "../lib/money";

/** Background for a retention fraction: light to dark teal as more customers come back. */
export function heatColor(fraction: number): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const lightness = Math.round(96 - clamped * 56);
  return `hsl(174, 60%, ${lightness}%)`;
}

export function CohortHeatmap({ cohorts }: { cohorts: Cohort[] }) {
  const { locale } = useLocale();
  const periods = Math.max(0, ...cohorts.map((c) => c.retention.length));
  if (!cohorts.length) return <Text c="dimmed">No cohorts yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table withTableBorder aria-label="Cohort retention" data-testid="cohort-heatmap" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Cohort</Table.Th><Table.Th ta="right">Customers</Table.Th>
            {Array.from({ length: periods }, (_, i) => <Table.Th key={i} ta="center">+{i}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cohorts.map((c) => (
            <Table.Tr key={c.cohort}>
              <Table.Td>{c.cohort}</Table.Td>
              <Table.Td ta="right">{c.customers}</Table.Td>
              {Array.from({ length: periods }, (_, i) => {
                const value = c.retention[i] ?? undefined;
                return (
                  <Table.Td key={i} ta="center" style={value === undefined ? undefined : {
                    background: heatColor(value), color: value > 0.55 ? "white" : undefined,
                  }}>
                    {value === undefined ? "" : formatPercent(value, locale)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
