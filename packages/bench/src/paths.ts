import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The @msint/bench package directory, found from this module (works from src/ under vitest and from dist/). */
export function benchDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "@msint/bench")
      return dir;
    dir = dirname(dir);
  }
  throw new Error("Cannot find the @msint/bench package directory.");
}

/** The monorepo root (where bench/results.json goes). */
export function repoRoot(): string {
  return join(benchDir(), "..", "..");
}

/** The built `msint` executable script of @msint/cli. */
export function msintBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@msint/cli/package.json")), "dist", "msint.cjs");
}

/** A built child script of this package (`dist/scripts/<name>.js`). */
export function scriptPath(name: "identity-token" | "msal-token"): string {
  const file = join(benchDir(), "dist", "scripts", `${name}.js`);
  if (!existsSync(file))
    throw new Error(`${file} is missing: build @msint/bench first (pnpm bench builds it).`);
  return file;
}

/** The built load-generator worker. */
export function workerPath(): string {
  const file = join(benchDir(), "dist", "load-worker.js");
  if (!existsSync(file))
    throw new Error(`${file} is missing: build @msint/bench first (pnpm bench builds it).`);
  return file;
}
