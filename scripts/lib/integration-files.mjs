// The files every integration package shares (package.json, build and test configuration, changelog), and the
// two places a new integration is registered (the CLI's dependencies and its registry). Used by
// scripts/new-integration.mjs and so by `pnpm gen integration`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI_REGISTRY_PATH, writeCliRegistry } from "./cli-registry.mjs";
import { addImporterLink, addWorkspaceImporter, removedKeys } from "./lockfile.mjs";

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
    // What `msint` looks for in an installed package (packages/cli/README.md, "Third-party integrations").
    msint: { integration: true, id },
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

/**
 * Builds `@msint/<id>` into the msint CLI: a development dependency of packages/cli (the executable inlines the
 * integrations it ships; the published CLI installs no other @msint package), its link in pnpm-lock.yaml, and the
 * generated registry. Idempotent; returns the files changed.
 */
export function registerWithCli(root, id) {
  checkId(id);
  const changed = [];
  const packagePath = join(root, "packages", "cli", "package.json");
  const cliPackage = JSON.parse(readFileSync(packagePath, "utf8"));
  const name = `@msint/${id}`;
  if (!cliPackage.devDependencies?.[name] && !cliPackage.dependencies?.[name]) {
    const devDependencies = { ...cliPackage.devDependencies, [name]: "workspace:^" };
    cliPackage.devDependencies = Object.fromEntries(
      Object.entries(devDependencies).sort(([a], [b]) => a.localeCompare(b)),
    );
    writeJson(packagePath, cliPackage);
    changed.push("packages/cli/package.json");
  }
  if (writeCliRegistry(root)) changed.push(CLI_REGISTRY_PATH);
  return changed;
}

/**
 * Adds the new package's importer and the CLI's link to it to pnpm-lock.yaml, without resolving anything (its
 * dependencies are workspace packages). Returns the files changed.
 */
export function registerInLockfile(root, id, { dependencies, devDependencies }) {
  const path = join(root, "pnpm-lock.yaml");
  if (!existsSync(path)) return [];
  const before = readFileSync(path, "utf8");
  const links = (deps) =>
    Object.fromEntries(
      Object.keys(deps ?? {})
        .filter((dep) => deps[dep].startsWith("workspace:"))
        .map((dep) => [dep, workspaceLink(root, dep)]),
    );
  let text = addWorkspaceImporter(before, `integrations/${id}`, {
    dependencies: links(dependencies),
    devDependencies: links(devDependencies),
  });
  text = addImporterLink(text, "packages/cli", "devDependencies", `@msint/${id}`, `../../integrations/${id}`);
  const removed = removedKeys(before, text);
  if (removed.length)
    throw new Error(`Refusing to write pnpm-lock.yaml: the edit would remove ${removed[0]}.`);
  if (text === before) return [];
  writeFileSync(path, text);
  return ["pnpm-lock.yaml"];
}

/** `../../packages/<folder>` for a workspace package name, as the lockfile links it from integrations/<id>. */
function workspaceLink(root, name) {
  for (const group of ["packages", "integrations"]) {
    const folder = name.replace(/^@msint\//, "");
    const manifest = join(root, group, folder, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === name)
      return `../../${group}/${folder}`;
  }
  throw new Error(`${name} is not a package of this workspace.`);
}
