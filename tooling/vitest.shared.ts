import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { propertySeed, usesPropertyTests } from "./property-seed.js";

const { seed, origin } = propertySeed();
const properties = usesPropertyTests(process.cwd());
if (properties) {
  process.stdout.write(
    `fast-check seed ${seed} (${origin}); replay a failure with MSINT_PROPERTY_SEED=${seed}, explore with MSINT_PROPERTY_SEED=random\n`,
  );
}

/**
 * Shared vitest settings: node environment, generous timeouts for tests that spawn processes on a loaded 2-core
 * machine, and one reproducible seed for every fast-check property.
 */
export const sharedTestConfig = defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    env: { MSINT_PROPERTY_SEED_RESOLVED: String(seed) },
    setupFiles: properties ? [fileURLToPath(new URL("./vitest.property-setup.ts", import.meta.url))] : [],
  },
});
