// The files every integration package shares (package.json, build and test configuration, changelog), and the
// two places a new integration is registered (the CLI's dependencies and its registry). Used by
// scripts/new-integration.mjs and so by `pnpm gen integration`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The seed table's words for the six flow columns, in the table's order. */
export const FLOW_COLUMNS = [
  "xsoarApp",
  "clientCredentials",
  "deviceCode",
  "authorizationCode",
  "managedIdentities",
  "nationalClouds",
];

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Parses the six flow cells ("yes, yes - device, no, no - saas …", comma-separated, in the table's column order)
 * into manifest flows.
 */
export function parseFlows(text) {
  const cells = String(text)
    .split(",")
    .map((cell) => cell.trim().toLowerCase().replace(/\s+/g, " "));
  if (cells.length !== 6) {
    throw new Error(
      `--flows needs six comma-separated cells (XSOAR Application, Client Credentials, Device Code, Auth code, Azure Managed Identities, Supports National Clouds), got ${cells.length}.`,
    );
  }
  const yesNo = (cell, column) => {
    if (cell === "yes" || cell === "true") return true;
    if (cell === "no" || cell === "false") return false;
    throw new Error(`--flows: ${column} must be yes or no, got "${cell}".`);
  };
  const [xsoar, cc, dc, ac, mi, clouds] = cells;
  let xsoarApp;
  if (xsoar === "yes" || xsoar === "true") xsoarApp = "yes";
  else if (xsoar === "yes - device" || xsoar === "device") xsoarApp = "device";
  else if (xsoar === "no" || xsoar === "false") xsoarApp = false;
  else throw new Error(`--flows: XSOAR Application must be yes, yes - device or no, got "${xsoar}".`);
  let managedIdentities;
  if (mi === "no - saas" || mi === "saas") managedIdentities = "saas";
  else managedIdentities = yesNo(mi, "Azure Managed Identities");
  return {
    xsoarApp,
    clientCredentials: yesNo(cc, "Client Credentials"),
    deviceCode: yesNo(dc, "Device Code"),
    authorizationCode: yesNo(ac, "Auth code"),
    managedIdentities,
    nationalClouds: yesNo(clouds, "Supports National Clouds"),
  };
}

export function checkId(id, what = "--id") {
  if (!ID_PATTERN.test(String(id ?? ""))) {
    throw new Error(`${what} must be a lower-case slug such as msgraph-user, got "${id}".`);
  }
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** package.json of an integration, shaped like integrations/msgraph-user's. */
export function packageJson({ id, displayName, keywords = [] }) {
  return {
    name: `@msint/${id}`,
    // 0.0.0 until its first changeset: `changeset version` makes the first release 0.1.0 and writes the changelog.
    version: "0.0.0",
    description: `${displayName} integration for msint`,
    type: "module",
    license: "MIT",
    sideEffects: false,
    repository: {
      type: "git",
      url: "git+https://example.invalid/msint.git",
      directory: `integrations/${id}`,
    },
    exports: {
      // ES modules and CommonJS, each with its own declarations (tooling/tsup.base.ts builds both).
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.cts",
    files: ["dist", "README.md", "CHANGELOG.md"],
    engines: { node: ">=20.19" },
    publishConfig: { access: "public" },
    scripts: { build: "tsup", test: "vitest run", typecheck: "tsc --noEmit" },
    dependencies: { "@msint/integration-kit": "workspace:^" },
    devDependencies: { "@msint/integration-testing": "workspace:^" },
    keywords: ["msint-integration", ...keywords.filter((word) => word !== "msint-integration")],
  };
}

const TSCONFIG = `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "outDir": "dist" },
  "include": ["src", "test", "*.ts"]
}
`;

const TSUP = `import { defineConfig } from "tsup";
import { baseConfig } from "../../tooling/tsup.base.js";

export default defineConfig({ ...baseConfig, entry: ["src/index.ts"] });
`;

const vitestConfig = (id) => `import { defineConfig, mergeConfig } from "vitest/config";
import { sharedTestConfig } from "../../tooling/vitest.shared.js";

export default mergeConfig(sharedTestConfig, defineConfig({ test: { name: "@msint/${id}" } }));
`;

const changelog = (id) => `# @msint/${id}
`;

const readmePlaceholder = (id, displayName) => `# @msint/${id}

${displayName} for msint. Run \`pnpm docs\` to generate this README from the manifest.
`;

/**
 * Writes the shared files of `integrations/<id>/` that do not exist yet (never overwrites). Returns the paths
 * written, relative to the repository root.
 */
export function writeBoilerplate(root, { id, displayName, keywords }) {
  checkId(id);
  const dir = join(root, "integrations", id);
  const files = {
    "package.json": () => writeJson(join(dir, "package.json"), packageJson({ id, displayName, keywords })),
    "tsconfig.json": () => writeFileSync(join(dir, "tsconfig.json"), TSCONFIG),
    "tsup.config.ts": () => writeFileSync(join(dir, "tsup.config.ts"), TSUP),
    "vitest.config.ts": () => writeFileSync(join(dir, "vitest.config.ts"), vitestConfig(id)),
    "CHANGELOG.md": () => writeFileSync(join(dir, "CHANGELOG.md"), changelog(id)),
    "README.md": () => writeFileSync(join(dir, "README.md"), readmePlaceholder(id, displayName)),
  };
  mkdirSync(dir, { recursive: true });
  const written = [];
  for (const [name, write] of Object.entries(files)) {
    if (existsSync(join(dir, name))) continue;
    write();
    written.push(`integrations/${id}/${name}`);
  }
  return written;
}

/** Writes a file (creating its folder) unless it exists; returns whether it wrote. */
export function writeIfMissing(path, content) {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return true;
}

/** Adds `@msint/<id>` to the CLI's dependencies and its registry of loaders (idempotent). */
export function registerWithCli(root, id) {
  checkId(id);
  const changed = [];
  const packagePath = join(root, "packages", "cli", "package.json");
  const cliPackage = JSON.parse(readFileSync(packagePath, "utf8"));
  const name = `@msint/${id}`;
  if (!cliPackage.dependencies?.[name]) {
    const dependencies = { ...cliPackage.dependencies, [name]: "workspace:^" };
    cliPackage.dependencies = Object.fromEntries(
      Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
    );
    writeJson(packagePath, cliPackage);
    changed.push("packages/cli/package.json");
  }
  const registryPath = join(root, "packages", "cli", "src", "registry.ts");
  const registry = readFileSync(registryPath, "utf8");
  if (!registry.includes(`import("${name}")`)) {
    const start = registry.indexOf("export const INTEGRATION_LOADERS");
    const open = registry.indexOf("{", start);
    const close = registry.indexOf("\n};", start);
    if (start < 0 || open < 0 || close < 0)
      throw new Error(`Cannot find INTEGRATION_LOADERS in ${registryPath}.`);
    // Entries may span two lines (the formatter wraps long ones): read them whole, add ours, sort by id.
    const entries = [
      ...registry.slice(open + 1, close).matchAll(/"([^"]+)":\s*\(\)\s*=>\s*import\("([^"]+)"\)/g),
    ].map((match) => ({ id: match[1], module: match[2] }));
    entries.push({ id, module: name });
    entries.sort((a, b) => a.id.localeCompare(b.id));
    // One line each, wrapped the way Biome wraps lines longer than 110 characters.
    const lines = entries.map(({ id: entryId, module }) => {
      const line = `  "${entryId}": () => import("${module}"),`;
      return line.length > 110 ? `  "${entryId}": () =>\n    import("${module}"),` : line;
    });
    writeFileSync(
      registryPath,
      `${registry.slice(0, open + 1)}\n${lines.join("\n")}${registry.slice(close)}`,
    );
    changed.push("packages/cli/src/registry.ts");
  }
  return changed;
}
