/** Money is integer minor units plus an ISO 4217 code; it is never a float here either: the
 * amount reaches Intl as an exact decimal string. */

export type Locale = "es-ES" | "en";

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: Locale): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, found);
  }
  return found;
}

/** Digits after the decimal point for a currency: EUR 2, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency })
    .resolvedOptions().maximumFractionDigits ?? 2;
}

/** `1234` minor units of EUR → `"12.34"`; exact for any integer, however large. */
export function minorToDecimal(minor: number | bigint, currency: string): string {
  const digits = minorDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

export function formatMoney(minor: number | bigint | null | undefined, currency: string,
  locale: Locale = "es-ES"): string {
  if (minor === null || minor === undefined) return "—";
  const decimal = minorToDecimal(minor, currency) as Intl.StringNumericLiteral;
  return formatter(currency, locale).format(decimal);
}

/** What a person typed (`12,5`, `12.50`, `1.234,56`, `1,234.56`, `-3`) → minor units; null
 * when it is not an amount with at most the currency's decimals. A lone separator followed by
 * exactly three digits is a thousands separator for currencies with fewer decimals. */
export function parseMoney(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^([-+])?(\d[\d.,]*)$/.exec(text.trim().replace(/[\s\u00a0]/g, ""));
  if (!match || !/\d$/.test(match[2])) return null;
  const [, sign, body] = match;
  const [whole, fraction] = splitDecimal(body, digits);
  if (!/^(\d{1,3}([.,]\d{3})*|\d+)$/.test(whole) || fraction.length > digits) return null;
  if (/[.,]/.test(whole) && new Set(whole.match(/[.,]/g)).size > 1) return null;
  const minor = Number(whole.replace(/[.,]/g, "") + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return null;
  return sign === "-" ? -minor : minor;
}

function splitDecimal(body: string, digits: number): [string, string] {
  const last = Math.max(body.lastIndexOf("."), body.lastIndexOf(","));
  if (last < 0) return [body, ""];
  const separator = body[last];
  const after = body.slice(last + 1);
  const repeated = body.split(separator).length > 2;
  const mixed = body.includes(".") && body.includes(",");
  const grouping = repeated || (!mixed && after.length === 3 && digits < 3);
  return grouping ? [body, ""] : [body.slice(0, last), after];
}

export function formatPercent(fraction: number | null, locale: Locale = "es-ES",
  signed = false): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  return new Intl.NumberFormat(locale, {
    style: "percent", maximumFractionDigits: 1, signDisplay: signed ? "exceptZero" : "auto",
  }).format(fraction);
}

export function formatCount(value: number, locale: Locale = "es-ES"): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** `"1234.50"` (a decimal string in major units, as the reports send money) → minor units
 * (`123450` for EUR), exactly; null when it is not such a string or has too many decimals. */
export function decimalToMinor(decimal: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const extra = fraction.slice(digits);
  if (/[1-9]/.test(extra)) return null;
  const minor = Number(whole + fraction.slice(0, digits).padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return null;
  return sign && minor !== 0 ? -minor : minor;
}

/** A decimal string in major units (`"1234.50"`) shown as money; Intl gets the exact string. */
export function formatDecimalMoney(decimal: string | null | undefined, currency: string,
  locale: Locale = "es-ES"): string {
  if (decimal === null || decimal === undefined || !/^-?\d+(\.\d+)?$/.test(decimal.trim())) return "—";
  return formatter(currency, locale).format(decimal.trim() as Intl.StringNumericLiteral);
}
