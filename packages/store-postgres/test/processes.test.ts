/**
 * PostgresStore across real processes on a real server: SIGKILLs in the middle of refresh-token rotations, and
 * the server stopped and started under running writers. The children run the package's built dist (turbo
 * builds it before its tests).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { DEMO_USER_UPN, signInWithoutBrowser } from "@msint/integration-testing";
import { startTestPostgres, type TestPostgres } from "@msint/integration-testing/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const DIST = pathToFileURL(join(here, "..", "dist", "index.js")).href;
const KEY = `base64:${Buffer.alloc(32, 9).toString("base64")}`;
const REDIRECT = "http://localhost:8400/callback";
// The delegated scope of the demo app, with offline_access for a refresh token (Microsoft identity platform:
// "Request an authorization code", /authorize with response_type=code; "Refresh the access token").
const SCOPE = "offline_access https://graph.microsoft.com/User.Read";

let server: TestPostgres;
let emulator: RunningEmulator;
let work: string;
let childScript: string;
const children = new Set<ChildProcess>();

/**
 * A child: opens the store and loops. "rotate" exchanges the stored refresh token at the emulator inside
 * `update` and stores the new one with seq + 1, printing each committed seq; "increment" adds 1 to n.
 */
const CHILD = `
const args = JSON.parse(process.env.MSINT_TEST_ARGS);
const { openPostgresStore } = await import(args.dist);
const store = await openPostgresStore({ url: args.url, home: args.home, storeKey: args.key, retryForMs: args.retryForMs });
process.stdout.write("ready\\n");
for (let i = 0; i < args.count; i++) {
  const doc = await store.update("graph", async (current) => {
    if (args.mode === "increment") return { n: (current?.n ?? 0) + 1 };
    const response = await fetch(args.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: current.rt,
        client_id: args.clientId,
        client_secret: args.clientSecret,
        scope: args.scope,
      }),
    });
    const body = await response.json();
    if (!response.ok || !body.refresh_token) throw new Error("refresh failed: " + response.status + " " + body.error);
    return { rt: body.refresh_token, seq: current.seq + 1 };
  });
  process.stdout.write((args.mode === "increment" ? doc.n : doc.seq) + "\\n");
}
await store.close();
`;

interface Child {
  process: ChildProcess;
  printed: number[];
  /** Resolves once the child has opened the store and starts its loop. */
  ready: Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startChild(args: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [childScript], {
    env: { ...process.env, MSINT_TEST_ARGS: JSON.stringify({ dist: DIST, ...args }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const printed: number[] = [];
  let stderr = "";
  let partial = "";
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (line === "ready") markReady();
      else if (line) printed.push(Number(line));
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on("close", (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stderr });
      });
    },
  );
  return { process: child, printed, ready, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function firstRefreshToken(): Promise<string> {
  const authorize = new URL(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: DEMO_CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state: "s",
  }).toString();
  const redirect = new URL(
    await signInWithoutBrowser(authorize.toString(), DEMO_USER_UPN, DEMO_USER_PASSWORD),
  );
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`no code in the redirect: ${redirect.search}`);
  const response = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
      scope: SCOPE,
    }),
  });
  const body = (await response.json()) as { refresh_token?: string; error?: string };
  if (!body.refresh_token) throw new Error(`no refresh token: ${body.error}`);
  return body.refresh_token;
}

beforeAll(async () => {
  [server, emulator] = await Promise.all([startTestPostgres(), startEmulator({ port: 0 })]);
  work = await mkdtemp(join(tmpdir(), "msint-pg-processes-"));
  childScript = join(work, "child.mjs");
  await writeFile(childScript, CHILD);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await emulator?.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("PostgresStore across processes", () => {
  it("100 SIGKILLs during refresh-token rotations: the store stays readable and no committed rotation is lost", async () => {
    const url = await server.createDatabase();
    const home = join(work, "kill-home");
    const store = await openPostgresStore<{ rt: string; seq: number }>({ url, home, storeKey: KEY });
    await store.update("graph", () => ({ rt: "", seq: 0 }));
    const rt = await firstRefreshToken();
    await store.update("graph", () => ({ rt, seq: 0 }));
    // Each token request takes 5-25 ms, so that kills land inside the transaction of an update.
    emulator.faults.inject({ match: /\/oauth2\/v2\.0\/token$/, delayMs: 15, count: Infinity });
    const args = {
      mode: "rotate",
      url,
      home,
      key: KEY,
      count: 1_000_000,
      retryForMs: 15_000,
      tokenUrl: `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      scope: SCOPE,
    };
    // 4 children at a time. Each victim is killed 0-40 ms after its first committed rotation, while it is in the
    // transaction of its next one (token request, write or commit), or, every third one, 0-40 ms after it opened
    // the store, before its first commit.
    const running: Child[] = [];
    const finished: Child[] = [];
    for (let i = 0; i < 4; i++) running.push(startChild(args));
    let kills = 0;
    while (kills < 100) {
      const victim = running.shift()!;
      await victim.ready;
      if (kills % 3 !== 0) {
        const deadline = Date.now() + 5_000;
        while (victim.printed.length === 0 && victim.process.exitCode === null && Date.now() < deadline)
          await sleep(2);
      }
      await sleep(Math.floor(Math.random() * 40));
      if (victim.process.exitCode !== null) {
        const { stderr } = await victim.done;
        throw new Error(`a child exited on its own (${victim.process.exitCode}): ${stderr}`);
      }
      victim.process.kill("SIGKILL");
      kills++;
      finished.push(victim);
      running.push(startChild(args));
    }
    for (const child of running) child.process.kill("SIGKILL");
    finished.push(...running);
    const results = await Promise.all(finished.map((child) => child.done));
    // Every child died of our SIGKILL, none of an error of its own (a lock it could not get, an unreadable row).
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.signal).toBe("SIGKILL");
    }
    emulator.faults.clear();
    const printed = finished.flatMap((child) => child.printed);
    // Each committed rotation has its own seq: the updates were serialized across processes.
    expect(new Set(printed).size).toBe(printed.length);
    expect(printed.length).toBeGreaterThan(10);
    const final = await store.read("graph");
    // Nothing committed was lost: the store is at or past the last rotation a child reported committed.
    expect(final!.seq).toBeGreaterThanOrEqual(Math.max(...printed));
    // And the refresh token it holds still works.
    const check = await fetch(args.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: final!.rt,
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        scope: SCOPE,
      }),
    });
    expect(check.status).toBe(200);
    await store.close();
  }, 180_000);

  it.skipIf(process.env["MSINT_TEST_DATABASE_URL"])(
    "the server stopped and started under 3 writers: they retry, and every increment is kept exactly once",
    async () => {
      const url = await server.createDatabase();
      const home = join(work, "restart-home");
      const args = { mode: "increment", url, home, key: KEY, count: 40, retryForMs: 30_000 };
      const writers = [startChild(args), startChild(args), startChild(args)];
      while (writers.every((writer) => writer.printed.length < 5)) await sleep(20);
      await server.halt();
      await sleep(1_500);
      await server.start();
      const results = await Promise.all(writers.map((writer) => writer.done));
      for (const result of results) {
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
      }
      const store = await openPostgresStore<{ n: number }>({ url, home, storeKey: KEY });
      expect(await store.read("graph")).toEqual({ n: 120 });
      const printed = writers.flatMap((writer) => writer.printed);
      expect(printed.sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      await store.close();
    },
    110_000,
  );

  it.skipIf(process.env["MSINT_TEST_DATABASE_URL"])(
    "the server gone for longer than the retry window: one StoreError naming the store, no password",
    async () => {
      const url = await server.createDatabase();
      const store = await openPostgresStore<{ n: number }>({
        url,
        home: join(work, "gone"),
        storeKey: KEY,
        retryForMs: 1_000,
      });
      await store.update("graph", () => ({ n: 1 }));
      await server.halt();
      try {
        const error = await store
          .update("graph", (current) => ({ n: current!.n + 1 }))
          .then(
            () => undefined,
            (caught: unknown) => caught as Error & { code?: string },
          );
        expect(error?.name).toBe("StoreError");
        expect(error?.code).toBe("unavailable");
        expect(error?.message).toMatch(
          /^Cannot reach the PostgreSQL store at postgres:\/\/postgres@127\.0\.0\.1:\d+\/msint_test_\w+ \(retried for 1 s\)/,
        );
        expect(error?.message).not.toContain(new URL(url).password);
      } finally {
        await server.start();
      }
      expect(await store.read("graph")).toEqual({ n: 1 });
      await store.close();
    },
    60_000,
  );
});
