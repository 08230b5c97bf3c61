import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";

import { fakeApi } from "../test/fakeApi";
import { renderApp, staff } from "../test/render";
import { JobsPage } from "./JobsPage";

const OVERVIEW = {
  queues: [{ name: "notifications", depth: 3, poison_depth: 1 }], outbox_backlog: 2,
  timers: [], worker_heartbeat_at: new Date().toISOString(),
};
const POISON = { items: [{ id: "m-1", dequeue_count: 5, inserted_at: "2026-03-01T10:00:00Z", preview: "{}" }] };

test("a manager retries a poison message", async () => {
  const api = fakeApi({
    "GET /api/jobs": { body: OVERVIEW }, "GET /api/jobs/poison/notifications": { body: POISON },
    "POST /api/jobs/poison/notifications/m-1/retry": { status: 204 },
  });
  renderApp(<JobsPage />, { me: staff("manager") });
  expect(await screen.findByTestId("queue-poison-notifications")).toHaveTextContent("1");
  await userEvent.click(screen.getByTestId("poison-open-notifications"));
  await userEvent.click(await screen.findByTestId("poison-retry"));
  await waitFor(() => expect(api.requests.map((r) => `${r.method} ${r.path}`))
    .toContain("POST /api/jobs/poison/notifications/m-1/retry"));
});

test("a viewer sees poison messages but no retry or discard", async () => {
  fakeApi({ "GET /api/jobs": { body: OVERVIEW }, "GET /api/jobs/poison/notifications": { body: POISON } });
  renderApp(<JobsPage />, { me: staff("viewer") });
  await userEvent.click(await screen.findByTestId("poison-open-notifications"));
  expect(await screen.findByTestId("poison-m-1")).toBeInTheDocument();
  expect(screen.queryByTestId("poison-retry")).toBeNull();
  expect(screen.queryByTestId("poison-discard")).toBeNull();
});
