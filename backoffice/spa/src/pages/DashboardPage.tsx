import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from "recharts";

import {
  type Cohort, dateKeyToIso, type DayMismatch, fetchCohorts, fetchKpis, fetchReconciliation, fetchSalesOverTime,
  type Grain, type Period, reportKeys, SALES_MEASURES, type SalesPoint,
} from "../api/reports";
import { CohortHeatmap } from "../components/CohortHeatmap";
import { KpiTile } from "../components/KpiTile";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { StatusBadge } from "../components/StatusBadge";
import { type CsvColumn, downloadCsv, toCsv } from "../lib/csv";
import { lastDays } from "../lib/dates";
import { useLocale } from "../lib/locale";
import { SHOP_CURRENCY } from "../config";
import { decimalToMinor, formatCount, formatDecimalMoney, formatMoney, formatPercent } from "../lib/money";

const RANGES: Record<string, number> = { "7": 7, "30": 30, "90": 90, "365": 365 };

export default function DashboardPage() {
  const [range, setRange] = useState("30");
  const [period, setPeriod] = useState<Period>(lastDays(30));
  const [grain, setGrain] = useState<Grain>("day");
  const choose = (value: string) => {
    setRange(value);
    setPeriod(lastDays(RANGES[value]));
    setGrain(RANGES[value] > 120 ? "month" : RANGES[value] > 31 ? "week" : "day");
  };
  return (
    <Stack>
      <PageHeader title="Dashboard">
        <SegmentedControl value={range} onChange={choose} aria-label="Period"
          data={[{ value: "7", label: "7 d" }, { value: "30", label: "30 d" }, { value: "90", label: "90 d" },
            { value: "365", label: "1 y" }, { value: "custom", label: "Custom" }]} />
      </PageHeader>
      {range === "custom" && (
        <Group>
          <TextInput type="date" label="From" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.currentTarget.value })} />
          <TextInput type="date" label="To" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.currentTarget.value })} />
        </Group>
      )}
      <Kpis period={period} />
      <Sales period={period} grain={grain} onGrain={setGrain} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Cohorts period={period} />
        <ReconciliationCard />
      </SimpleGrid>
    </Stack>
  );
}

function Kpis({ period }: { period: Period }) {
  const { locale } = useLocale();
  const kpis = useQuery({ queryKey: reportKeys.kpis(period), queryFn: () => fetchKpis(period) });
  if (kpis.error) return <QueryError error={kpis.error} onRetry={kpis.refetch} />;
  if (!kpis.data) return <Text c="dimmed" role="status">Loading figures…</Text>;
  const { current, previous } = kpis.data;
  const minor = (v: string) => decimalToMinor(v, SHOP_CURRENCY) ?? 0;
  const money = (v: number) => formatMoney(v, SHOP_CURRENCY, locale);
  const count = (v: number) => formatCount(v, locale);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="kpis"
      data-start={kpis.data.start} data-end={kpis.data.end}>
      <KpiTile id="net-sales" label="Net sales" current={minor(current.net_sales)} previous={minor(previous.net_sales)} format={money} />
      <KpiTile id="orders" label="Orders" current={current.orders} previous={previous.orders} format={count} />
      <KpiTile id="aov" label="Average order" current={minor(current.average_order_value)}
        previous={minor(previous.average_order_value)} format={money} />
      <KpiTile id="units" label="Units sold" current={current.units} previous={previous.units} format={count} />
    </SimpleGrid>
  );
}

const SALES_CSV: CsvColumn<SalesPoint>[] = [
  { header: "period", value: (p) => p.period },
  ...SALES_MEASURES.map((k) => ({ header: `${k} (${SHOP_CURRENCY})`, value: (p: SalesPoint) => p[k] })),
];

/** Chart points: the decimal strings as numbers (for plotting only; labels use the strings). */
function plotted(points: SalesPoint[]) {
  return points.map((p) => ({
    period: p.period, ...Object.fromEntries(SALES_MEASURES.map((k) => [k, Number(p[k])])),
  }));
}

function Sales({ period, grain, onGrain }: { period: Period; grain: Grain; onGrain: (g: Grain) => void }) {
  const { locale } = useLocale();
  const sales = useQuery({ queryKey: reportKeys.sales(period, grain), queryFn: () => fetchSalesOverTime(period, grain) });
  const rows = sales.data?.current ?? [];
  const points = plotted(rows);
  const axis = (v: number) => formatDecimalMoney(v.toFixed(2), SHOP_CURRENCY, locale);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={4}>Sales over time</Title>
        <Group>
          <SegmentedControl size="xs" value={grain} onChange={(v) => onGrain(v as Grain)} aria-label="Grain"
            data={[{ value: "day", label: "Day" }, { value: "week", label: "Week" }, { value: "month", label: "Month" }]} />
          <Button size="xs" variant="default" disabled={!rows.length} data-testid="sales-csv"
            onClick={() => downloadCsv(`sales-${period.from}-${period.to}-${grain}.csv`, toCsv(rows, SALES_CSV))}>CSV</Button>
        </Group>
      </Group>
      {sales.error && <QueryError error={sales.error} onRetry={sales.refetch} />}
      {sales.data && points.length === 0 && <Text c="dimmed">No sales in this period.</Text>}
      {points.length > 0 && (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <div style={{ height: 280 }} data-testid="sales-line-chart">
            <ResponsiveContainer>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="period" fontSize={11} />
                <YAxis tickFormatter={axis} fontSize={11} width={90} />
                <Tooltip formatter={(v) => axis(Number(v))} />
                <Legend />
                <Line type="monotone" dataKey="gross" name="Gross" stroke="#868e96" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="net" name="Net" stroke="#12b886" strokeWidth={2} dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <div style={{ height: 280 }} data-testid="sales-bar-chart">
            <ResponsiveContainer>
              <BarChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="period" fontSize={11} />
                <YAxis tickFormatter={axis} fontSize={11} width={90} />
                <Tooltip formatter={(v) => axis(Number(v))} />
                <Legend />
                <Bar dataKey="discounts" name="Discounts" stackId="a" fill="#fab005" isAnimationActive={false} />
                <Bar dataKey="returns" name="Returns" stackId="a" fill="#fa5252" isAnimationActive={false} />
                <Bar dataKey="shipping" name="Shipping" stackId="a" fill="#4c6ef5" isAnimationActive={false} />
                <Bar dataKey="tax" name="Tax" stackId="a" fill="#be4bdb" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </SimpleGrid>
      )}
    </Card>
  );
}

function Cohorts({ period }: { period: Period }) {
  const { locale } = useLocale();
  const cohorts = useQuery({ queryKey: reportKeys.cohorts(period), queryFn: () => fetchCohorts(period) });
  const rows = cohorts.data?.current ?? [];
  const periods = Math.max(0, ...rows.map((c) => c.retention.length));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={4}>Customer retention by cohort</Title>
        <Button size="xs" variant="default" disabled={!rows.length} data-testid="cohorts-csv"
          onClick={() => downloadCsv(`cohorts-${period.from}-${period.to}.csv`, toCsv(rows, [
            { header: "cohort", value: (c) => c.cohort }, { header: "customers", value: (c) => c.customers },
            ...Array.from({ length: periods }, (_, i) => ({
              header: `+${i}`, value: (c: Cohort) => c.retention[i] ?? "",
            })),
          ]))}>CSV</Button>
      </Group>
      {cohorts.error && <QueryError error={cohorts.error} onRetry={cohorts.refetch} />}
      {cohorts.data && <CohortHeatmap cohorts={rows} />}
      {rows.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">Share of each cohort (first orders in the period) ordering in
          each later month, {formatPercent(1, locale)} = all.</Text>
      )}
    </Card>
  );
}

const figures = (f: DayMismatch["source"]) => `${f.orders} / ${f.units} / ${formatMoney(f.net_minor, SHOP_CURRENCY, "en")}`;

function ReconciliationCard() {
  const rec = useQuery({ queryKey: reportKeys.reconciliation(), queryFn: fetchReconciliation });
  const days = rec.data?.days ?? [];
  const lastRun = rec.data?.runs[0];
  return (
    <Card withBorder data-testid="reconciliation">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Warehouse reconciliation</Title>
        <Button size="xs" variant="default" disabled={!days.length} data-testid="reconciliation-csv"
          onClick={() => downloadCsv("reconciliation.csv", toCsv(days, [
            { header: "day", value: (d) => dateKeyToIso(d.date_key) }, { header: "channel", value: (d) => d.channel },
            { header: "currency", value: (d) => d.currency },
            ...(["orders", "units", "net_minor"] as const).flatMap((k) => [
              { header: `source ${k}`, value: (d: DayMismatch) => d.source[k] },
              { header: `warehouse ${k}`, value: (d: DayMismatch) => d.warehouse[k] },
            ]),
          ]))}>CSV</Button>
      </Group>
      {rec.error && <QueryError error={rec.error} onRetry={rec.refetch} />}
      {rec.data && (
        <Stack gap="xs">
          <Group gap="xs">
            <span data-testid="reconciliation-status" data-status={rec.data.status}><StatusBadge status={rec.data.status} /></span>
            <Text size="xs" c="dimmed">{rec.data.days_checked} day(s) checked
              {lastRun ? `; last ETL run #${lastRun.run_id} ${lastRun.status}` : "; no ETL run yet"}</Text>
          </Group>
          {days.length === 0 ? <Alert color="green">The warehouse agrees with the transactional database.</Alert> : (
            <Table.ScrollContainer minWidth={400}>
              <Table fz="xs" aria-label="Mismatching days">
                <Table.Thead><Table.Tr>
                  <Table.Th>Day</Table.Th><Table.Th>Channel</Table.Th>
                  <Table.Th>Shop: orders / units / net</Table.Th><Table.Th>Warehouse: orders / units / net</Table.Th>
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {days.map((d) => (
                    <Table.Tr key={`${d.date_key}-${d.channel}-${d.currency}`} data-testid={`reconciliation-day-${dateKeyToIso(d.date_key)}`}>
                      <Table.Td>{dateKeyToIso(d.date_key)}</Table.Td><Table.Td>{d.channel}</Table.Td>
                      <Table.Td>{figures(d.source)}</Table.Td><Table.Td>{figures(d.warehouse)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {rec.data.orders.length > 0 && (
            <Text size="xs" c="dimmed">{rec.data.orders.length} order(s) differ, e.g. {rec.data.orders.slice(0, 3).map((o) => o.order_id).join(", ")}</Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
