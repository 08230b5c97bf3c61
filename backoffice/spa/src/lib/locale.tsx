import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

import type { Locale } from "./money";

const STORAGE_KEY = "tienda.backoffice.locale";

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: "es-ES", setLocale: () => {} });

export function initialLocale(): Locale {
  const stored = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored === "es-ES" || stored === "en") return stored;
  const browser = typeof navigator !== "undefined" ? navigator.language : "es";
  return browser.toLowerCase().startsWith("en") ? "en" : "es-ES";
}

export function LocaleProvider({ children, locale: fixed }: {
  children: ReactNode; locale?: Locale;
}) {
  const [locale, setState] = useState<Locale>(fixed ?? initialLocale);
  const value = useMemo(() => ({
    locale,
    setLocale: (next: Locale) => {
      localStorage.setItem(STORAGE_KEY, next);
      setState(next);
    },
  }), [locale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}
