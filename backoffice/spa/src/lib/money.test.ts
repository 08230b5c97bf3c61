import { describe, expect, test } from "vitest";

import { decimalToMinor, formatDecimalMoney, formatMoney, formatPercent, minorToDecimal, parseMoney } from "./money";

const NBSP = "\u00a0";

describe("formatMoney", () => {
  test("formats euros in Spanish with a comma and the sign after", () => {
    expect(formatMoney(1999, "EUR", "es-ES")).toBe(`19,99${NBSP}€`);
    expect(formatMoney(12345678, "EUR", "es-ES")).toBe(`123.456,78${NBSP}€`);
  });

  test("formats euros in English with the sign before", () => {
    expect(formatMoney(1999, "EUR", "en")).toBe("€19.99");
    expect(formatMoney(-250, "EUR", "en")).toBe("-€2.50");
    expect(formatMoney(5, "EUR", "en")).toBe("€0.05");
  });

  test("uses each currency's own decimals", () => {
    expect(formatMoney(1500, "JPY", "en")).toBe("¥1,500");
    expect(formatMoney(1500, "KWD", "en")).toBe(`KWD${NBSP}1.500`);
  });

  test("keeps every digit of amounts beyond a float's precision", () => {
    expect(minorToDecimal(9007199254740993n, "EUR")).toBe("90071992547409.93");
    expect(formatMoney(9007199254740993n, "EUR", "en")).toBe("€90,071,992,547,409.93");
  });

  test("shows a dash for a missing amount", () => {
    expect(formatMoney(null, "EUR", "en")).toBe("—");
  });
});

describe("parseMoney", () => {
  test.each([
    ["19,99", 1999], ["19.99", 1999], ["12,5", 1250], ["7", 700], ["-3", -300],
    ["1.234,56", 123456], ["1,234.56", 123456], ["1.234", 123400], ["1.234.567", 123456700],
    [" 1 234,50 ", 123450],
  ])("reads %j as %i cents", (text, minor) => {
    expect(parseMoney(text, "EUR")).toBe(minor);
  });

  test.each(["", "abc", "1,2,3.4.5", "19.9999", "1.23.4", "12,"])("refuses %j", (text) => {
    expect(parseMoney(text, "EUR")).toBeNull();
  });

  test("reads whole yen and refuses yen decimals", () => {
    expect(parseMoney("1500", "JPY")).toBe(1500);
    expect(parseMoney("15,5", "JPY")).toBeNull();
  });
});

test("formatPercent signs a change", () => {
  expect(formatPercent(0.125, "en", true)).toBe("+12.5%");
  expect(formatPercent(-0.5, "en", true)).toBe("-50%");
  expect(formatPercent(null, "en", true)).toBe("—");
});

describe("decimal strings from the reports", () => {
  test.each([
    ["1234.50", "EUR", 123450], ["0.00", "EUR", 0], ["-12.3", "EUR", -1230], ["7", "EUR", 700],
    ["1500", "JPY", 1500], ["19.900", "EUR", 1990],
  ])("reads %j %s as %i minor units", (text, currency, minor) => {
    expect(decimalToMinor(text, currency)).toBe(minor);
  });

  test.each(["", "1,50", "12.345", "abc", "1e3"])("refuses %j", (text) => {
    expect(decimalToMinor(text, "EUR")).toBeNull();
  });

  test("formats the exact string with Intl, in the chosen locale", () => {
    expect(formatDecimalMoney("1234.50", "EUR", "en")).toBe("€1,234.50");
    expect(formatDecimalMoney("1234.50", "EUR", "es-ES")).toBe("1234,50\u00a0€");
    expect(formatDecimalMoney("90071992547409.93", "EUR", "en")).toBe("€90,071,992,547,409.93");
    expect(formatDecimalMoney(null, "EUR", "en")).toBe("—");
  });
});
