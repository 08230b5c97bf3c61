/** Marketing campaigns: write (es + en), choose a segment, preview, test, send, follow. */
import { api, ifMatch, unwrap } from "./client";
import type { paths } from "./schema";

type CampaignsOp = paths["/api/campaigns"]["get"];
type CampaignsQuery = NonNullable<CampaignsOp["parameters"]["query"]>;
export type CampaignInput =
  paths["/api/campaigns"]["post"]["requestBody"]["content"]["application/json"];
/** The segment as sent: every field present, null for "any". */
export type Segment = Required<CampaignInput["segment"]>;
export type CampaignLocale = "es" | "en";

export const campaignKeys = {
  list: (query: object) => ["campaigns", query] as const,
  campaign: (id: number) => ["campaign", id] as const,
  count: (segment: Segment) => ["campaign-segment-count", segment] as const,
  preview: (id: number, locale: CampaignLocale, version: number) =>
    ["campaign-preview", id, locale, version] as const,
  rfmSegments: () => ["campaign-rfm-segments"] as const,
};

const at = (id: number) => ({ params: { path: { campaign_id: id } } });

export function fetchCampaign(id: number) {
  return unwrap(api.GET("/api/campaigns/{campaign_id}", at(id)));
}

export type Campaign = Awaited<ReturnType<typeof fetchCampaign>>;
export type CampaignStatus = Campaign["status"];

/** Only a draft or a scheduled campaign may still be edited (and sent or rescheduled). */
export function isEditable(status: CampaignStatus): boolean {
  return status === "draft" || status === "scheduled";
}

export function fetchCampaigns(query: Record<string, string | number>) {
  return unwrap(api.GET("/api/campaigns", { params: { query: query as CampaignsQuery } }));
}

export function createCampaign(body: CampaignInput) {
  return unwrap(api.POST("/api/campaigns", { body }));
}

/** Save over `version`, the one the editor loaded; a 412 means someone saved since. */
export function updateCampaign(id: number, version: number, body: CampaignInput) {
  return unwrap(api.PUT("/api/campaigns/{campaign_id}", {
    params: { path: { campaign_id: id }, header: ifMatch(version) }, body,
  }));
}

export async function countRecipients(segment: Segment): Promise<number> {
  return (await unwrap(api.POST("/api/campaigns/segment-count", { body: { segment } }))).count;
}

export async function fetchRfmSegments(): Promise<string[]> {
  return (await unwrap(api.GET("/api/campaigns/rfm-segments"))).segments;
}

export function fetchPreview(id: number, locale: CampaignLocale) {
  return unwrap(api.GET("/api/campaigns/{campaign_id}/preview",
    { params: { path: { campaign_id: id }, query: { locale } } }));
}

export function sendTest(id: number, locale: CampaignLocale) {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/test-send", { ...at(id), body: { locale } }));
}

/** `scheduledAt` null: now. */
export function sendCampaign(id: number, scheduledAt: string | null) {
  return unwrap(api.POST("/api/campaigns/{campaign_id}/send",
    { ...at(id), body: { scheduled_at: scheduledAt } }));
}

export type CampaignAction = "pause" | "resume" | "cancel";

export function actOnCampaign(id: number, action: CampaignAction) {
  switch (action) {
    case "pause": return unwrap(api.POST("/api/campaigns/{campaign_id}/pause", at(id)));
    case "resume": return unwrap(api.POST("/api/campaigns/{campaign_id}/resume", at(id)));
    case "cancel": return unwrap(api.POST("/api/campaigns/{campaign_id}/cancel", at(id)));
  }
}
