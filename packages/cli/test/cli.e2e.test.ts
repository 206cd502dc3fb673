import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { graphInstanceArgs, runCli, TRACE_MODULES, tempHome } from "./helpers.js";

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

function env(extra: Record<string, string> = {}) {
  return { MSINT_HOME: home, GRAPH_SECRET: DEMO_CLIENT_SECRET, ...extra };
}

async function addGraphInstance(name: string, secret = "env:GRAPH_SECRET") {
  const result = await runCli(graphInstanceArgs(name, emulator.url, secret), env());
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

describe("msint as separate processes against the emulator", () => {
  it("authenticates once, reuses the cached token across processes, and requests a new one after auth-reset", async () => {
    await addGraphInstance("graph");

    const test = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], env());
    expect(test.stderr).toBe("");
    expect(test.stdout).toContain("✅ Success!");
    expect(test.code).toBe(0);
    expect(emulator.tokenRequests()).toHaveLength(1);

    const list = await runCli(["run", "msgraph-user-list", "--instance", "graph"], env());
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("### All Graph Users");
    expect(list.stdout).toContain("Adele Vance");
    // The second process used the token the first one stored: still one token request.
    expect(emulator.tokenRequests()).toHaveLength(1);
    expect(emulator.requests.filter((request) => request.path === "/v1.0/users")).toHaveLength(1);

    const reset = await runCli(["run", "msgraph-user-auth-reset", "--instance", "graph"], env());
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain("Authorization was reset successfully");
    // Written for a terminal: the command to paste, with the instance; not the War Room form or a Test button.
    expect(reset.stdout).toContain("Next: run msint run msgraph-user-auth-test --instance graph;");
    expect(reset.stdout).not.toMatch(/!msgraph-user|click \*\*Test/);

    const again = await runCli(
      ["run", "!msgraph-user-get user=adelev@contoso.onmicrosoft.com", "--instance", "graph", "--json"],
      env(),
    );
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const parsed = JSON.parse(again.stdout);
    expect(parsed.outputs.MSGraphUser.UserPrincipalName).toBe("adelev@contoso.onmicrosoft.com");
    expect(emulator.tokenRequests()).toHaveLength(2);
  });

  it("makes exactly one request to the login host for a cold token: no discovery", async () => {
    await addGraphInstance("graph");
    const test = await runCli(["run", "msgraph-user-auth-test", "--instance", "graph"], env());
    expect(test.code).toBe(0);
    const loginRequests = emulator.requests.filter((request) => !request.path.startsWith("/v1.0/"));
    expect(loginRequests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /${DEMO_TENANT_ID}/oauth2/v2.0/token`,
    ]);
  });

  it("prints the AADSTS7000215 description without trace lines and the fix for a wrong secret, exit 1, secret nowhere", async () => {
    const wrongSecret = "Wr0ng~Secret~Value~9f3c2a71d";
    await addGraphInstance("graph", wrongSecret);
    const run = await runCli(
      ["run", "msgraph-user-auth-test", "--instance", "graph"],
      env({ MSINT_LOG: "debug" }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("AADSTS7000215");
    expect(run.stderr).toContain("Invalid client secret provided");
    expect(run.stderr).not.toMatch(/Trace ID|Correlation ID|Timestamp:/);
    expect(run.stderr).toContain("Client Secret");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const everything = run.stdout + run.stderr + JSON.stringify(emulator.requests);
    expect(everything).not.toContain(wrongSecret);
    // Nor is it stored in clear text.
    for (const file of await readdir(join(home, "store"))) {
      const bytes = await readFile(join(home, "store", file));
      expect(bytes.includes(Buffer.from(wrongSecret))).toBe(false);
    }
  });

  it("loads no package from node_modules, not even commander, when the token is cached", async () => {
    await addGraphInstance("graph");
    const coldTrace = join(home, "cold-trace.txt");
    const cold = await runCli(
      ["run", "msgraph-user-auth-test", "--instance", "graph"],
      env({ MSINT_TRACE_FILE: coldTrace }),
      {
        nodeArgs: ["--require", TRACE_MODULES],
      },
    );
    expect(cold.code).toBe(0);
    // The tracer works: the cold run loaded MSAL to fetch the token.
    expect(await readFile(coldTrace, "utf8")).toContain("@azure/msal-node");

    const warmTrace = join(home, "warm-trace.txt");
    const warm = await runCli(
      ["run", "msgraph-user-auth-test", "--instance", "graph"],
      env({ MSINT_TRACE_FILE: warmTrace }),
      {
        nodeArgs: ["--require", TRACE_MODULES],
      },
    );
    expect(warm.code).toBe(0);
    const loaded = await readFile(warmTrace, "utf8");
    // The tracer saw the run: the launcher itself, and the built-ins the store needs.
    expect(loaded).toContain("dist/msint.cjs");
    expect(loaded).toContain("NativeModule crypto");
    expect(loaded).not.toContain("node_modules");
    // Nor the file-system promises API and what it drags in: the store reads synchronously.
    expect(loaded).not.toContain("NativeModule fs/promises");
    expect(emulator.tokenRequests()).toHaveLength(1);
  });
});

describe("msint usage and instance errors", () => {
  it("exits 2 with one message for an unknown instance, command, integration or malformed !command", async () => {
    const unknownInstance = await runCli(["run", "msgraph-user-auth-test", "--instance", "nope"], env());
    expect(unknownInstance.code).toBe(2);
    expect(unknownInstance.stderr).toContain('There is no instance named "nope"');

    await addGraphInstance("graph");
    const unknownCommand = await runCli(["run", "msgraph-user-frobnicate", "--instance", "graph"], env());
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('has no command "msgraph-user-frobnicate"');

    const badIntegration = await runCli(["instance", "add", "x", "--integration", "nope"], env());
    expect(badIntegration.code).toBe(2);
    expect(badIntegration.stderr).toContain('Unknown integration "nope"');

    const malformed = await runCli(
      ["run", '!msgraph-user-get user="unterminated', "--instance", "graph"],
      env(),
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("never closed");

    const missing = await runCli(["run", "msgraph-user-get", "--instance", "graph"], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("needs the argument user");
  });

  it("rejects a malformed parameter by display name and persists nothing", async () => {
    const bad = await runCli(
      ["instance", "add", "graph", "--integration", "msgraph-user", "--param", "azure_cloud=Mars"],
      env(),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Azure Cloud");
    expect(bad.stderr).toContain("Worldwide");
    const list = await runCli(["instance", "list"], env());
    expect(list.stdout).toContain("**No entries.**");
  });

  it("masks secrets in instance show and lists instances", async () => {
    await addGraphInstance("graph", "Plain~Secret~Value~1234567");
    const show = await runCli(["instance", "show", "graph"], env());
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Client Secret");
    expect(show.stdout).toContain("******** (set)");
    expect(show.stdout).not.toContain("Plain~Secret~Value~1234567");
    const list = await runCli(["instance", "list"], env());
    expect(list.stdout).toContain("|graph|Microsoft Graph User|Client Credentials|Custom|");
    const removed = await runCli(["instance", "remove", "graph"], env());
    expect(removed.code).toBe(0);
    expect((await runCli(["instance", "show", "graph"], env())).code).toBe(2);
  });

  it("lists the flow and cloud of instances whose secret is an unset env: reference, Defender's from its Endpoint Type", async () => {
    await addGraphInstance("graph");
    const defender = await runCli(
      [
        "instance",
        "add",
        "mde-high",
        "--integration",
        "microsoft-defender-for-endpoint",
        "--param",
        "self_deployed=true",
        "--param",
        `tenant_id=${DEMO_TENANT_ID}`,
        "--param",
        `auth_id=${DEMO_CLIENT_ID}`,
        "--param",
        "enc_key=env:MDE_SECRET",
        "--param",
        "endpoint_type=US GCC-High",
      ],
      env(),
    );
    expect(defender.stderr).toBe("");
    const list = await runCli(["instance", "list"], { MSINT_HOME: home, GRAPH_SECRET: undefined });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("|graph|Microsoft Graph User|Client Credentials|Custom|");
    expect(list.stdout).toContain(
      "|mde-high|Microsoft Defender for Endpoint (Defender ATP)|Client Credentials|US GCC-High|",
    );
  });

  it("lists integrations as JSON in the seed table's words", async () => {
    const result = await runCli(["integrations", "--json"], env());
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    expect(rows).toContainEqual({
      id: "msgraph-user",
      displayName: "Microsoft Graph User",
      commandPrefix: "msgraph-user",
      flows: {
        xsoarApp: "yes",
        clientCredentials: "yes",
        deviceCode: "no",
        authorizationCode: "yes",
        managedIdentities: "yes",
        nationalClouds: "no",
      },
    });
  });
});
