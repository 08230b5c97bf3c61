import { formatDateTime } from "../lib/dates";
import { useLocale } from "../lib/locale";

export function DateTime({ value }: { value: string | null | undefined }) {
  const { locale } = useLocale();
  return <span style={{ whiteSpace: "nowrap" }}>{formatDateTime(value, locale)}</span>;
}
