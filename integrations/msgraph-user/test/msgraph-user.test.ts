import { MemoryStore } from "@msint/auth-core";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  demoSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { type InstanceDocument, runCommand } from "@msint/integration-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import integration, { toContextUser } from "../src/index.js";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.clearRequests();
});

function instance(overrides: Record<string, string | boolean> = {}): {
  store: MemoryStore<InstanceDocument>;
  document: InstanceDocument;
} {
  const document: InstanceDocument = {
    version: 1,
    name: "graph",
    integration: "msgraph-user",
    params: {
      self_deployed: true,
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: DEMO_CLIENT_SECRET,
      azure_cloud: "Custom",
      azure_ad_endpoint: emulator.url,
      server_url: emulator.url,
      ...overrides,
    },
    context: {},
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
  const store = new MemoryStore<InstanceDocument>();
  return { store, document };
}

async function run(setup: ReturnType<typeof instance>, command: string, args: Record<string, string> = {}) {
  await setup.store.update(setup.document.name, (current) => current ?? setup.document);
  const document = (await setup.store.read(setup.document.name))!;
  return runCommand(integration, command, args, { store: setup.store, document, env: {} });
}

describe("Microsoft Graph User manifest", () => {
  it("matches the seed table's row", () => {
    expect(integration.manifest).toMatchObject({
      id: "msgraph-user",
      displayName: "Microsoft Graph User",
      commandPrefix: "msgraph-user",
      flows: {
        xsoarApp: "yes",
        clientCredentials: true,
        deviceCode: false,
        authorizationCode: true,
        managedIdentities: true,
        nationalClouds: false,
      },
    });
    expect(integration.commandNames()).toEqual(
      expect.arrayContaining([
        "msgraph-user-auth-test",
        "msgraph-user-auth-reset",
        "msgraph-user-test",
        "msgraph-user-list",
        "msgraph-user-get",
      ]),
    );
  });
});

describe("msgraph-user-list", () => {
  it("calls GET /v1.0/users with $select and $top and renders the users", async () => {
    const result = await run(instance(), "msgraph-user-list", { limit: "2" });
    const call = emulator.requests.find((request) => request.path === "/v1.0/users");
    expect(call?.query).toMatchObject({ $top: "2" });
    // User-Agent msint/<kit version> <integration>/<its package version>: Microsoft's service logs show it.
    expect(call?.headers["user-agent"]).toMatch(
      new RegExp(`^msint/\\d+\\.\\d+\\.\\d+ msgraph-user/${packageJson.version.replaceAll(".", "\\.")}$`),
    );
    expect(call?.query["$select"]).toContain("userPrincipalName");
    expect(result.readable).toMatch(/^### All Graph Users\n\|DisplayName\|UserPrincipalName\|/);
    expect(result.outputsPrefix).toBe("MSGraphUser");
    expect(result.outputs).toHaveLength(2);
    expect(result.readable).toContain("next_page=");
  });

  it("follows next_page to the rest of the users", async () => {
    const setup = instance();
    const first = await run(setup, "msgraph-user-list", { limit: "2" });
    const nextLink = (first.raw as { "@odata.nextLink": string })["@odata.nextLink"];
    const second = await run(setup, "msgraph-user-list", { next_page: nextLink });
    const firstIds = (first.outputs as Array<{ ID: string }>).map((user) => user.ID);
    const secondIds = (second.outputs as Array<{ ID: string }>).map((user) => user.ID);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    expect(emulator.tokenRequests()).toHaveLength(1);
  });

  it("refuses a next_page link to another host (the token never leaves the instance's endpoint)", async () => {
    await expect(
      run(instance(), "msgraph-user-list", { next_page: "https://evil.example.com/v1.0/users" }),
    ).rejects.toThrow("Refusing to call https://evil.example.com");
  });

  it("rejects a limit out of range", async () => {
    await expect(run(instance(), "msgraph-user-list", { limit: "0" })).rejects.toThrow(
      "limit must be a whole number from 1 to 999",
    );
  });
});

describe("msgraph-user-get", () => {
  it("gets a user by user principal name", async () => {
    const user = demoSeed.tenants[0]!.users![0]!;
    const result = await run(instance(), "msgraph-user-get", { user: user.userPrincipalName });
    expect(result.outputs).toMatchObject({
      ID: user.id,
      DisplayName: user.displayName,
      UserPrincipalName: user.userPrincipalName,
    });
    expect(result.readable).toContain(`### ${user.userPrincipalName} data`);
  });

  it("reports a missing user in Graph's words", async () => {
    await expect(
      run(instance(), "msgraph-user-get", { user: "nobody@contoso.onmicrosoft.com" }),
    ).rejects.toThrow("Request_ResourceNotFound");
  });
});

describe("auth commands", () => {
  it("auth-test succeeds and -test reaches Graph", async () => {
    await expect(run(instance(), "msgraph-user-auth-test")).resolves.toEqual({ readable: "✅ Success!" });
    const test = await run(instance(), "msgraph-user-test");
    expect(test.readable).toContain("reached Microsoft Graph");
  });

  it("explains missing permissions when the app has no Graph grant", async () => {
    const noGrant = demoSeed.tenants[0]!.apps.find(
      (app) => !app.grants?.["graph"]?.length && app.secrets?.length,
    );
    expect(noGrant).toBeDefined();
    const setup = instance({ auth_id: noGrant!.clientId, enc_key: noGrant!.secrets![0]!.value });
    const error = await run(setup, "msgraph-user-list").catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("msgraph-user-auth-reset");
  });

  it("auth-reset clears the cached token so the next command fetches a new one", async () => {
    const setup = instance();
    await run(setup, "msgraph-user-auth-test");
    expect(Object.keys((await setup.store.read("graph"))!.context!.tokens ?? {})).toHaveLength(1);
    await run(setup, "msgraph-user-auth-reset");
    expect((await setup.store.read("graph"))!.context).toEqual({});
    await run(setup, "msgraph-user-auth-test");
    expect(emulator.tokenRequests()).toHaveLength(2);
  });
});

describe("toContextUser with field names from the server", () => {
  it("keeps a field named __proto__ as data and never changes the entry's prototype", () => {
    const user = JSON.parse('{"id":"1","__proto__":{"polluted":true},"constructor":"x"}');
    const entry = toContextUser(user);
    expect(Object.keys(entry)).toEqual(["ID", "__proto__", "Constructor"]);
    expect((entry as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(entry, "__proto__")?.value).toEqual({ polluted: true });
  });
});
