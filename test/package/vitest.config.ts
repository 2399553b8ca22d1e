import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:package`: the pack-install test alone. It is kept out of `npm test` because it
 * rebuilds dist/, needs the npm registry (the tarball's dependencies, Node 22 and 24) and
 * takes about a minute.
 */
export default defineConfig({
  root: path.resolve(import.meta.dirname, "../.."),
  test: {
    include: ["test/package/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
