import { spawnSync } from "node:child_process";
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli, tempHome } from "./helpers.js";

/** Node ≥ 22 uses module.enableCompileCache (a tree of Node's own files); Node 20 the launcher's cli-*.v8. */
const NODE_MAJOR = Number(process.versions.node.split(".")[0]);
const OWN_CACHE = NODE_MAJOR < 22;

let home: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ home, cleanup } = await tempHome());
});
afterAll(async () => {
  await cleanup();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `msint integrations --json` with the code cache in `cache` (and XDG_CACHE_HOME elsewhere, to see leaks). */
function listIntegrations(cache: string, extra: Record<string, string> = {}) {
  return runCli(["integrations", "--json"], {
    MSINT_HOME: join(home, "msint"),
    MSINT_CODE_CACHE: cache,
    XDG_CACHE_HOME: join(home, "xdg"),
    ...extra,
  });
}

describe("the msint executable's code cache", () => {
  it("is written on the first run into a private directory, and a later run answers the same from it", async () => {
    const cache = join(home, "cache-first");
    const first = await listIntegrations(cache);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toHaveLength(37);
    expect((await stat(cache)).mode & 0o777).toBe(0o700);
    const files = await filesUnder(cache);
    expect(files.length).toBeGreaterThan(0);
    if (OWN_CACHE) {
      expect(files.map((file) => file.slice(cache.length + 1))).toEqual([
        expect.stringMatching(/^cli-[0-9a-f]{32}-integrations\.v8$/),
      ]);
      expect((await stat(files[0]!)).mode & 0o777).toBe(0o600);
    }
    const before = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));

    const second = await listIntegrations(cache);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs))).toEqual(before);
    expect(await filesUnder(join(home, "xdg"))).toEqual([]);
  });

  it.runIf(OWN_CACHE)("replaces a corrupt cache file instead of failing", async () => {
    const cache = join(home, "cache-corrupt");
    const clean = await listIntegrations(cache);
    const [file] = await filesUnder(cache);
    await writeFile(file!, "not a V8 code cache");
    const run = await listIntegrations(cache);
    expect(run).toEqual(clean);
    expect((await readFile(file!)).length).toBeGreaterThan(1000);
  });

  // Issue 11.6: cache file names come from a fixed list, never from the command line, and a FIFO in place of a
  // cache file is not waited on.
  it.runIf(OWN_CACHE)("names its files from a fixed list of command families, never from argv", async () => {
    const cache = join(home, "cache-argv");
    const words = ["zzzz-planted-name", "aaaa", "..", "run-but-longer", "INSTANCE", "cache-bomb-1"];
    for (const word of words) {
      const run = await runCli([word], { MSINT_HOME: join(home, "msint"), MSINT_CODE_CACHE: cache });
      expect(run.code, word).toBe(2);
    }
    await listIntegrations(cache);
    const names = (await filesUnder(cache)).map((file) => file.slice(cache.length + 1)).sort();
    expect(names).toEqual([
      expect.stringMatching(/^cli-[0-9a-f]{32}-integrations\.v8$/),
      expect.stringMatching(/^cli-[0-9a-f]{32}-other\.v8$/),
    ]);
  });

  // A run needs one integration, whose bundle gets a cache of its own; `run <command> --help` loads all 37 to
  // find the command, and must neither leave 37 cache files nor add an exit listener per bundle (Node warns).
  it("msint run <command> --help loads every integration quietly and caches at most one of them", async () => {
    const cache = join(home, "cache-run-help");
    const run = await runCli(["run", "msgraph-user-list", "--help"], {
      MSINT_HOME: join(home, "msint"),
      MSINT_CODE_CACHE: cache,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("msgraph-user-list");
    const names = (await filesUnder(cache)).map((file) => file.slice(cache.length + 1));
    if (OWN_CACHE) {
      expect(names.filter((name) => name.startsWith("cli-"))).toEqual([
        expect.stringMatching(/^cli-[0-9a-f]{32}-run\.v8$/),
      ]);
      expect(names.filter((name) => name.startsWith("integration-")).length).toBeLessThanOrEqual(1);
    }
  });

  it.runIf(OWN_CACHE)("does not wait on a FIFO in place of its cache file", async () => {
    const cache = join(home, "cache-fifo");
    await listIntegrations(cache);
    const [file] = await filesUnder(cache);
    await rm(file!);
    expect(spawnSync("mkfifo", [file!]).status).toBe(0);
    const run = await listIntegrations(cache);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(37);
  });

  it("is not used from a directory that others can write, nor when MSINT_CODE_CACHE=off", async () => {
    const shared = join(home, "cache-shared");
    await mkdir(shared, { recursive: true });
    await chmod(shared, 0o777);
    const run = await listIntegrations(shared);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(await filesUnder(shared)).toEqual([]);

    const off = await listIntegrations("off");
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(run.stdout);
    expect(await filesUnder(join(home, "xdg"))).toEqual([]);
  });

  it("defaults to $XDG_CACHE_HOME/msint", async () => {
    const run = await runCli(["integrations", "--json"], {
      MSINT_HOME: join(home, "msint"),
      MSINT_CODE_CACHE: undefined,
      XDG_CACHE_HOME: join(home, "xdg-default"),
    });
    expect(run.code).toBe(0);
    expect((await filesUnder(join(home, "xdg-default", "msint"))).length).toBeGreaterThan(0);
  });
});

describe("the msint executable's bundle", () => {
  it("has no import() expression, which Node 20 cannot run from a code cache", async () => {
    const bundle = await readFile(join(BIN, "..", "cli.cjs"), "utf8");
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle.match(/\bimport\(/g) ?? []).toEqual([]);
  });
});
