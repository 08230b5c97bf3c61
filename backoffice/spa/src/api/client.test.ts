import { describe, expect, test } from "vitest";

import { fakeApi } from "../test/fakeApi";
import { uploadImage } from "./catalog";
import { api, apiUrl, unwrap } from "./client";
import { CSRF_COOKIE, csrfToken } from "./csrf";

function setCookie(value: string): void {
  document.cookie = `${CSRF_COOKIE}=${value}; path=/`;
}

describe("the CSRF token", () => {
  test("is read from the staff CSRF cookie among others", () => {
    expect(csrfToken(`a=1; ${CSRF_COOKIE}=tok%2Ben; tienda_staff_session=s`)).toBe("tok+en");
    expect(csrfToken("a=1; csrftoken=other")).toBeNull();
  });

  test("goes with a write and is read again for each request (signing in rotates it)", async () => {
    const { requests } = fakeApi({ "POST /api/products/bulk": { body: { updated: 0 } } });
    setCookie("first");
    await unwrap(api.POST("/api/products/bulk", { body: { ids: [1], action: "publish" } }));
    setCookie("second");
    await unwrap(api.POST("/api/products/bulk", { body: { ids: [2], action: "publish" } }));
    expect(requests.map((r) => r.headers.get("X-CSRFToken"))).toEqual(["first", "second"]);
  });

  test("stays off reads", async () => {
    const { requests } = fakeApi({ "GET /api/categories": { body: [] } });
    setCookie("token");
    await unwrap(api.GET("/api/categories"));
    expect(requests[0].headers.get("X-CSRFToken")).toBeNull();
  });

  test("goes with the multipart picture upload too", async () => {
    const { requests } = fakeApi({ "POST /api/products/7/images": {
      status: 201, body: { id: 1, url: "/media/x.jpg" } } });
    setCookie("upload-token");
    await uploadImage(7, new File(["png"], "lamp.png", { type: "image/png" }));
    expect(requests[0].headers.get("X-CSRFToken")).toBe("upload-token");
  });
});

describe("the API's address", () => {
  test("is the page's own origin", async () => {
    const { fetch } = fakeApi({ "GET /api/categories": { body: [] } });
    await unwrap(api.GET("/api/categories"));
    const request = fetch.mock.calls[0][0] as Request;
    expect(new URL(request.url).origin).toBe(window.location.origin);
    expect(request.credentials).toBe("same-origin");
    expect(apiUrl("/api/orders/export.csv", { status: "paid", page: undefined }))
      .toBe("/api/orders/export.csv?status=paid");
  });
});
