// Microsoft Graph User against the Entra ID emulator, through the shared harness every integration's tests use:
// the instance is in the Worldwide cloud (graph.microsoft.com, login.microsoftonline.com) and the harness sends its
// requests to the emulator, recording each as the integration sent it.
// Facts: GET /v1.0/users takes $select, $top and $filter and pages with @odata.nextLink; GET /v1.0/users/{id |
// userPrincipalName} returns one user, 404 Request_ResourceNotFound when there is none (Microsoft Graph REST v1.0,
// "List users" and "Get user").
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import integration, { toContextUser } from "../src/index.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("Microsoft Graph User manifest", () => {
  it("generates the auth commands beside its own", () => {
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
    const result = await harness.run("msgraph-user-list", { limit: "2" });
    const call = harness.lastCall();
    expect(call).toMatchObject({ method: "GET", host: "graph.microsoft.com", path: "/v1.0/users" });
    expect(call.query).toMatchObject({ $top: "2" });
    // User-Agent msint/<kit version> <integration>/<its package version>: Microsoft's service logs show it.
    expect(call.headers["user-agent"]).toMatch(
      new RegExp(`^msint/\\d+\\.\\d+\\.\\d+ msgraph-user/${packageJson.version.replaceAll(".", "\\.")}$`),
    );
    expect(call.headers["authorization"]).toMatch(/^Bearer \S+/);
    expect(call.query["$select"]).toContain("userPrincipalName");
    expect(result.readable).toMatch(/^### All Graph Users\n\|DisplayName\|UserPrincipalName\|/);
    expect(result.outputsPrefix).toBe("MSGraphUser");
    // As XSOAR's MSGraphUser.NextPage: the next-page link is the first entry, then the users.
    const [nextPage, ...users] = result.outputs as Array<Record<string, unknown>>;
    expect(nextPage).toEqual({ NextPage: expect.stringContaining("/v1.0/users?") });
    expect(users).toHaveLength(2);
    expect(result.additionalOutputs?.["Account"]).toHaveLength(2);
    expect(result.readable).toContain("next_page=");
  });

  it("follows next_page to the rest of the users, with the one token of the instance", async () => {
    const instance = await harness.instance({});
    const first = await instance.run("msgraph-user-list", { limit: "2" });
    // Graph's @odata.nextLink is absolute on its own host; the emulator's double writes its loopback origin, so
    // the link is put back on graph.microsoft.com, where the instance's requests go.
    const emulatorLink = new URL((first.raw as { "@odata.nextLink": string })["@odata.nextLink"]);
    const nextLink = `https://graph.microsoft.com${emulatorLink.pathname}${emulatorLink.search}`;
    const second = await instance.run("msgraph-user-list", { next_page: nextLink });
    const idsOf = (outputs: unknown) =>
      (outputs as Array<{ ID?: string }>).flatMap((user) => (user.ID ? [user.ID] : []));
    const firstIds = idsOf(first.outputs);
    const secondIds = idsOf(second.outputs);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    expect(harness.calls.at(-1)).toMatchObject({ host: "graph.microsoft.com", path: "/v1.0/users" });
    expect(harness.emulator.tokenRequests()).toHaveLength(1);
  });

  it("refuses a next_page link to another host (the token never leaves the instance's endpoint)", async () => {
    await expect(
      harness.run("msgraph-user-list", { next_page: "https://evil.example.com/v1.0/users" }),
    ).rejects.toThrow("Refusing to call https://evil.example.com");
    expect(harness.calls).toHaveLength(0);
  });

  it("rejects a limit out of range", async () => {
    await expect(harness.run("msgraph-user-list", { limit: "0" })).rejects.toThrow(
      "limit must be a whole number from 1 to 999",
    );
  });
});

describe("msgraph-user-get", () => {
  it("gets a user by user principal name", async () => {
    const user = harness.emulator.seed.tenants[0]!.users![0]!;
    const result = await harness.run("msgraph-user-get", { user: user.userPrincipalName });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: `/v1.0/users/${user.userPrincipalName}`,
    });
    expect(result.outputs).toMatchObject({
      ID: user.id,
      DisplayName: user.displayName,
      UserPrincipalName: user.userPrincipalName,
    });
    expect(result.readable).toContain(`### ${user.userPrincipalName} data`);
  });

  it("reports a missing user in Graph's words", async () => {
    await expect(harness.run("msgraph-user-get", { user: "nobody@contoso.onmicrosoft.com" })).rejects.toThrow(
      "Request_ResourceNotFound",
    );
  });
});

describe("auth commands", () => {
  it("auth-test succeeds and -test reaches Graph", async () => {
    const authTest = await harness.run("msgraph-user-auth-test");
    expect(authTest.readable).toMatch(
      /^✅ Success!\nGranted in the token, Application \(roles\): .*User\.Read\.All/,
    );
    const test = await harness.run("msgraph-user-test");
    expect(test.readable).toContain("reached:\n- Microsoft Graph: GET graph.microsoft.com/v1.0/users → 200");
    expect(harness.lastCall()).toMatchObject({ host: "graph.microsoft.com", path: "/v1.0/users" });
  });

  it("explains missing permissions when the app has no Graph grant", async () => {
    const noGrant = harness.emulator.seed.tenants[0]!.apps.find(
      (app) => !app.grants?.["graph"]?.length && app.secrets?.length,
    );
    expect(noGrant).toBeDefined();
    const error = await harness
      .run("msgraph-user-list", {}, { auth_id: noGrant!.clientId, enc_key: noGrant!.secrets![0]!.value })
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("msgraph-user-auth-reset");
  });

  it("auth-reset clears the cached token so the next command fetches a new one", async () => {
    const instance = await harness.instance({});
    await instance.run("msgraph-user-auth-test");
    await instance.run("msgraph-user-auth-test");
    // The second run used the cached token.
    expect(harness.emulator.tokenRequests()).toHaveLength(1);
    await instance.run("msgraph-user-auth-reset");
    await instance.run("msgraph-user-auth-test");
    expect(harness.emulator.tokenRequests()).toHaveLength(2);
  });

  it("a wrong client secret fails at the token endpoint", async () => {
    await expect(harness.run("msgraph-user-list", {}, { enc_key: "wrong" })).rejects.toThrow("AADSTS7000215");
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
