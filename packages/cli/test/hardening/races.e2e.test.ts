/**
 * Races between separate `msint` processes sharing one store: one token request for many processes, rotating
 * refresh tokens never lost, and a store that survives SIGKILL in the middle of writes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEMO_ADMIN_UPN,
  DEMO_BROKER_KEY,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  demoSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BROKER_PATH,
  expectOk,
  GRAPH_USER_SCOPES,
  msint,
  openHome,
  recordCount,
  removeTemporaries,
  requestsTo,
  TOKEN_PATH,
  temporaryDir,
} from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const WRITER = join(here, "fixtures", "store-writer.mjs");
const PROCESSES = 8;
const BROKER_DELEGATED_ID = "6a7b8c9d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const BROKER_SEEDED_REFRESH_TOKEN = "race-broker-refresh-token-0f3e9a7c51";
const SCOPES = [...GRAPH_USER_SCOPES];

let emulator: RunningEmulator;

beforeAll(async () => {
  const seed = structuredClone(demoSeed);
  seed.brokerRegistrations = [
    ...(seed.brokerRegistrations ?? []),
    {
      id: BROKER_DELEGATED_ID,
      appName: "ms-graph-user",
      key: DEMO_BROKER_KEY,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "delegated",
      refreshToken: BROKER_SEEDED_REFRESH_TOKEN,
      userPrincipalName: DEMO_ADMIN_UPN,
    },
  ];
  // A rotated refresh token used again is refused: any process that sent an old one would fail.
  emulator = await startEmulator({ port: 0, seed, refreshTokenReuse: "reject" });
});
afterAll(async () => {
  await emulator.close();
  await removeTemporaries();
});
beforeEach(() => {
  emulator.clearRequests();
  emulator.faults.clear();
  emulator.setTokenLifetime(3599);
});

const customCloud = () => ({
  azure_cloud: "Custom",
  azure_ad_endpoint: emulator.url,
  server_url: emulator.url,
});

async function addInstance(home: string, name: string, params: Record<string, string>) {
  const args = ["instance", "add", name, "--integration", "msgraph-user"];
  for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
  expectOk(await msint(args, { MSINT_HOME: home }), `add ${name}`);
}

const authTest = (home: string, name: string) =>
  msint(["run", "msgraph-user-auth-test", "--instance", name], {
    MSINT_HOME: home,
    RACE_SECRET: DEMO_CLIENT_SECRET,
  });

async function together(count: number, run: () => Promise<{ code: number; stderr: string }>) {
  const results = await Promise.all(Array.from({ length: count }, run));
  for (const [index, result] of results.entries()) {
    expect(result.stderr, `process ${index}`).toBe("");
    expect(result.code, `process ${index}`).toBe(0);
  }
  return results;
}

describe(`${PROCESSES} processes on one instance`, () => {
  it("an expired stored token: exactly one token request for all of them", async () => {
    const home = await temporaryDir();
    await addInstance(home, "graph", {
      self_deployed: "true",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: "env:RACE_SECRET",
      ...customCloud(),
    });
    // Prime with a token that is stored but already unusable (1 s left, under the 2-minute expiry margin).
    emulator.setTokenLifetime(1);
    expectOk(await authTest(home, "graph"));
    const stored = await (await openHome(home)).read("graph");
    expect(Object.values(stored?.context?.tokens ?? {})).toHaveLength(1);
    emulator.setTokenLifetime(3599);
    emulator.clearRequests();

    await together(PROCESSES, () => authTest(home, "graph"));
    expect(requestsTo(emulator, TOKEN_PATH)).toHaveLength(1);
    await recordCount("races: processes on one expired token", PROCESSES);
  });

  it("rotating refresh tokens (authorization code, reuse refused): all succeed, the stored one still works", async () => {
    const home = await temporaryDir();
    const first = emulator.issueRefreshToken({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      userId: DEMO_ADMIN_UPN,
      scopes: SCOPES,
    });
    await addInstance(home, "graph", {
      self_deployed: "true",
      auth_type: "Authorization Code",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: "env:RACE_SECRET",
      redirect_uri: "http://localhost:8400/callback",
      // XSOAR's hook: an Authorization code of refresh_token:<rt> starts from that refresh token.
      auth_code: `refresh_token:${first}`,
      ...customCloud(),
    });
    // Access tokens shorter than the 2-minute expiry margin are never reused: every process refreshes, and
    // each refresh rotates the refresh token.
    emulator.setTokenLifetime(60);

    await together(PROCESSES, () => authTest(home, "graph"));
    const refreshes = requestsTo(emulator, TOKEN_PATH);
    expect(refreshes).toHaveLength(PROCESSES);
    expect(
      refreshes.every((request) => request.status === 200 && request.grantType === "refresh_token"),
    ).toBe(true);

    // What is left in the store is the newest refresh token: the emulator takes it (and only it).
    const stored = (await (await openHome(home)).read("graph"))?.context?.refreshToken;
    expect(stored).toBeDefined();
    expect(stored).not.toBe(first);
    emulator.clearRequests();
    expectOk(await authTest(home, "graph"));
    expect(requestsTo(emulator, TOKEN_PATH).map((request) => request.status)).toEqual([200]);
  });

  it("rotating refresh tokens through the broker (delegated): all succeed, the stored one still works", async () => {
    const home = await temporaryDir();
    await addInstance(home, "graph", {
      auth_id: `${BROKER_DELEGATED_ID}@${emulator.url}/obtain-token`,
      tenant_id: BROKER_SEEDED_REFRESH_TOKEN,
      enc_key: DEMO_BROKER_KEY,
      ...customCloud(),
    });
    emulator.setTokenLifetime(60);

    await together(PROCESSES, () => authTest(home, "graph"));
    expect(requestsTo(emulator, BROKER_PATH).map((request) => request.status)).toEqual(
      Array(PROCESSES).fill(200),
    );
    const stored = (await (await openHome(home)).read("graph"))?.context?.refreshToken;
    expect(stored).toBeDefined();
    expect(stored).not.toBe(BROKER_SEEDED_REFRESH_TOKEN);
    emulator.clearRequests();
    expectOk(await authTest(home, "graph"));
    expect(requestsTo(emulator, BROKER_PATH).map((request) => request.status)).toEqual([200]);
  });
});

describe("SIGKILL in the middle of store writes", () => {
  const ITERATIONS = 100;
  const LANES = 2;
  const PAD = 4_000; // ~20 KB documents, so a write takes a moment
  const PREPARED = 3;

  interface Writer {
    child: ChildProcess;
    ready: () => boolean;
    committed: () => number[];
    done: Promise<{ signal: NodeJS.Signals | null; stderr: string }>;
  }

  function startWriter(home: string, name: string): Writer {
    const child = spawn(process.execPath, [WRITER], {
      env: { ...process.env, MSINT_HOME: home, WRITER_NAME: name, WRITER_PAD: String(PAD) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const done = new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      child.on("close", (_code, signal) => {
        clearTimeout(guard);
        resolve({ signal, stderr });
      });
    });
    return {
      child,
      ready: () => stdout.startsWith("ready\n"),
      committed: () =>
        stdout
          .split("\n")
          .filter((line) => /^\d+$/.test(line))
          .map(Number),
      done,
    };
  }

  const waitFor = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  it(`${ITERATIONS} kills at random points leave the old or the new document, readable by msint`, async () => {
    const home = await temporaryDir();
    const names = Array.from({ length: LANES }, (_, lane) => `doc-${lane}`);
    for (const name of names) {
      await addInstance(home, name, {
        self_deployed: "true",
        tenant_id: DEMO_TENANT_ID,
        auth_id: DEMO_CLIENT_ID,
        enc_key: "env:RACE_SECRET",
        ...customCloud(),
      });
    }
    const store = await openHome(home);
    let killedMidWrite = 0;

    const lane = async (name: string) => {
      let lastSeen = 0;
      // Writers start (and open the store) ahead of their turn: process start-up is not on the critical path.
      const iterations = ITERATIONS / LANES;
      const queue: Writer[] = [];
      let started = 0;
      const refill = () => {
        while (queue.length < PREPARED && started < iterations) {
          queue.push(startWriter(home, name));
          started++;
        }
      };
      refill();
      for (let iteration = 0; iteration < iterations; iteration++) {
        const writer = queue.shift()!;
        refill();
        await waitFor(writer.ready, "the writer to start");
        writer.child.stdin!.write("go\n");
        await waitFor(() => writer.committed().length > 0, "the first write");
        // Anywhere in the next writes: sealing, the temp file, fsync, the rename, or the lock.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        writer.child.kill("SIGKILL");
        const { signal, stderr } = await writer.done;
        expect(signal).toBe("SIGKILL");
        expect(stderr).toBe("");
        const committed = writer.committed();
        expect(committed[0], `${name} #${iteration} resumed from what was stored`).toBe(lastSeen + 1);
        const last = committed[committed.length - 1]!;

        const document = await store.read(name);
        const seq = (document?.context as { seq?: number } | undefined)?.seq;
        // The last reported write, or the one in flight when the process died (renamed, not yet reported).
        expect([last, last + 1], `${name} #${iteration}`).toContain(seq);
        if (seq === last + 1) killedMidWrite++;
        expect(document?.context?.refreshToken).toBe(String(seq).repeat(PAD));
        expect(document?.name).toBe(name);
        lastSeen = seq!;
      }
    };
    await Promise.all(names.map(lane));

    // The CLI reads the survivors; temp files and locks of the killed writers are ignored.
    const list = expectOk(await msint(["instance", "list"], { MSINT_HOME: home }));
    for (const name of names) expect(list.stdout).toContain(`|${name}|`);
    const show = expectOk(await msint(["instance", "show", names[0]!], { MSINT_HOME: home }));
    expect(show.stdout).toContain("Refresh token: stored");
    const files = (await readdir(join(home, "store"))).filter((file) => file.endsWith(".msint"));
    expect(files.sort()).toEqual(names.map((name) => `${name}.msint`));
    await recordCount("races: SIGKILL iterations", ITERATIONS);
    await recordCount("races: SIGKILLs that landed after the rename, before the report", killedMidWrite);
  }, 90_000);
});
