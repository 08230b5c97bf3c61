import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";

import { App } from "./App";
import { AuthProvider } from "./auth/AuthProvider";
import { LocaleProvider } from "./lib/locale";
import { makeQueryClient } from "./queryClient";
import { theme } from "./theme";

const queryClient = makeQueryClient();
// The server puts the request's CSP nonce here (backoffice/spa_views.py); Mantine's <style>
// elements need it under the backoffice's Content-Security-Policy.
const cspNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? "";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <MantineProvider theme={theme} getStyleNonce={() => cspNonce}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <LocaleProvider>
          <BrowserRouter>
            <AuthProvider>
              <App />
            </AuthProvider>
          </BrowserRouter>
        </LocaleProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
