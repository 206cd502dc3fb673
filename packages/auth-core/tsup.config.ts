import { defineConfig } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

// "." is the public API; "./internal" the plumbing the other msint packages share (see src/internal.ts).
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/internal.ts"] });
