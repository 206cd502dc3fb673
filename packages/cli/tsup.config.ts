import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";
import { writeCliRegistry } from "../../scripts/lib/cli-registry.mjs";
import { baseConfig } from "../../tooling/tsup.base.js";

/** Third-party packages the executable loads from node_modules, each where it is needed. */
const THIRD_PARTY = [
  "@azure/msal-node",
  "@azure/identity",
  "@azure/core-auth",
  "@electric-sql/pglite",
  "commander",
  "node-forge",
  // Optional parts of the PostgreSQL driver that msint never uses (libpq bindings, Cloudflare sockets).
  "pg-native",
  "pg-cloudflare",
];

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

/**
 * The executable is bundled from the TypeScript sources of the workspace packages, not from their builds: it
 * needs no other package built first, so `pnpm start` builds this one bundle (seconds) instead of 43 packages
 * with their type declarations (minutes).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
// The built-in integrations are whatever integrations/* holds now: refresh src/integrations.generated.ts.
writeCliRegistry(root);
const sources = new Map<string, string>();
for (const folder of ["packages", "integrations"]) {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const manifest = join(root, folder, entry.name, "package.json");
    const index = join(root, folder, entry.name, "src", "index.ts");
    if (!entry.isDirectory() || !existsSync(manifest) || !existsSync(index)) continue;
    sources.set((JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name, index);
  }
}
/** The built-in integrations: their ids, and the entries of their bundles (`dist/integrations/<id>.cjs`). */
const integrationIds = readdirSync(join(root, "integrations"), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(root, "integrations", entry.name, "src", "index.ts")),
  )
  .map((entry) => entry.name);
const integrationPackages = new Set(integrationIds.map((id) => `@msint/${id}`));

/**
 * In cli.cjs, `import("@msint/<integration>")` loads the integration's own bundle (src/integration-bundles.ts)
 * instead of inlining all of them: a command reads and compiles one integration.
 */
const integrationBundles: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "integration-bundles",
  setup(build) {
    build.onResolve({ filter: /^@msint\/[a-z0-9-]+$/ }, (args) =>
      integrationPackages.has(args.path)
        ? { path: args.path.slice("@msint/".length), namespace: "msint-integration" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "msint-integration" }, (args) => ({
      contents:
        `import { requireIntegrationBundle } from ${JSON.stringify(join(root, "packages/cli/src/integration-bundles.ts"))};\n` +
        `export default requireIntegrationBundle(${JSON.stringify(args.path)}).default;\n`,
      loader: "ts",
      resolveDir: join(root, "packages/cli/src"),
    }));
  },
};

/** In an integration's bundle, the kit is the one cli.cjs registered (src/integration-bundles.ts). */
const sharedKit: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "shared-kit",
  setup(build) {
    build.onResolve({ filter: /^@msint\/integration-kit$/ }, () => ({
      path: "kit",
      namespace: "msint-shared",
    }));
    build.onLoad({ filter: /.*/, namespace: "msint-shared" }, () => ({
      contents:
        'module.exports = globalThis[Symbol.for("msint.cli.shared-modules")]["@msint/integration-kit"];\n',
      loader: "js",
    }));
  },
};

/**
 * msint's bundle of pg only ever runs on Node, and a command opens one connection and exits, so two of pg's
 * portable paths cost it time for nothing; the build fails if pg changes them, rather than silently losing this.
 * - When it loads, pg asks whether it runs in a Cloudflare Worker; on Node 20 (no `navigator`) its check
 *   constructs a `Response`, which loads Node's whole fetch implementation (undici): about 25 ms. Answered "no".
 * - Its SCRAM-SHA-256 sign-in derives and signs keys through WebCrypto (async, first use initialises it): 4–6 ms
 *   where node:crypto's PBKDF2 and HMAC take about 1 ms. The same computations (RFC 5802/7677: PBKDF2-HMAC-SHA-256
 *   with the server's salt and iteration count, HMAC-SHA-256, SHA-256) through node:crypto.
 */
const nodeOnlyPg: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "pg-node-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const patched = source.replace(/function isCloudflareRuntime\(\) \{/, "$& return false;");
      if (patched === source)
        throw new Error(`pg-node-only: isCloudflareRuntime() not found in ${args.path}`);
      return { contents: patched, loader: "js" };
    });
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]crypto[\\/]utils\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      for (const name of ["deriveKey", "sha256", "hmacSha256"]) {
        if (!new RegExp(`async function ${name}\\(`).test(source) || !source.includes("module.exports = {"))
          throw new Error(`pg-node-only: ${name}() not found in ${args.path}`);
      }
      const nodeCrypto = [
        "const msintCrypto = require('crypto')",
        "module.exports.deriveKey = async (password, salt, iterations) => msintCrypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256')",
        "module.exports.sha256 = async (data) => msintCrypto.createHash('sha256').update(Buffer.from(data)).digest()",
        "module.exports.hmacSha256 = async (key, message) => msintCrypto.createHmac('sha256', Buffer.from(key)).update(message).digest()",
      ].join("\n");
      return { contents: `${source}\n${nodeCrypto}\n`, loader: "js" };
    });
  },
};

const workspaceSources: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "workspace-sources",
  setup(build) {
    build.onResolve({ filter: /^@msint\/[a-z0-9-]+$/ }, (args) => {
      const path = sources.get(args.path);
      return path ? { path } : undefined;
    });
    // The plumbing subpath of auth-core: its src/internal.ts, which shares every module with src/index.ts.
    build.onResolve({ filter: /^@msint\/auth-core\/internal$/ }, () => {
      const index = sources.get("@msint/auth-core");
      return index ? { path: join(index, "..", "internal.ts") } : undefined;
    });
  },
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

/**
 * The library (`import { main } from "@msint/cli"`): ES modules with the @msint packages inlined (they are
 * development dependencies: the published CLI installs no other @msint package).
 */
const library: Options = {
  ...baseConfig,
  entry: ["src/index.ts"],
  clean: false,
  define: { __MSINT_VERSION__: JSON.stringify(version) },
};

// The executable: the launcher, and the whole CLI as one CommonJS file with every @msint package inlined:
// one file to read and compile (from a V8 code cache, see src/launcher.ts), no ES-module loader, no module
// resolution on the hot path. The emulator, which only `msint emulator` and `msint demo` start and which
// shares no code with the rest, is a bundle of its own, required from cli.cjs when one of them runs.
const executables: Options[] = [
  {
    ...executable,
    entry: { msint: "src/launcher.ts", cli: "src/bin.ts" },
    noExternal: [/^@msint\//],
    esbuildPlugins: [
      {
        // Code that only some commands run is a file of its own, required when one of them runs, so that the
        // hot path (a cached `msint run`) reads, hashes and deserializes less.
        name: "separate-bundles",
        setup(build) {
          build.onResolve({ filter: /^@msint\/entra-emulator$/ }, () => ({
            path: "./emulator.cjs",
            external: true,
          }));
          build.onResolve({ filter: /^pg$/ }, () => ({ path: "./pg.cjs", external: true }));
          build.onResolve({ filter: /^@msint\/token-broker$/ }, () => ({
            path: "./broker.cjs",
            external: true,
          }));
        },
      },
      integrationBundles,
      workspaceSources,
    ],
  },
  {
    // One bundle per built-in integration, over the kit of cli.cjs.
    ...executable,
    entry: Object.fromEntries(
      integrationIds.map((id) => [`integrations/${id}`, join(root, "integrations", id, "src", "index.ts")]),
    ),
    noExternal: [/^@msint\//],
    esbuildPlugins: [sharedKit, workspaceSources],
  },
  {
    // The token broker, for `msint broker start` only. It has its own copy of auth-core: its errors and the
    // process-wide logger and redactor are recognised across copies (docs/architecture.md).
    ...executable,
    entry: { broker: "src/broker-bundle.ts" },
    noExternal: [/^@msint\//],
    esbuildPlugins: [
      {
        name: "broker-pg",
        setup(build) {
          build.onResolve({ filter: /^pg$/ }, () => ({ path: "./pg.cjs", external: true }));
        },
      },
      workspaceSources,
    ],
  },
  {
    ...executable,
    entry: { emulator: "src/emulator.ts" },
    noExternal: ["@msint/entra-emulator"],
    esbuildPlugins: [workspaceSources],
  },
  {
    // The PostgreSQL driver (pg and its small pure-JS dependencies, about 120 KB) for postgres:// stores and the
    // broker's PostgreSQL database: a CommonJS bundle whose module.exports is pg's own.
    ...executable,
    entry: { pg: createRequire(import.meta.url).resolve("pg") },
    noExternal: [/^pg(-[a-z]+)?$/, /^postgres-/, "xtend", "split2", "pgpass"],
    esbuildPlugins: [nodeOnlyPg],
  },
];

// MSINT_EXECUTABLE_ONLY=1 (pnpm start): the executable alone, which needs no other package built.
export default defineConfig(process.env["MSINT_EXECUTABLE_ONLY"] ? executables : [library, ...executables]);
