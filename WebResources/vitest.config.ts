import { defineConfig } from "vitest/config";

// Unit tests: node environment, no DOM (xrm-mock needs none).
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    reporters: ["default"],
  },
});
