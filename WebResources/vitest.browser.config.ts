import { defineConfig } from "vitest/config";

// Browser scenarios: node drives Debian's chromium through playwright-core against the built dist/ (see package.json
// "test:browser", which builds first). One chromium at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.browser.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
