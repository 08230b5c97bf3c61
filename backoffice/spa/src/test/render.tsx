import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, useLocation } from "react-router";

import type { Me } from "../api/models";
import { AuthProvider, ME_KEY } from "../auth/AuthProvider";
import { ROLE_PERMISSIONS } from "./roles";
import { LocaleProvider } from "../lib/locale";

export function staff(role: keyof typeof ROLE_PERMISSIONS): Me {
  return { id: Object.keys(ROLE_PERMISSIONS).indexOf(role) + 1, email: `${role}@tienda.local`, name: role, role, permissions: [...ROLE_PERMISSIONS[role]] };
}

let location = "";

function LocationProbe() {
  const here = useLocation();
  location = `${here.pathname}${here.search}`;
  return null;
}

/** The current router location of the last render (path + query string). */
export function currentLocation(): string {
  return location;
}

export function renderApp(ui: ReactElement, { me = staff("admin"), route = "/" }:
  { me?: Me | null; route?: string } = {}) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
  client.setQueryData(ME_KEY, me);
  return {
    client,
    ...render(
      <MantineProvider>
        <QueryClientProvider client={client}>
          <LocaleProvider locale="en">
            <MemoryRouter initialEntries={[route]}>
              <AuthProvider>
                {ui}
                <LocationProbe />
              </AuthProvider>
            </MemoryRouter>
          </LocaleProvider>
        </QueryClientProvider>
      </MantineProvider>,
    ),
  };
}
