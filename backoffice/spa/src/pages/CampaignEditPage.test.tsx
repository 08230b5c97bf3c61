import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { expect, test } from "vitest";

import { aCampaign, fakeApi, type Recorded } from "../test/fakeApi";
import { currentLocation, renderApp, staff } from "../test/render";
import { CampaignEditPage, NewCampaignPage } from "./CampaignEditPage";
import { CampaignsPage } from "./CampaignsPage";

const PAGES = (
  <Routes>
    <Route path="/campaigns" element={<CampaignsPage />} />
    <Route path="/campaigns/new" element={<NewCampaignPage />} />
    <Route path="/campaigns/:campaignId" element={<CampaignEditPage />} />
  </Routes>
);
const LOOKUPS = {
  "GET /api/categories": { body: [{ id: 4, name_es: "Ropa", name_en: "Clothes", slug: "ropa", parent_id: null }] },
  "GET /api/campaigns/rfm-segments": { body: { segments: ["champions", "at_risk"] } },
};
const PREVIEW = { "GET /api/campaigns/3/preview": (r: Recorded) => ({ body: {
  subject: r.query.get("locale") === "en" ? "Winter sale" : "Rebajas de invierno",
  text: r.query.get("locale") === "en" ? "Everything 20 % off." : "Todo al 20 %.", html: "<p>…</p>" } }) };
const counted = (requests: Recorded[]) => requests.filter((r) => r.path === "/api/campaigns/segment-count");
const set = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

test("the editor refuses missing texts before asking the API", async () => {
  const api = fakeApi({ ...LOOKUPS, "POST /api/campaigns/segment-count": { body: { count: 12 } } });
  renderApp(PAGES, { route: "/campaigns/new", me: staff("manager") });
  set("campaign-name", "Rebajas");
  set("campaign-subject-es", "Rebajas de invierno");
  await userEvent.click(screen.getByTestId("campaign-save"));

  expect(await screen.findByText("An English subject is required")).toBeInTheDocument();
  expect(screen.getByText("A Spanish text is required")).toBeInTheDocument();
  expect(screen.getByTestId("campaign-tab-en")).toHaveTextContent("English (!)");
  expect(api.requests.filter((r) => r.method === "POST" && r.path === "/api/campaigns")).toEqual([]);
});

test("the recipient count follows the segment, debounced", async () => {
  const api = fakeApi({ ...LOOKUPS, "POST /api/campaigns/segment-count": (r) => ({
    body: { count: (r.body as { segment: { last_order_after: string | null } }).segment.last_order_after ? 4 : 12 } }) });
  renderApp(PAGES, { route: "/campaigns/new", me: staff("manager") });
  expect(await screen.findByTestId("segment-count")).toHaveTextContent("12");

  set("segment-last-order-after", "2026-01-01");
  await waitFor(() => expect(screen.getByTestId("segment-count")).toHaveTextContent("4"));
  expect(counted(api.requests).map((r) => r.body)).toEqual([
    { segment: { language: null, bought_in_category: null, last_order_before: null,
      last_order_after: null, rfm_segment: null } },
    { segment: { language: null, bought_in_category: null, last_order_before: null,
      last_order_after: "2026-01-01", rfm_segment: null } }]);

  set("segment-last-order-before", "2025-12-01");  // before "after": no count is asked
  await userEvent.click(screen.getByTestId("campaign-save"));
  expect(await screen.findByText('Must be earlier than "last order before"')).toBeInTheDocument();
  expect(counted(api.requests)).toHaveLength(2);
});

test("creating a campaign sends both languages and the segment, and the API's field errors show", async () => {
  let tries = 0;
  const api = fakeApi({ ...LOOKUPS, ...PREVIEW,
    "POST /api/campaigns/segment-count": { body: { count: 2 } },
    "POST /api/campaigns": () => (++tries === 1
      ? { status: 422, body: { detail: "invalid", errors: [
        { loc: ["body", "segment", "rfm_segment"], msg: "no RFM segment is called 'vip'" }] } }
      : { status: 201, body: aCampaign() }),
    "GET /api/campaigns/3": { body: aCampaign() },
  });
  renderApp(PAGES, { route: "/campaigns/new", me: staff("manager") });
  set("campaign-name", "Rebajas");
  set("campaign-subject-es", "Rebajas de invierno");
  set("campaign-body-es", "Todo al 20 %.");
  await userEvent.click(screen.getByTestId("campaign-tab-en"));
  set("campaign-subject-en", "Winter sale");
  set("campaign-body-en", "Everything 20 % off.");
  await userEvent.click(screen.getByTestId("campaign-save"));
  expect(await screen.findByText("no RFM segment is called 'vip'")).toBeInTheDocument();

  await userEvent.click(screen.getByTestId("campaign-save"));
  await waitFor(() => expect(currentLocation()).toBe("/campaigns/3"));
  expect(api.requests.find((r) => r.method === "POST" && r.path === "/api/campaigns")?.body).toEqual({
    name: "Rebajas", subject_es: "Rebajas de invierno", subject_en: "Winter sale",
    body_es: "Todo al 20 %.", body_en: "Everything 20 % off.",
    segment: { language: null, bought_in_category: null, last_order_before: null,
      last_order_after: null, rfm_segment: null } });
  expect(await screen.findByTestId("campaign-preview-subject")).toHaveTextContent("Rebajas de invierno");
});

test("a draft is previewed per language, tested and sent after a confirmation", async () => {
  const api = fakeApi({ ...LOOKUPS, ...PREVIEW,
    "POST /api/campaigns/segment-count": { body: { count: 2 } },
    "GET /api/campaigns/3": { body: aCampaign() },
    "POST /api/campaigns/3/test-send": { status: 202, body: {} },
    "POST /api/campaigns/3/send": { status: 202, body: aCampaign({ status: "sending" }) },
  });
  renderApp(PAGES, { route: "/campaigns/3", me: staff("manager") });
  expect(await screen.findByTestId("campaign-preview-text")).toHaveTextContent("Todo al 20 %.");
  await userEvent.click(within(screen.getByTestId("campaign-preview-locale"))
    .getByRole("radio", { name: "English" }));
  await waitFor(() => expect(screen.getByTestId("campaign-preview-subject")).toHaveTextContent("Winter sale"));
  await userEvent.click(screen.getByTestId("campaign-test-send"));
  await userEvent.click(screen.getByTestId("campaign-send-now"));
  await userEvent.click(await screen.findByTestId("campaign-send-confirm"));

  await waitFor(() => expect(api.requests.some((r) => r.path === "/api/campaigns/3/send")).toBe(true));
  const posted = api.requests.filter((r) => r.method === "POST" && r.path.startsWith("/api/campaigns/3"));
  expect(posted.map((r) => [r.path, r.body])).toEqual([
    ["/api/campaigns/3/test-send", { locale: "en" }], ["/api/campaigns/3/send", { scheduled_at: null }]]);
});

test("a campaign being sent shows its progress and can be paused", async () => {
  const sending = aCampaign({ status: "sending", recipients_total: 200, sent: 90, failed: 8,
    skipped: 2, progress: 50, started_at: "2026-03-01T10:01:00Z" });
  const api = fakeApi({ ...LOOKUPS, ...PREVIEW, "GET /api/campaigns/3": { body: sending },
    "POST /api/campaigns/3/pause": { status: 202, body: { ...sending, status: "paused" } } });
  renderApp(PAGES, { route: "/campaigns/3", me: staff("manager") });

  expect(await screen.findByTestId("campaign-progress-count")).toHaveTextContent("100 of 200 recipients");
  expect(screen.getByTestId("campaign-progress-percent")).toHaveTextContent("50%");
  expect(screen.getByTestId("campaign-failed")).toHaveTextContent("8");
  expect(screen.queryByTestId("campaign-save")).toBeNull();  // no longer editable
  expect(screen.queryByTestId("campaign-send-now")).toBeNull();
  await userEvent.click(screen.getByTestId("campaign-pause"));

  expect(await screen.findByTestId("campaign-resume")).toBeInTheDocument();
  expect(screen.getByTestId("campaign-status")).toHaveTextContent("paused");
  expect(api.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(
    ["/api/campaigns/3/pause"]);
});

test("a viewer reads campaigns and the recipient count but gets no write button", async () => {
  const api = fakeApi({ ...LOOKUPS, ...PREVIEW, "GET /api/campaigns/3": { body: aCampaign() },
    "POST /api/campaigns/segment-count": { body: { count: 2 } },
    "GET /api/campaigns": { body: { items: [aCampaign()], total: 1, page: 1, per_page: 25 } } });
  renderApp(PAGES, { route: "/campaigns", me: staff("viewer") });
  expect(await screen.findByTestId("campaign-link-3")).toHaveTextContent("Rebajas");
  expect(screen.queryByTestId("campaign-new")).toBeNull();

  await userEvent.click(screen.getByTestId("campaign-link-3"));
  expect(await screen.findByTestId("campaign-preview-subject")).toHaveTextContent("Rebajas de invierno");
  for (const id of ["campaign-save", "campaign-test-send", "campaign-send-now", "campaign-schedule",
    "campaign-pause", "campaign-cancel"]) {
    expect(screen.queryByTestId(id)).toBeNull();
  }
  expect(screen.getByTestId("campaign-name")).toBeDisabled();
  expect(await screen.findByTestId("segment-count")).toHaveTextContent("2");  // a read
  expect(api.requests.filter((r) => r.method !== "GET").map((r) => r.path)).toEqual(
    ["/api/campaigns/segment-count"]);
});

test("a draft is scheduled for the local date and time chosen, sent as ISO 8601", async () => {
  const api = fakeApi({ ...LOOKUPS, ...PREVIEW,
    "POST /api/campaigns/segment-count": { body: { count: 2 } },
    "GET /api/campaigns/3": { body: aCampaign() },
    "POST /api/campaigns/3/send": { status: 202, body: aCampaign({ status: "scheduled" }) },
  });
  renderApp(PAGES, { route: "/campaigns/3", me: staff("manager") });
  expect(await screen.findByTestId("campaign-schedule")).toBeDisabled();
  set("campaign-schedule-at", "2026-12-24T09:30");
  await userEvent.click(screen.getByTestId("campaign-schedule"));

  await waitFor(() => expect(api.requests.some((r) => r.path === "/api/campaigns/3/send")).toBe(true));
  expect(api.requests.find((r) => r.path === "/api/campaigns/3/send")?.body).toEqual(
    { scheduled_at: new Date("2026-12-24T09:30").toISOString() });
});
