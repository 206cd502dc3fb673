import { defineConfig } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

// The child scripts are entries of their own: a cold process must load only what it measures.
export default defineConfig({
  ...baseConfig,
  // Private and run as files: ES modules only.
  format: ["esm"],
  dts: false,
  entry: ["src/run.ts", "src/load-worker.ts", "src/scripts/identity-token.ts", "src/scripts/msal-token.ts"],
});
