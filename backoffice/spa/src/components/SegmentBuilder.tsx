/** Who a campaign goes to: consenting customers (always), narrowed by language, a category
 * they bought in, when they last ordered and their RFM segment; with the live count of who
 * that is now (debounced, asked of the API). */
import { Group, Loader, SimpleGrid, Select, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import type { ChangeEvent, ReactNode } from "react";

import { catalogKeys, fetchCategories } from "../api/catalog";
import { campaignKeys, countRecipients, fetchRfmSegments, type Segment } from "../api/campaigns";
import { messageOf } from "../api/errors";

/** The segment as the form holds it: "" for "any". */
export interface SegmentValues {
  language: string;
  bought_in_category: string;
  last_order_before: string;
  last_order_after: string;
  rfm_segment: string;
}

export const COUNT_DEBOUNCE_MS = 400;

export function segmentValuesOf(segment: Partial<Segment> | undefined): SegmentValues {
  return {
    language: segment?.language ?? "",
    bought_in_category: segment?.bought_in_category == null ? "" : String(segment.bought_in_category),
    last_order_before: segment?.last_order_before ?? "",
    last_order_after: segment?.last_order_after ?? "",
    rfm_segment: segment?.rfm_segment ?? "",
  };
}

export function segmentOf(values: SegmentValues): Segment {
  return {
    language: values.language === "es" || values.language === "en" ? values.language : null,
    bought_in_category: values.bought_in_category ? Number(values.bought_in_category) : null,
    last_order_before: values.last_order_before || null,
    last_order_after: values.last_order_after || null,
    rfm_segment: values.rfm_segment || null,
  };
}

/** A rule of the form: "after" must come before "before" when both are set. */
export function checkOrderDates(values: SegmentValues): string | null {
  const { last_order_after: after, last_order_before: before } = values;
  return after && before && after >= before ? "Must be earlier than \"last order before\"" : null;
}

export function SegmentBuilder({ values, errors, onChange, disabled, showCount }: {
  values: SegmentValues;
  /** The form's errors: `segment.<field>` keys are shown on their inputs. */
  errors: Record<string, ReactNode>;
  onChange: (name: keyof SegmentValues, value: string) => void;
  disabled: boolean;
  showCount: boolean;
}) {
  const categories = useQuery({ queryKey: catalogKeys.categories(), queryFn: fetchCategories });
  const rfm = useQuery({ queryKey: campaignKeys.rfmSegments(), queryFn: fetchRfmSegments });
  const select = (name: keyof SegmentValues) => ({ value: values[name] || null,
    error: errors[`segment.${name}`], onChange: (v: string | null) => onChange(name, v ?? "") });
  const date = (name: keyof SegmentValues) => ({ value: values[name],
    error: errors[`segment.${name}`], onChange: (e: ChangeEvent<HTMLInputElement>) =>
      onChange(name, e.currentTarget.value) });
  return (
    <div data-testid="segment-builder">
      <Text size="sm" c="dimmed" mb="xs">
        Only customers who agreed to marketing e-mail receive it; narrow them down below.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Select label="Language" placeholder="Any language" clearable disabled={disabled}
          data-testid="segment-language" data={[{ value: "es", label: "Spanish" },
            { value: "en", label: "English" }]}
          {...select("language")} />
        <Select label="Bought in category" placeholder="Any" clearable searchable disabled={disabled}
          data-testid="segment-category"
          data={(categories.data ?? []).map((c) => ({ value: String(c.id), label: c.name_es }))}
          {...select("bought_in_category")} />
        <Select label="RFM segment" placeholder="Any" clearable disabled={disabled}
          data-testid="segment-rfm" data={rfm.data ?? []}
          description={rfm.error ? `Segments unavailable: ${messageOf(rfm.error)}` : undefined}
          {...select("rfm_segment")} />
        <TextInput type="date" label="Last order after" disabled={disabled}
          data-testid="segment-last-order-after" {...date("last_order_after")} />
        <TextInput type="date" label="Last order before" disabled={disabled}
          data-testid="segment-last-order-before" {...date("last_order_before")} />
        {showCount && <RecipientCount values={values} />}
      </SimpleGrid>
    </div>
  );
}

function RecipientCount({ values }: { values: SegmentValues }) {
  const [wanted] = useDebouncedValue(JSON.stringify(segmentOf(values)), COUNT_DEBOUNCE_MS);
  const segment = JSON.parse(wanted) as Segment;
  const valid = checkOrderDates(segmentValuesOf(segment)) === null;
  const count = useQuery({
    queryKey: campaignKeys.count(segment), queryFn: () => countRecipients(segment),
    enabled: valid, staleTime: 10_000,
  });
  return (
    <div>
      <Text size="sm" fw={500}>Recipients now</Text>
      <Group gap="xs" mih={36} data-testid="segment-count-box">
        {count.isFetching && <Loader size="xs" aria-label="Counting" />}
        {count.error ? <Text size="sm" c="red">{messageOf(count.error)}</Text>
          : count.data !== undefined && (
            <Text fz={22} fw={700} data-testid="segment-count">{count.data}</Text>)}
      </Group>
    </div>
  );
}
