/** Put an API refusal on a form: 422 field errors next to their inputs, the rest (and any
 * `detail`) in the form's banner. */
import { ApiError, messageOf, splitFieldErrors } from "../api/errors";

export interface ErrorTarget {
  setErrors: (errors: Record<string, string>) => void;
}

/** Returns the banner text: what no input on the form can show. */
export function applyApiError(form: ErrorTarget, error: unknown, fields: string[]): string | null {
  if (!(error instanceof ApiError)) return messageOf(error);
  const { known, other } = splitFieldErrors(error, fields);
  form.setErrors(known);
  if (Object.keys(known).length && !other.length) return null;
  if (other.length && Object.keys(error.fieldErrors).length) return other.join("; ");
  return error.detail;
}
