import { defineConfig } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/postgres.ts"] });
