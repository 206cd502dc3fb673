import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphInstanceArgs, runCli, tempHome } from "./helpers.js";

let emulator: RunningEmulator;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
  emulator.clearRequests();
  emulator.faults.clear();
});
afterEach(async () => {
  await cleanup();
});

const env = (extra: Record<string, string> = {}) => ({
  MSINT_HOME: home,
  GRAPH_SECRET: DEMO_CLIENT_SECRET,
  ...extra,
});

async function addGraphInstance(name: string, secret = "env:GRAPH_SECRET") {
  const added = await runCli(graphInstanceArgs(name, emulator.url, secret), env(), { timeoutMs: 60_000 });
  expect(added.stderr).toBe("");
  expect(added.code).toBe(0);
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

describe("msint token", () => {
  it("prints the token alone, then serves it from the cache to the next process and to msint run", async () => {
    await addGraphInstance("graph");
    const first = await runCli(["token", "--instance", "graph"], env(), { timeoutMs: 60_000 });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const token = first.stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    expect(first.stdout).toBe(`${token}\n`);
    expect(claimsOf(token)["aud"]).toBe(emulator.url);
    const second = await runCli(["token", "--instance", "graph"], env(), { timeoutMs: 60_000 });
    expect(second.stdout.trim()).toBe(token);
    const run = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], env(), {
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(emulator.tokenRequests()).toHaveLength(1);
  }, 120_000);

  it("--json prints accessToken, expiresOn (ISO) and expires_on (epoch), tenant and tokenType like az", async () => {
    await addGraphInstance("graph");
    const result = await runCli(["token", "--instance", "graph", "--json"], env(), { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual([
      "accessToken",
      "expiresOn",
      "expires_on",
      "tenant",
      "tokenType",
    ]);
    expect(answer["tokenType"]).toBe("Bearer");
    expect(answer["tenant"]).toBe(DEMO_TENANT_ID);
    // The server's expires_in counted from when the answer came: within a few seconds of the token's exp claim.
    const exp = claimsOf(String(answer["accessToken"]))["exp"] as number;
    const expiresOn = answer["expires_on"] as number;
    expect(Number.isInteger(expiresOn)).toBe(true);
    expect(Math.abs(expiresOn - exp)).toBeLessThanOrEqual(5);
    expect(answer["expiresOn"]).toBe(new Date(expiresOn * 1000).toISOString());
  }, 120_000);

  it("--resource and --scope choose the audience; concurrent processes share one token request", async () => {
    await addGraphInstance("graph");
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        runCli(["token", "--instance", "graph", "--resource", `${emulator.url}/`], env(), {
          timeoutMs: 60_000,
        }),
      ),
    );
    for (const result of results) expect(result.code).toBe(0);
    expect(new Set(results.map((result) => result.stdout.trim())).size).toBe(1);
    expect(emulator.tokenRequests()).toHaveLength(1);
    expect(emulator.tokenRequests()[0]!.scope).toBe(`${emulator.url}/.default`);
    const scoped = await runCli(
      ["token", "--instance", "graph", "--scope", "00000003-0000-0000-c000-000000000000/.default"],
      env(),
      {
        timeoutMs: 60_000,
      },
    );
    expect(scoped.code).toBe(0);
    expect(claimsOf(scoped.stdout.trim())["aud"]).toBe("00000003-0000-0000-c000-000000000000");
  }, 120_000);

  it("--debug logs the requests to stderr with the token redacted: only stdout has it", async () => {
    await addGraphInstance("graph");
    const result = await runCli(["--debug", "token", "--instance", "graph"], env(), { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(result.stderr).toMatch(/DEBUG/);
    expect(result.stderr).not.toContain(token);
    expect(result.stderr).not.toContain(token.split(".")[2]!);
    expect(result.stderr).not.toContain(DEMO_CLIENT_SECRET);
    const json = await runCli(
      ["token", "--instance", "graph", "--debug"],
      env({ MSINT_LOG_FORMAT: "json" }),
      {
        timeoutMs: 60_000,
      },
    );
    expect(json.code).toBe(0);
    for (const line of json.stderr.trim().split("\n").filter(Boolean)) {
      expect(() => JSON.parse(line)).not.toThrow();
    }
  }, 120_000);

  it("refuses --resource with --scope, and a malformed resource, with exit 2 and one message", async () => {
    await addGraphInstance("graph");
    const both = await runCli(
      ["token", "--instance", "graph", "--resource", "https://vault.azure.net", "--scope", "x"],
      env(),
    );
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe(
      "Error: Give --resource or --scope, not both (--resource R means --scope R/.default).",
    );
    const bad = await runCli(["token", "--instance", "graph", "--resource", "vault"], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--resource takes the resource's URL");
    const unknown = await runCli(["token", "--instance", "nope"], env());
    expect(unknown.code).not.toBe(0);
    expect(emulator.tokenRequests()).toHaveLength(0);
  }, 120_000);

  it("reads a file: secret at run time and refuses one others can read", async () => {
    const secretFile = join(home, "graph-secret");
    await writeFile(secretFile, `${DEMO_CLIENT_SECRET}\n`, { mode: 0o600 });
    await addGraphInstance("graph", `file:${secretFile}`);
    const ok = await runCli(["token", "--instance", "graph"], env({ GRAPH_SECRET: "" }), {
      timeoutMs: 60_000,
    });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    await chmod(secretFile, 0o644);
    const refused = await runCli(["run", "msgraph-user-auth-reset", "--instance", "graph"], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Client Secret: refers to ${secretFile}, which other users can read or write (mode 0644). Run chmod 600 ${secretFile}`,
    );
  }, 120_000);
});
