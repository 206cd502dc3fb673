import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

/** Third-party packages the executable loads from node_modules, each where it is needed. */
const THIRD_PARTY = [
  "@azure/msal-node",
  "@azure/identity",
  "@azure/core-auth",
  "@electric-sql/pglite",
  "commander",
  "node-forge",
];

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** The executable's CommonJS bundles: minified (less to read and hash), names kept for stack traces. */
const executable: Options = {
  ...baseConfig,
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  dts: false,
  clean: false,
  splitting: false,
  // esbuild's own tree shaking: rollup's would hoist the lazy require() calls to the top of the file.
  treeshake: false,
  external: THIRD_PARTY,
  define: { __MSINT_VERSION__: JSON.stringify(version) },
  esbuildOptions(options) {
    // import() becomes require(): Node 20 cannot run an import() expression compiled from a code cache
    // ("A dynamic import callback was not specified"), and every package required here has a CommonJS build.
    options.supported = { ...options.supported, "dynamic-import": false };
    options.minifyWhitespace = true;
    options.minifySyntax = true;
  },
};

export default defineConfig([
  // The library (`import { main } from "@msint/cli"`): ES modules over the other @msint packages.
  {
    ...baseConfig,
    entry: ["src/index.ts"],
    clean: false,
    define: { __MSINT_VERSION__: JSON.stringify(version) },
  },
  // The executable: the launcher, and the whole CLI as one CommonJS file with every @msint package inlined:
  // one file to read and compile (from a V8 code cache, see src/launcher.ts), no ES-module loader, no module
  // resolution on the hot path. The emulator, which only `msint emulator` and `msint demo` start and which
  // shares no code with the rest, is a bundle of its own, required from cli.cjs when one of them runs.
  {
    ...executable,
    entry: { msint: "src/launcher.ts", cli: "src/bin.ts" },
    noExternal: [/^@msint\//],
    esbuildPlugins: [
      {
        name: "emulator-bundle",
        setup(build) {
          build.onResolve({ filter: /^@msint\/entra-emulator$/ }, () => ({
            path: "./emulator.cjs",
            external: true,
          }));
        },
      },
    ],
  },
  { ...executable, entry: { emulator: "src/emulator.ts" }, noExternal: ["@msint/entra-emulator"] },
]);
