#!/usr/bin/env node
// Publishing checks of every publishable package (packages/* and integrations/*, private ones skipped): publint
// (--strict: warnings fail too) and @arethetypeswrong/cli on the packed tarball with the strict profile: every
// package ships ES modules and CommonJS (tooling/tsup.base.ts), so `import`, `require()` and the node10
// resolution must all find code and types of their own format. And a README.md with a title, install, a runnable
// example and the API or commands (scripts/lib/readme-check.mjs). Build first.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readmeProblems } from "./lib/readme-check.mjs";

const run = promisify(execFile);
const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const bin = (name) => join(root, "node_modules", ".bin", name);

function publishable() {
  const dirs = [];
  for (const group of ["packages", "integrations"]) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const manifest = join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.private) continue;
      dirs.push({ dir, name: pkg.name });
    }
  }
  return dirs;
}

async function check({ dir, name }) {
  const problems = readmeProblems(dir).map((problem) => `readme: ${problem}`);
  for (const [tool, args] of [
    ["publint", [bin("publint"), "--strict", dir]],
    ["attw", [bin("attw"), "--pack", dir, "--profile", "strict", "--format", "ascii", "--no-emoji"]],
  ]) {
    try {
      await run(args[0], args.slice(1), { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      problems.push(
        `${tool}:\n${String(error.stdout ?? "").trim()}\n${String(error.stderr ?? "").trim()}`.trim(),
      );
    }
  }
  return { name, problems };
}

const packages = publishable();
const started = Date.now();
const results = [];
const queue = [...packages];
const workers = Array.from({ length: 4 }, async () => {
  for (let next = queue.shift(); next; next = queue.shift()) {
    const result = await check(next);
    console.log(`${result.problems.length ? "✗" : "✓"} ${result.name}`);
    results.push(result);
  }
});
await Promise.all(workers);
const failed = results.filter((result) => result.problems.length);
for (const result of failed) console.error(`\n${result.name}\n${result.problems.join("\n")}`);
console.log(
  `\ncheck:packages: ${packages.length - failed.length}/${packages.length} packages clean (README sections, publint --strict, attw --profile strict) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
);
process.exitCode = failed.length ? 1 : 0;
