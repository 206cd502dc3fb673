import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The seed every fast-check property of a test run uses, so that a failure in CI can be replayed exactly.
 *
 * - `MSINT_PROPERTY_SEED=<integer>`: that seed (the replay of a failure: copy the seed the run printed).
 * - `MSINT_PROPERTY_SEED=random`: a fresh seed each run, for exploring locally; it is printed too.
 * - unset: a seed derived from the commit being tested (`git rev-parse HEAD`), the same on every run of that
 *   commit, on every machine; a new commit explores new cases.
 */
export function propertySeed(env: NodeJS.ProcessEnv = process.env): { seed: number; origin: string } {
  const setting = env["MSINT_PROPERTY_SEED"]?.trim();
  if (setting && setting !== "random") {
    const seed = Number(setting);
    if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) {
      throw new Error(
        `MSINT_PROPERTY_SEED must be a 32-bit integer (as printed by a failing run) or "random", not "${setting}".`,
      );
    }
    return { seed, origin: "MSINT_PROPERTY_SEED" };
  }
  if (setting === "random") {
    return { seed: (Math.random() * 2 ** 32) | 0, origin: "random (MSINT_PROPERTY_SEED=random)" };
  }
  const commit = headCommit();
  // The first 8 hex digits of the commit as a signed 32-bit integer, fast-check's seed range.
  return commit
    ? { seed: Number.parseInt(commit.slice(0, 8), 16) | 0, origin: `commit ${commit.slice(0, 12)}` }
    : { seed: 0x6d73696e | 0, origin: "fixed (no git checkout)" };
}

function headCommit(): string | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    }).trim();
    return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the package in `directory` has tests that use fast-check (so that only those runs print the seed). */
export function usesPropertyTests(directory: string): boolean {
  const visit = (folder: string): boolean => {
    if (!existsSync(folder)) return false;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && visit(path)) return true;
      } else if (/\.test\.ts$/.test(entry.name) && readFileSync(path, "utf8").includes('from "fast-check"')) {
        return true;
      }
    }
    return false;
  };
  return visit(join(directory, "src")) || visit(join(directory, "test"));
}
