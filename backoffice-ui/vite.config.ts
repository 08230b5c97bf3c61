/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: 8002, strictPort: true },
  preview: { host: "127.0.0.1", port: 8002, strictPort: true },
  build: {
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
