// Microsoft Graph User against the emulator's built-in Graph doubles (no routes added by the test): every command
// through client credentials and through an authorization-code sign-in, the requests as Microsoft documents them
// (learn.microsoft.com/graph/api/user-list: GET /users with $select, $top and $filter; /user-get: GET
// /users/{id | userPrincipalName} with $select), -test counted at the emulator, and the permission diagnosis.
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

let harness: Harness;

const noGrantApp = () =>
  harness.emulator.seed.tenants[0]!.apps.find(
    (app) => app.secrets?.length && !Object.values(app.grants ?? {}).some((roles) => roles.length > 0),
  )!;
const noGrantParams = () => ({ auth_id: noGrantApp().clientId, enc_key: noGrantApp().secrets![0]!.value });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-user-list filters the seeded users", async () => {
    const result = await harness.run("msgraph-user-list", {
      filter: "startswith(displayName,'Megan')",
      properties: "displayName,department",
      limit: "5",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/users",
      query: { $top: "5", $filter: "startswith(displayName,'Megan')", $select: "id,displayName,department" },
    });
    expect(result.outputs).toEqual([
      { ID: "08fa38e4-cbfa-4488-94ed-c834da6539df", DisplayName: "Megan Bowen", Department: "Marketing" },
    ]);
    expect(result.readable).toContain("|Megan Bowen|");
  });

  it("msgraph-user-get reads one user by object ID", async () => {
    const result = await harness.run("msgraph-user-get", { user: "87d349ed-44d7-43e1-9a83-5f2406dee5bd" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
    });
    expect(harness.lastCall().query["$select"]).toContain("accountEnabled");
    expect(result.outputs).toMatchObject({
      DisplayName: "Alex Wilber",
      UserPrincipalName: "alexw@contoso.onmicrosoft.com",
      AccountEnabled: true,
    });
  });
});

describe("commands through an authorization-code sign-in", () => {
  it("signs in as the demo user and lists and reads users with the delegated token", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-user-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const list = await instance.run("msgraph-user-list", { limit: "3" });
    expect((list.outputs as unknown[]).length).toBe(3);
    const one = await instance.run("msgraph-user-get", { user: "lynner@contoso.onmicrosoft.com" });
    expect(one.outputs).toMatchObject({ DisplayName: "Lynne Robbins", AccountEnabled: false });
    expect(harness.emulator.tokenRequests().at(-1)).toMatchObject({ grantType: "authorization_code" });
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads users at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-user-test");
    const graph = harness.emulator.requests.filter((request) => request.service === "graph");
    expect(graph.length).toBeGreaterThanOrEqual(1);
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/users → 200");
  });

  it("-auth-test with an app without User.Read.All fails naming the permission", async () => {
    await expect(harness.run("msgraph-user-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission User\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-user-get", { user: "alexw@contoso.onmicrosoft.com" }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("msgraph-user-get needs: application permission User.Read.All");
  });
});
