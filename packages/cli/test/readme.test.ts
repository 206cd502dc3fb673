import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

/** The ```js block after `<!-- runnable example: NAME -->` in a README. */
function example(readme: string, name: string): string {
  const text = readFileSync(join(root, readme), "utf8");
  const marker = text.indexOf(`<!-- runnable example: ${name} -->`);
  if (marker < 0) throw new Error(`${readme} has no runnable example "${name}"`);
  const match = /```js\n([\s\S]*?)```/.exec(text.slice(marker));
  if (!match) throw new Error(`${readme}: the example "${name}" has no js block`);
  return match[1]!;
}

/** Runs a README example as a module of this package, which depends on every @msint package it imports. */
async function runExample(readme: string, name: string): Promise<string> {
  const file = join(here, `.readme-${name}-${process.pid}.mjs`);
  writeFileSync(file, example(readme, name));
  try {
    const { stdout } = await run(process.execPath, [file], { cwd: here, timeout: 90_000 });
    return stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

describe("README examples run as written", () => {
  it("integration-kit: connect() runs commands, the API and the credential against the emulator", async () => {
    const out = await runExample("packages/integration-kit/README.md", "connect");
    expect(out).toContain("✅ Success!");
    expect(out).toContain("All Graph Users");
    expect(out).toMatch(/first user: \S/);
    expect(out).toMatch(/token valid until \d{4}-\d{2}-\d{2}T/);
  }, 120_000);

  it("auth-core: toTokenCredential over a TokenProvider serves the second call from the cache", async () => {
    const out = await runExample("packages/auth-core/README.md", "credential");
    expect(out.trim()).toBe("second call served from the cache");
  }, 120_000);
});
