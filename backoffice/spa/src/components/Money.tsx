import { formatMoney } from "../lib/money";
import { useLocale } from "../lib/locale";

export function Money({ minor, currency }: { minor: number | null | undefined; currency: string }) {
  const { locale } = useLocale();
  return <span style={{ whiteSpace: "nowrap" }}>{formatMoney(minor, currency, locale)}</span>;
}

export function useMoney(): (minor: number | null | undefined, currency: string) => string {
  const { locale } = useLocale();
  return (minor, currency) => formatMoney(minor, currency, locale);
}
