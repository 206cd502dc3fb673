/**
 * Third-party integrations: installed npm packages that plug into `msint`. Looked for only when an integration id
 * is not built in, and by the listings (`msint integrations`, help, completion); a command of a built-in
 * integration never gets here, so the hot path reads no directory.
 *
 * The contract (README "Third-party integrations"): a package whose package.json has
 * `"msint": { "integration": true, "id": "<manifest id>" }` (or, as every @msint integration has, the keyword
 * `msint-integration`), whose `require()` entry point exports an integration made by `defineIntegration` of
 * `@msint/integration-kit` as its default export. `id` lets msint find it without loading the others.
 *
 * Where (first found wins, built-in ids always win): the folders of `MSINT_INTEGRATIONS_PATH` (a package folder or
 * a node_modules folder, separated like PATH), the node_modules folders of the working directory and its parents,
 * those of the folder msint is installed in and its parents (a global install finds the global packages beside
 * it), and the global prefix of the running Node. `MSINT_DISCOVERY=off` turns it off.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import type { Integration } from "@msint/integration-kit";

export interface DiscoveredPackage {
  /** The npm package name. */
  name: string;
  /** Its folder. */
  dir: string;
  /** The manifest id it declares in package.json (`msint.id`), if any. */
  id?: string;
}

export interface DiscoveryProblem {
  name: string;
  dir: string;
  message: string;
}

interface PackageJson {
  name?: unknown;
  keywords?: unknown;
  msint?: { integration?: unknown; id?: unknown };
}

/** Whether a package.json declares an msint integration. */
export function declaresIntegration(pkg: PackageJson): boolean {
  if (pkg.msint && typeof pkg.msint === "object" && pkg.msint.integration === true) return true;
  return Array.isArray(pkg.keywords) && pkg.keywords.includes("msint-integration");
}

export function discoveryEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !/^(off|0|false|no)$/i.test(env["MSINT_DISCOVERY"] ?? "");
}

/** `dir/node_modules` for dir and each of its parents. */
function nodeModulesUpwards(start: string): string[] {
  const found: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (basename(dir) !== "node_modules") found.push(join(dir, "node_modules"));
    if (dirname(dir) === dir) return found;
  }
}

function realDir(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The folders to look in, in order: node_modules folders, or package folders (from MSINT_INTEGRATIONS_PATH). */
export function searchFolders(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const folders: string[] = [];
  for (const entry of (env["MSINT_INTEGRATIONS_PATH"] ?? "").split(delimiter)) {
    if (entry.trim()) folders.push(resolve(cwd, entry.trim()));
  }
  folders.push(...nodeModulesUpwards(cwd));
  const installed = realDir(process.argv[1]);
  if (installed) folders.push(...nodeModulesUpwards(dirname(installed)));
  const prefix = env["npm_config_prefix"] ?? env["NPM_CONFIG_PREFIX"] ?? dirname(dirname(process.execPath));
  folders.push(
    process.platform === "win32" ? join(prefix, "node_modules") : join(prefix, "lib", "node_modules"),
  );
  const seen = new Set<string>();
  return folders.filter((folder) => {
    const real = realDir(folder);
    if (!real || seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

function readPackage(dir: string): PackageJson | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as unknown;
    return pkg && typeof pkg === "object" ? (pkg as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

function candidate(dir: string, skip: ReadonlySet<string>): DiscoveredPackage | undefined {
  const pkg = readPackage(dir);
  if (!pkg || typeof pkg.name !== "string" || skip.has(pkg.name) || !declaresIntegration(pkg))
    return undefined;
  const id = typeof pkg.msint?.id === "string" ? pkg.msint.id : undefined;
  return { name: pkg.name, dir, ...(id ? { id } : {}) };
}

/** The package folders of one node_modules folder (scoped ones included), skipping the names in `skip`. */
function packagesIn(folder: string, skip: ReadonlySet<string>): DiscoveredPackage[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const found: DiscoveredPackage[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".")) continue;
    const scoped = name.startsWith("@");
    const inner = scoped ? safeList(join(folder, name)).map((child) => `${name}/${child}`) : [name];
    for (const packageName of inner) {
      if (skip.has(packageName)) continue;
      const entry = candidate(join(folder, packageName), skip);
      if (entry) found.push(entry);
    }
  }
  return found;
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/**
 * The installed packages that declare an msint integration, first found first; `skip` holds package names not
 * to read (the built-in ones).
 */
export function findIntegrationPackages(
  skip: ReadonlySet<string> = new Set(),
  folders: readonly string[] = searchFolders(),
): DiscoveredPackage[] {
  const byName = new Map<string, DiscoveredPackage>();
  for (const folder of folders) {
    const own = existsSync(join(folder, "package.json")) ? candidate(folder, skip) : undefined;
    for (const entry of own ? [own] : packagesIn(folder, skip)) {
      if (!byName.has(entry.name)) byName.set(entry.name, entry);
    }
  }
  return [...byName.values()];
}

function isIntegration(value: unknown): value is Integration {
  const manifest = (value as { manifest?: { id?: unknown; commands?: unknown } } | undefined)?.manifest;
  return (
    typeof manifest?.id === "string" &&
    typeof manifest.commands === "object" &&
    typeof (value as Integration).commandNames === "function" &&
    Array.isArray((value as Integration).parameters)
  );
}

/** Loads a discovered package: its default export, which must be an integration. */
export function loadIntegrationPackage(entry: DiscoveredPackage): Integration {
  // node:module only here, when a package is loaded: a cached built-in command never pays for it.
  const { createRequire } = process.getBuiltinModule("node:module");
  const requireFrom = createRequire(join(entry.dir, "package.json"));
  let loaded: unknown;
  try {
    // The folder's entry point: package.json `main` (a CommonJS build, or ES modules without top-level await,
    // which Node ≥ 20.19 can require()).
    loaded = requireFrom(entry.dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(`cannot be loaded: ${reason}`);
  }
  const value = (loaded as { default?: unknown })?.default ?? loaded;
  if (!isIntegration(value)) {
    throw new Error(
      "its default export is not an integration (export default defineIntegration({...}) from @msint/integration-kit).",
    );
  }
  return value;
}
