import { defineConfig } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

// PGlite is an optional dependency (tsup bundles those by default): it stays a separate package, loaded only
// when the broker runs on its embedded database.
export default defineConfig({ ...baseConfig, entry: ["src/index.ts"], external: ["@electric-sql/pglite"] });
