import { describe, expect, test } from "vitest";

import { applyApiError } from "../lib/formErrors";
import { apiErrorFrom, fieldPath, splitFieldErrors } from "./errors";

describe("apiErrorFrom", () => {
  test("maps a 422's errors to field paths without the request part", () => {
    const error = apiErrorFrom(422, {
      detail: "The request is not valid",
      errors: [
        { loc: ["body", "name_es"], msg: "Field required" },
        { loc: ["body", "variants", 0, "sku"], msg: "Invalid SKU" },
        { loc: ["query", "page"], msg: "must be ≥ 1" },
      ],
    });
    expect(error.status).toBe(422);
    expect(error.detail).toBe("The request is not valid");
    expect(error.fieldErrors).toEqual({
      name_es: "Field required", "variants.0.sku": "Invalid SKU", page: "must be ≥ 1",
    });
  });

  test("reads a 422 whose detail is the list of problems", () => {
    const error = apiErrorFrom(422, { detail: [{ loc: ["body", "email"], msg: "not an e-mail", type: "x" }] });
    expect(error.fieldErrors).toEqual({ email: "not an e-mail" });
    expect(error.detail).toBe("email: not an e-mail");
  });

  test("keeps the first message for a field named twice", () => {
    const error = apiErrorFrom(422, { errors: [{ loc: ["body", "sku"], msg: "first" },
      { loc: ["body", "sku"], msg: "second" }] });
    expect(error.fieldErrors).toEqual({ sku: "first" });
  });

  test("uses detail for other refusals and the status text when there is none", () => {
    expect(apiErrorFrom(409, { detail: "the SKU A-1 already exists" }).detail).toBe("the SKU A-1 already exists");
    expect(apiErrorFrom(502, null, "Bad Gateway").detail).toBe("Bad Gateway");
    expect(apiErrorFrom(500, "boom").detail).toBe("boom");
  });

  test("fieldPath keeps a loc that names no request part", () => {
    expect(fieldPath(["price_minor"])).toBe("price_minor");
    expect(fieldPath(["body"])).toBe("body");
  });
});

describe("putting a 422 on a form", () => {
  const error = apiErrorFrom(422, { detail: "invalid", errors: [
    { loc: ["body", "name_es"], msg: "too long" }, { loc: ["body", "weight"], msg: "unknown field" }] });

  test("splits the fields the form has from the rest", () => {
    expect(splitFieldErrors(error, ["name_es", "slug"])).toEqual({
      known: { name_es: "too long" }, other: ["weight: unknown field"],
    });
  });

  test("sets the known fields and returns the rest for the banner", () => {
    const set: Record<string, string>[] = [];
    const banner = applyApiError({ setErrors: (e) => set.push(e) }, error, ["name_es"]);
    expect(set).toEqual([{ name_es: "too long" }]);
    expect(banner).toBe("weight: unknown field");
  });

  test("needs no banner when every error sits next to its input", () => {
    const only = apiErrorFrom(422, { detail: "invalid", errors: [{ loc: ["body", "name_es"], msg: "x" }] });
    expect(applyApiError({ setErrors: () => {} }, only, ["name_es"])).toBeNull();
  });

  test("shows detail for a refusal without field errors", () => {
    const conflict = apiErrorFrom(409, { detail: "another product already uses the slug 'mesa'" });
    expect(applyApiError({ setErrors: () => {} }, conflict, ["slug"]))
      .toBe("another product already uses the slug 'mesa'");
  });
});
