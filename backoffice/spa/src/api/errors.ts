/** What the API refused, in a shape forms and toasts can use directly. */

export interface FieldIssue {
  loc: (string | number)[];
  msg: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  /** Field path (as Mantine form paths: `variants.0.sku`) → message, from a 422. */
  readonly fieldErrors: Record<string, string>;

  constructor(status: number, detail: string, fieldErrors: Record<string, string> = {}) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }
}

// Where a validation error points (`loc`): the first element names the part of the request.
const REQUEST_PARTS = new Set(["body", "query", "path", "header", "cookie", "form"]);

/** `["body", "variants", 0, "sku"]` → `variants.0.sku`; `["query", "page"]` → `page`. */
export function fieldPath(loc: (string | number)[]): string {
  const parts = loc.length > 1 && REQUEST_PARTS.has(String(loc[0])) ? loc.slice(1) : loc;
  return parts.map(String).join(".");
}

export function fieldErrorsOf(issues: FieldIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = fieldPath(issue.loc);
    if (path && !(path in errors)) errors[path] = issue.msg;
  }
  return errors;
}

function isIssueList(value: unknown): value is FieldIssue[] {
  return Array.isArray(value) && value.every(
    (item) => typeof item === "object" && item !== null && "loc" in item && "msg" in item);
}

function summary(issues: FieldIssue[]): string {
  return issues.map((i) => `${fieldPath(i.loc) || "request"}: ${i.msg}`).join("; ");
}

/** Build the error from a response's status and parsed JSON body (or text when not JSON). */
export function apiErrorFrom(status: number, body: unknown, statusText = ""): ApiError {
  const record = (typeof body === "object" && body !== null ? body : {}) as {
    detail?: unknown; errors?: unknown;
  };
  const issues = isIssueList(record.errors) ? record.errors
    : isIssueList(record.detail) ? record.detail : [];
  let detail = typeof record.detail === "string" ? record.detail
    : typeof body === "string" && body.trim() ? body.trim()
      : issues.length ? summary(issues) : "";
  if (!detail) detail = statusText || `The server answered ${status}`;
  return new ApiError(status, detail, fieldErrorsOf(issues));
}

/** Split the field errors into those a form shows next to its inputs and the rest. */
export function splitFieldErrors(error: ApiError, formFields: string[]):
  { known: Record<string, string>; other: string[] } {
  const known: Record<string, string> = {};
  const other: string[] = [];
  for (const [path, msg] of Object.entries(error.fieldErrors)) {
    if (formFields.some((f) => path === f || path.startsWith(`${f}.`))) known[path] = msg;
    else other.push(`${path}: ${msg}`);
  }
  return { known, other };
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
