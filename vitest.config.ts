import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The pack-install test runs on its own: `npm run test:package` (test/package/vitest.config.ts).
    exclude: [...configDefaults.exclude, "test/package/**"],
    // Type tests (`*.test-d.ts`) are checked by tsc through vitest's typecheck mode.
    typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
