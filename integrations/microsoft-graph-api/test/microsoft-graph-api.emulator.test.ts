// Microsoft Graph API against the emulator's built-in Graph doubles (no routes added by the test): the documented
// example requests of msgraph-api-request (/users with $top and $select, /security/alerts_v2, a PATCH of a user with
// {"accountEnabled": false}) and msgraph-api-organization-get, through client credentials, device code and an
// authorization-code sign-in. Request shapes from learn.microsoft.com/graph/api: user-list, user-update (PATCH
// /users/{id}, 204), security-list-alerts_v2, organization-list (GET /organization with $select), user-get (/me).
import { DEMO_TENANT_ID, type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ISAIAH = "074e56ea-0b50-4461-89e5-c67ae14a2c0b";

let harness: Harness;

const noGrantParams = () => ({ ...NO_GRANT_PARAMS });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-api-request GET /users with OData options", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "/users",
      odata: "$top=5&$select=id,displayName",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/users",
      query: { $top: "5", $select: "id,displayName" },
    });
    expect(result.outputsPrefix).toBe("MicrosoftGraph");
    expect(result.outputs).toHaveLength(5);
    expect(result.readable).toContain("### Microsoft Graph: GET /users");
    expect(result.readable).toContain("|Adele Vance|");
  });

  it("msgraph-api-request sends XSOAR's headers argument (an advanced query with ConsistencyLevel)", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "/users",
      odata: "$count=true&$top=2",
      headers: "ConsistencyLevel=eventual, X-Request-Tag=soc",
    });
    // learn.microsoft.com/graph/aad-advanced-queries: $count on directory objects with ConsistencyLevel: eventual.
    expect(harness.lastCall()).toMatchObject({
      path: "/v1.0/users",
      query: { $count: "true", $top: "2" },
      headers: { consistencylevel: "eventual", "x-request-tag": "soc" },
    });
    expect(result.outputs).toHaveLength(2);
    await expect(
      harness.run("msgraph-api-request", { resource: "/users", headers: "Authorization=Bearer x" }),
    ).rejects.toThrow("the Authorization header comes from the instance's authentication");
  });

  it("msgraph-api-request GET /security/alerts_v2 without populating the context", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "security/alerts_v2",
      odata: "$filter=severity eq 'medium'",
      populate_context: "false",
    });
    expect(harness.lastCall()).toMatchObject({
      path: "/v1.0/security/alerts_v2",
      query: { $filter: "severity eq 'medium'" },
    });
    expect(result.outputs).toBeUndefined();
    expect(result.readable).toContain("Phishing email delivered to a mailbox");
  });

  it("msgraph-api-request on the beta endpoint", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "/security/incidents",
      api_version: "beta",
      odata: "$filter=status eq 'resolved'",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/beta/security/incidents" });
    expect(result.outputs).toEqual([expect.objectContaining({ id: "2972397", status: "resolved" })]);
  });

  it("msgraph-api-request PATCH disables a user (204); a later GET shows it", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: `/users/${ISAIAH}`,
      http_method: "PATCH",
      request_body: '{"accountEnabled": false}',
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/users/${ISAIAH}`,
      body: { accountEnabled: false },
    });
    expect(result.readable).toBe(`The API returned no content (PATCH /users/${ISAIAH}).`);
    const after = await harness.run("msgraph-api-request", {
      resource: `/users/${ISAIAH}`,
      odata: "$select=displayName,accountEnabled",
    });
    expect(after.outputs).toMatchObject({ displayName: "Isaiah Langer", accountEnabled: false });
  });

  it("msgraph-api-organization-get reads the tenant", async () => {
    const result = await harness.run("msgraph-api-organization-get");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/organization",
      query: { $select: "id,displayName,verifiedDomains,countryLetterCode" },
    });
    expect(result.outputs).toMatchObject({
      id: DEMO_TENANT_ID,
      displayName: "Contoso",
      verifiedDomains: [expect.objectContaining({ name: "contoso.onmicrosoft.com", isDefault: true })],
    });
    expect(result.readable).toContain(`|${DEMO_TENANT_ID}|Contoso|US|contoso.onmicrosoft.com|`);
  });
});

describe("delegated flows", () => {
  it("device code: auth-start, approval, auth-complete; then /me and the organization", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
    });
    await instance.set({ enc_key: undefined });
    await instance.run("msgraph-api-auth-start");
    const code = harness.emulator.lastDeviceCode()!;
    harness.emulator.approveDeviceCode(code.userCode, "meganb@contoso.onmicrosoft.com");
    await instance.run("msgraph-api-auth-complete");
    const me = await instance.run("msgraph-api-request", { resource: "/me" });
    expect(me.outputs).toMatchObject({ displayName: "Megan Bowen" });
    const organization = await instance.run("msgraph-api-organization-get");
    expect(organization.outputs).toMatchObject({ id: DEMO_TENANT_ID });
  });

  it("authorization code: the signed-in user's /me", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-api-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });
    const me = await instance.run("msgraph-api-request", { resource: "me" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/v1.0/me" });
    expect(me.outputs).toMatchObject({ userPrincipalName: "adelev@contoso.onmicrosoft.com" });
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads the organization at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-api-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/organization → 200");
  });

  it("-auth-test with an app without Organization.Read.All fails naming it", async () => {
    await expect(harness.run("msgraph-api-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission Organization\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-api-organization-get", {}, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-api-organization-get needs: application permission Organization.Read.All",
    );
  });
});

describe("XSOAR's built-in public client", () => {
  it("an instance without an App/Client ID starts device code with 8922dd2d-7539-4711-b839-374f86083959", async () => {
    // The App/Client ID default of XSOAR's yml (data/xsoar/microsoft-graph-api.json, builtInClientId).
    expect(integration.parameter("auth_id")?.defaultValue).toBe("8922dd2d-7539-4711-b839-374f86083959");
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: undefined,
      enc_key: undefined,
      self_deployed: undefined,
    });
    // The emulator's Contoso has no such app, so the sign-in stops there; the request on the wire is what counts
    // (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code: POST /{tenant}/oauth2/v2.0/devicecode).
    await instance.run("msgraph-api-auth-start").catch(() => undefined);
    const request = harness.requests.find((candidate) => candidate.path.endsWith("/oauth2/v2.0/devicecode"));
    expect(new URLSearchParams(String(request?.body)).get("client_id")).toBe(
      "8922dd2d-7539-4711-b839-374f86083959",
    );
  });
});
