import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";

import { fakeApi } from "../test/fakeApi";
import { renderApp, staff } from "../test/render";
import { useAuth } from "./AuthProvider";

function WhoAmI() {
  const { me, signOut } = useAuth();
  return (
    <>
      <p data-testid="who">{me ? me.role : "nobody"}</p>
      <button type="button" onClick={() => void signOut()}>Sign out</button>
    </>
  );
}

describe("signing out", () => {
  test("tells the API and forgets who was signed in", async () => {
    const { requests } = fakeApi({ "POST /api/auth/logout": { status: 204 },
      "GET /api/auth/me": { status: 401, body: { detail: "sign in first" } } });
    renderApp(<WhoAmI />, { me: staff("manager") });
    expect(screen.getByTestId("who")).toHaveTextContent("manager");

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByText("nobody")).toBeInTheDocument();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toContain("POST /api/auth/logout");
  });
});
