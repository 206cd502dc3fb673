import { MemoryStore } from "@msint/auth-core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type CommandArgs, type CommandName, connect } from "../src/connect.js";
import { defineIntegration } from "../src/define.js";
import { graph } from "../src/resources/index.js";
import type { InstanceDocument } from "../src/runtime.js";

// A small Graph integration declared inline: its literal type is what connect() types run() with.
const users = defineIntegration({
  id: "connect-users",
  displayName: "Connect Users",
  commandPrefix: "connect-users",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: true,
  },
  resource: graph({ application: [".default"], delegated: ["User.Read.All"] }),
  commands: {
    "connect-users-list": {
      description: "Lists users.",
      arguments: [
        { name: "limit", description: "Users per page.", defaultValue: "5" },
        { name: "select", description: "Properties.", predefined: ["id", "displayName"] },
      ],
      async run({ api, args }) {
        const page = await api.get<{ value: Array<{ displayName?: string }> }>("/v1.0/users", {
          $top: args["limit"],
          $select: args["select"],
        });
        return { readable: page.value.map((user) => user.displayName).join(", "), outputs: page.value };
      },
    },
    "connect-users-get": {
      description: "Gets one user.",
      arguments: [{ name: "user", description: "ID or UPN.", required: true }],
      async run({ api, args }) {
        const user = await api.get<{ id: string }>(`/v1.0/users/${encodeURIComponent(args["user"]!)}`);
        return { readable: user.id, outputs: user };
      },
    },
  },
});

type Users = (typeof users)["manifest"];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

const paramsFor = (url: string) => ({
  tenant_id: DEMO_TENANT_ID,
  auth_id: DEMO_CLIENT_ID,
  enc_key: "env:CONNECT_TEST_SECRET",
  azure_cloud: "Custom",
  azure_ad_endpoint: url,
  server_url: url,
});
const env = { CONNECT_TEST_SECRET: DEMO_CLIENT_SECRET };

describe("connect() types", () => {
  it("knows the integration's commands, the generated ones and their argument names", () => {
    expectTypeOf<CommandName<Users>>().toEqualTypeOf<
      | "connect-users-list"
      | "connect-users-get"
      | "connect-users-auth-test"
      | "connect-users-auth-reset"
      | "connect-users-test"
    >();
    expectTypeOf<CommandArgs<Users, "connect-users-list">>().toEqualTypeOf<{
      limit?: string;
      select?: "id" | "displayName";
    }>();
    expectTypeOf<CommandArgs<Users, "connect-users-get">>().toEqualTypeOf<{ user: string }>();
  });

  it("refuses wrong command and argument names at compile time", () => {
    const connection = connect(users, { params: paramsFor("http://127.0.0.1:1"), env });
    // These calls are never awaited: the test is that tsc rejects them (pnpm typecheck covers test/).
    const checks = () => {
      // @ts-expect-error: no such command
      void connection.run("connect-users-delete");
      // @ts-expect-error: "top" is not an argument of connect-users-list
      void connection.run("connect-users-list", { top: "5" });
      // @ts-expect-error: "user" is required
      void connection.run("connect-users-get", {});
      // @ts-expect-error: a required argument cannot be left out
      void connection.run("connect-users-get");
      // @ts-expect-error: not one of the predefined values
      void connection.run("connect-users-list", { select: "mail" });
      // @ts-expect-error: the generated commands take no arguments
      void connection.run("connect-users-auth-test", { force: "true" });
      // @ts-expect-error: the integration has no additional resources
      void connection.api("arm");
    };
    expect(typeof checks).toBe("function");
  });
});

describe("connect()", () => {
  it("runs commands and the API with client credentials against the emulator, one token for both", async () => {
    emulator.clearRequests();
    const connection = connect(users, { params: paramsFor(emulator.url), env });
    const listed = await connection.run("connect-users-list", { limit: "2" });
    expect(listed.readable).not.toBe("");
    const test = await connection.run("connect-users-auth-test");
    expect(test.readable).toContain("Success");
    const page = await connection.api().get<{ value: unknown[] }>("/v1.0/users", { $top: 1 });
    expect(page.value).toHaveLength(1);
    // One client-credentials token request served the command, auth-test and the API call.
    const tokenRequests = emulator.tokenRequests();
    expect(tokenRequests).toHaveLength(1);
    // Every API request carries a fresh x-ms-client-request-id (a UUID) and msint's User-Agent.
    const apiRequests = emulator.requests.filter((entry) => entry.path.startsWith("/v1.0/users"));
    expect(apiRequests).toHaveLength(2);
    const ids = apiRequests.map((entry) => entry.headers["x-ms-client-request-id"]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(apiRequests[0]!.headers["user-agent"]).toMatch(/^msint\/\d+\.\d+\.\d+ connect-users$/);
  });

  it("gives Azure SDK-style callers a TokenCredential and keeps tokens in the store it is given", async () => {
    const store = new MemoryStore<InstanceDocument>();
    const connection = connect(users, {
      params: paramsFor(emulator.url),
      env,
      store,
      instance: "users-prod",
    });
    const token = await connection.credential.getToken(`${emulator.url}/.default`);
    expect(token?.token.split(".")).toHaveLength(3);
    expect(token?.expiresOnTimestamp).toBeGreaterThan(Date.now());
    const stored = await store.read("users-prod");
    expect(stored?.integration).toBe("connect-users");
    // The reference is stored, never the secret it names.
    expect(stored?.params["enc_key"]).toBe("env:CONNECT_TEST_SECRET");
    expect(JSON.stringify(stored)).not.toContain(DEMO_CLIENT_SECRET);
    expect(Object.keys(stored?.context?.tokens ?? {})).toHaveLength(1);
  });

  it("refuses bad parameters at once, naming the parameter", () => {
    expect(() =>
      connect(users, { params: { ...paramsFor(emulator.url), auth_id: "not-a-guid" }, env }),
    ).not.toThrow();
    expect(() =>
      connect(users, { params: { ...paramsFor(emulator.url), azure_cloud: "Mars" }, env }),
    ).toThrow(/Azure Cloud: "Mars" is not one of the choices/);
    expect(() => connect(users, { params: paramsFor(emulator.url), env: {} })).toThrow(
      /Client Secret: refers to the environment variable CONNECT_TEST_SECRET, which is not set/,
    );
  });

  it("prints the client request id with an API error, to quote to Microsoft support", async () => {
    const connection = connect(users, { params: paramsFor(emulator.url), env });
    emulator.clearRequests();
    const failure = await connection
      .run("connect-users-get", { user: "nobody@nowhere.example" })
      .catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    const sent = emulator.requests.find((entry) => entry.path.startsWith("/v1.0/users/"));
    const id = sent?.headers["x-ms-client-request-id"];
    expect(id).toBeDefined();
    expect((failure as Error).message).toContain(`For Microsoft support: client-request-id ${id}`);
  });
});
