/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The backoffice deployment (gunicorn of shop.settings.backoffice) serves the built files from
// dist/ at "/" next to /api/ and /admin/, so the SPA and the API share one origin. `npm run dev`
// keeps that: Vite's dev server forwards the API and the admin to the local backoffice.
const BACKOFFICE = process.env.TIENDA_BACKOFFICE_URL || "http://127.0.0.1:8001";

export default defineConfig({
  plugins: [react()],
  base: "/",
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": { target: BACKOFFICE },
      "/admin": { target: BACKOFFICE },
      "/static": { target: BACKOFFICE },
    },
  },
  html: {
    // Every <script>/<style> Vite writes carries this placeholder, and a
    // <meta property="csp-nonce"> holds it: the Django view that serves index.html puts the
    // request's CSP nonce in its place (backoffice/spa_views.py), Mantine reads it from there.
    cspNonce: "CSP_NONCE_PLACEHOLDER",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // Mantine renders slowly in jsdom on a small machine; no test waits on time.
    testTimeout: 20_000,
  },
});
