/** A campaign's texts (es and en) and its segment. A saved campaign is edited over the
 * version the editor loaded (If-Match); the API's 422 field errors land on their inputs. */
import { Alert, Button, Fieldset, Group, Stack, Tabs, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useEffect, useState } from "react";

import {
  type Campaign, type CampaignInput, createCampaign, isEditable, updateCampaign,
} from "../api/campaigns";
import { applyApiError } from "../lib/formErrors";
import { notifySuccess } from "./notify";
import {
  checkOrderDates, SegmentBuilder, segmentOf, type SegmentValues, segmentValuesOf,
} from "./SegmentBuilder";

export interface CampaignValues {
  name: string;
  subject_es: string;
  subject_en: string;
  body_es: string;
  body_en: string;
  segment: SegmentValues;
}

const FIELDS = ["name", "subject_es", "subject_en", "body_es", "body_en", "segment"];
const LANGUAGES = [{ code: "es", label: "Español" }, { code: "en", label: "English" }] as const;

export function valuesOf(campaign: Campaign | undefined): CampaignValues {
  return {
    name: campaign?.name ?? "", subject_es: campaign?.subject_es ?? "",
    subject_en: campaign?.subject_en ?? "", body_es: campaign?.body_es ?? "",
    body_en: campaign?.body_en ?? "", segment: segmentValuesOf(campaign?.segment),
  };
}

export function inputOf(values: CampaignValues): CampaignInput {
  return {
    name: values.name.trim(), subject_es: values.subject_es.trim(),
    subject_en: values.subject_en.trim(), body_es: values.body_es, body_en: values.body_en,
    segment: segmentOf(values.segment),
  };
}

const filled = (what: string) => (v: string) => (v.trim() ? null : what);

export function CampaignForm({ campaign, canEdit, onSaved, onDirtyChange }: {
  campaign?: Campaign;
  canEdit: boolean;
  onSaved: (campaign: Campaign) => void;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const [banner, setBanner] = useState<string | null>(null);
  const editable = canEdit && (!campaign || isEditable(campaign.status));
  const form = useForm<CampaignValues>({
    initialValues: valuesOf(campaign),
    validate: {
      name: filled("Name the campaign (staff only see it)"),
      subject_es: filled("A Spanish subject is required"),
      subject_en: filled("An English subject is required"),
      body_es: filled("A Spanish text is required"),
      body_en: filled("An English text is required"),
      segment: { last_order_after: (_v, all) => checkOrderDates(all.segment) },
    },
  });
  const dirty = form.isDirty();
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  const submit = form.onSubmit(async (values) => {
    setBanner(null);
    try {
      const saved = campaign
        ? await updateCampaign(campaign.id, campaign.version, inputOf(values))
        : await createCampaign(inputOf(values));
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifySuccess(campaign ? "Campaign saved" : "Campaign created");
      onSaved(saved);
    } catch (error) {
      setBanner(applyApiError(form, error, FIELDS));
    }
  });
  const tabHasError = (code: string) =>
    !!(form.errors[`subject_${code}`] || form.errors[`body_${code}`]);

  return (
    <form onSubmit={submit} noValidate data-testid="campaign-form">
      <Stack>
        {banner && <Alert color="red" role="alert" data-testid="campaign-form-error">{banner}</Alert>}
        <Fieldset legend="Message" disabled={!editable} variant="unstyled">
          <Stack>
            <TextInput label="Name" required data-testid="campaign-name" {...form.getInputProps("name")} />
            <Tabs defaultValue="es">
              <Tabs.List>
                {LANGUAGES.map((l) => (
                  <Tabs.Tab key={l.code} value={l.code} data-testid={`campaign-tab-${l.code}`}
                    c={tabHasError(l.code) ? "red" : undefined}>
                    {l.label}{tabHasError(l.code) ? " (!)" : ""}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LANGUAGES.map((l) => (
                <Tabs.Panel key={l.code} value={l.code} pt="sm">
                  <Stack>
                    <TextInput label={`Subject (${l.code})`} required maxLength={200}
                      data-testid={`campaign-subject-${l.code}`} {...form.getInputProps(`subject_${l.code}`)} />
                    <Textarea label={`Text (${l.code})`} required autosize minRows={6}
                      description="Plain text; blank lines make paragraphs. The unsubscribe link is added."
                      data-testid={`campaign-body-${l.code}`} {...form.getInputProps(`body_${l.code}`)} />
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          </Stack>
        </Fieldset>
        <Fieldset legend="Recipients" variant="unstyled">
          <SegmentBuilder values={form.values.segment} errors={form.errors} disabled={!editable}
            showCount={!campaign || isEditable(campaign.status)} onChange={(name, value) => form.setFieldValue(`segment.${name}`, value)} />
        </Fieldset>
        {editable && (
          <Group>
            <Button type="submit" loading={form.submitting} data-testid="campaign-save">
              {campaign ? "Save campaign" : "Create campaign"}
            </Button>
            {campaign && dirty && <Text size="sm" c="orange">Unsaved changes</Text>}
          </Group>
        )}
      </Stack>
    </form>
  );
}
