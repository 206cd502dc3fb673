/**
 * Cross-process behaviour of FileStore: real `node` child processes running the same store code.
 *
 * Node 20 cannot run TypeScript, and the package may not be built, so the store is bundled once with esbuild
 * (a dependency of tsup in the workspace) into a temp .mjs that the children import.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFileStore, StoreError } from "./index.js";

interface EsbuildLike {
  build(options: {
    entryPoints: string[];
    bundle: boolean;
    platform: "node";
    format: "esm";
    target: string;
    outfile: string;
    logLevel: "silent" | "error";
  }): Promise<unknown>;
}

const here = dirname(fileURLToPath(import.meta.url));
let work: string;
let childScript: string;
const children = new Set<ChildProcess>();

/** esbuild is not a dependency of this package: resolve it through tsup, which is in the workspace root. */
function loadEsbuild(): EsbuildLike {
  const fromHere = createRequire(import.meta.url);
  try {
    return fromHere("esbuild") as EsbuildLike;
  } catch {
    const tsup = fromHere.resolve("tsup");
    return createRequire(tsup)("esbuild") as EsbuildLike;
  }
}

const CHILD = `
const args = JSON.parse(process.env.MSINT_TEST_ARGS);
const { openFileStore } = await import(args.bundle);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (args.startAt && Date.now() < args.startAt) await sleep(2);
const options = { home: args.home };
if (args.passphrase) options.passphrase = args.passphrase;
const store = await openFileStore(options);
switch (args.mode) {
  case "put":
    await store.update(args.key, () => ({ value: args.value }));
    break;
  case "increment":
    for (let i = 0; i < args.count; i++) await store.update(args.key, (c) => ({ n: (c?.n ?? 0) + 1 }));
    break;
  case "hold":
    await store.update(args.key, async () => {
      process.stdout.write("locked\\n");
      await new Promise(() => setInterval(() => {}, 1000));
    });
    break;
  case "write-loop":
    for (;;) {
      const doc = await store.update(args.key, (c) => {
        const seq = (c?.seq ?? 0) + 1;
        return { seq, pad: String(seq).repeat(args.padRepeat) };
      });
      process.stdout.write(doc.seq + "\\n");
    }
}
`;

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: Record<string, unknown>): {
  child: ChildProcess;
  done: Promise<Result>;
  stdout: () => string;
} {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MSINT_TEST_ARGS: JSON.stringify({ bundle: bundleUrl, ...args }),
  };
  delete env["NODE_OPTIONS"];
  const child = spawn(process.execPath, [childScript], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const done = new Promise<Result>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stdout: () => stdout };
}

async function run(args: Record<string, unknown>): Promise<Result> {
  const result = await start(args).done;
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 2);
    };
    tick();
  });
}

let bundleUrl: string;
let homes = 0;
const newHome = () => join(work, `home-${++homes}`);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "msint-store-xproc-"));
  const bundle = join(work, "store.mjs");
  await loadEsbuild().build({
    entryPoints: [join(here, "index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: bundle,
    logLevel: "error",
  });
  bundleUrl = pathToFileURL(bundle).href;
  childScript = join(work, "child.mjs");
  await writeFile(childScript, CHILD);
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(work, { recursive: true, force: true });
});

describe("FileStore across processes", () => {
  it.each([
    ["key file", undefined],
    ["passphrase salt", "xproc passphrase"],
  ])(
    "8 processes opening a new store at once create one %s and all their writes are readable",
    async (_, passphrase) => {
      const home = newHome();
      const startAt = Date.now() + 1_000;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          run({ mode: "put", home, passphrase, key: `k${i}`, value: i, startAt }),
        ),
      );
      expect((await readdir(home)).sort()).toEqual(
        passphrase ? ["store", "store.meta", "store.salt"] : ["store", "store.key", "store.meta"],
      );
      const store = await openFileStore<{ value: number }>(passphrase ? { home, passphrase } : { home });
      expect(await store.list()).toEqual(["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]);
      for (let i = 0; i < 8; i++) expect(await store.read(`k${i}`)).toEqual({ value: i });
    },
  );

  it("6 processes × 20 increments through update → 120, starting on a stale lock they all try to break", async () => {
    const home = newHome();
    await mkdir(join(home, "store"), { recursive: true, mode: 0o700 });
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(
      join(home, "store", "counter.msint.lock"),
      JSON.stringify({ pid: deadPid, host: hostname(), created: Date.now(), token: "dead" }),
    );
    const startAt = Date.now() + 700;
    await Promise.all(
      Array.from({ length: 6 }, () => run({ mode: "increment", home, key: "counter", count: 20, startAt })),
    );
    const store = await openFileStore<{ n: number }>({ home });
    expect(await store.read("counter")).toEqual({ n: 120 });
    expect(await readdir(join(home, "store"))).toEqual(["counter.msint"]);
  });

  it("a lock holder killed with SIGKILL does not block the next process", async () => {
    const home = newHome();
    const store = await openFileStore<{ n: number }>({ home, lockTimeoutMs: 10_000 });
    await store.update("graph-prod", () => ({ n: 1 }));
    const holder = start({ mode: "hold", home, key: "graph-prod" });
    await waitFor(() => holder.stdout().includes("locked"), "the child to take the lock");

    // While the child lives, its lock holds (reads still work).
    const blocked = await openFileStore<{ n: number }>({ home, lockTimeoutMs: 200 });
    await expect(blocked.update("graph-prod", () => ({ n: 99 }))).rejects.toMatchObject({ code: "locked" });
    expect(await store.read("graph-prod")).toEqual({ n: 1 });

    holder.child.kill("SIGKILL");
    expect((await holder.done).signal).toBe("SIGKILL");
    expect(await readdir(join(home, "store"))).toContain("graph-prod.msint.lock"); // left behind

    expect(await store.update("graph-prod", (c) => ({ n: c!.n + 1 }))).toEqual({ n: 2 });
    expect(await readdir(join(home, "store"))).toEqual(["graph-prod.msint"]);
  });

  it("SIGKILL at random points while writing never leaves a partial document (30 iterations)", async () => {
    const home = newHome();
    const store = await openFileStore<{ seq: number; pad: string }>({ home });
    const padRepeat = 8_000; // ~40 KB documents, so writes take a little while
    let lastSeen = 0;
    for (let i = 0; i < 30; i++) {
      const writer = start({ mode: "write-loop", home, key: "doc", padRepeat });
      await waitFor(() => writer.stdout().includes("\n"), "the first write");
      await new Promise((r) => setTimeout(r, Math.random() * 25));
      writer.child.kill("SIGKILL");
      const result = await writer.done;
      expect(result.signal).toBe("SIGKILL");
      expect(result.stderr).toBe("");
      const committed = result.stdout.trim().split("\n").map(Number);
      const lastCommitted = committed[committed.length - 1]!;
      expect(committed[0]).toBe(lastSeen + 1);

      let doc: { seq: number; pad: string } | undefined;
      try {
        doc = await store.read("doc");
      } catch (err) {
        if (err instanceof StoreError) throw new Error(`iteration ${i}: ${err.code}: ${err.message}`);
        throw err;
      }
      expect(doc).toBeDefined();
      // The last reported write, or the one in flight when the process died (renamed but not yet reported).
      expect([lastCommitted, lastCommitted + 1]).toContain(doc!.seq);
      expect(doc!.pad).toBe(String(doc!.seq).repeat(padRepeat));
      lastSeen = doc!.seq;
    }
    expect(await store.list()).toEqual(["doc"]); // temp files of killed writers are ignored
  });
});
