// Azure Active Directory Identity And Access against the emulator's built-in Graph doubles and their seeded
// directory roles, Conditional Access policies and named locations (no routes added by the test): client
// credentials and the integration's device code flow. Request shapes from learn.microsoft.com/graph/api:
// directoryrole-list (GET /directoryRoles), directoryrole-list-members (GET /directoryRoles/{id}/members),
// directoryrole-post-members (POST /directoryRoles/{id}/members/$ref with an @odata.id),
// conditionalaccessroot-list-policies (GET /identity/conditionalAccess/policies, $filter) and
// conditionalaccessroot-list-namedlocations (GET /identity/conditionalAccess/namedLocations, $filter isof(…)).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SECURITY_ADMIN = "3b1d5f7a-9c2e-4d4f-8a6b-0c2e4f6a8b0d";
const MEGAN = "08fa38e4-cbfa-4488-94ed-c834da6539df";
const ALEX = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";

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
  it("msgraph-identity-directory-roles-list lists the activated roles", async () => {
    const result = await harness.run("msgraph-identity-directory-roles-list", { limit: "10" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/directoryRoles",
    });
    expect(result.outputs).toContainEqual({
      id: SECURITY_ADMIN,
      displayName: "Security Administrator",
      roleTemplateId: "194ae4cb-b126-40b2-bd5b-6091b380977d",
      description: expect.stringContaining("security information"),
    });
  });

  it("-member-add adds a user to a role, and -members-list shows them", async () => {
    await harness.run("msgraph-identity-directory-role-member-add", {
      role_id: SECURITY_ADMIN,
      user_id: ALEX,
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/directoryRoles/${SECURITY_ADMIN}/members/$ref`,
      body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${ALEX}` },
    });
    const members = await harness.run("msgraph-identity-directory-role-members-list", {
      role_id: SECURITY_ADMIN,
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/directoryRoles/${SECURITY_ADMIN}/members`,
      query: { $top: "50" },
    });
    expect(members.outputs).toEqual({ role_id: SECURITY_ADMIN, user_id: [MEGAN, ALEX] });
    expect(members.readable).toContain("Alex Wilber");
  });

  it("msgraph-identity-ca-policies-list filters on state", async () => {
    const result = await harness.run("msgraph-identity-ca-policies-list", { filter: "state eq 'enabled'" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/identity/conditionalAccess/policies",
      query: { $filter: "state eq 'enabled'" },
    });
    expect((result.outputs as Array<{ displayName: string }>).map((policy) => policy.displayName)).toEqual([
      "Require MFA for all users",
      "Block legacy authentication",
    ]);
  });

  it("msgraph-identity-ip-named-locations-list returns only IP named locations", async () => {
    const result = await harness.run("msgraph-identity-ip-named-locations-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/identity/conditionalAccess/namedLocations",
      query: { $filter: "isof('microsoft.graph.ipNamedLocation')" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        display_name: "Contoso headquarters",
        is_trusted: true,
        ip_ranges: ["203.0.113.0/24", "2001:db8:1::/48"],
      }),
      expect.objectContaining({ display_name: "Known VPN egress", is_trusted: false }),
    ]);
  });

  it("msgraph-identity-ip-named-locations-list takes XSOAR's odata_query and page", async () => {
    const trusted = await harness.run("msgraph-identity-ip-named-locations-list", {
      odata_query: "isTrusted eq true",
    });
    // learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations: $filter on the named locations
    // (the IP ones are then picked by their @odata.type).
    expect(harness.lastCall().query).toMatchObject({ $filter: "isTrusted eq true" });
    expect(trusted.outputs).toEqual([expect.objectContaining({ display_name: "Contoso headquarters" })]);
    const second = await harness.run("msgraph-identity-ip-named-locations-list", { limit: "1", page: "2" });
    expect(second.outputs).toEqual([expect.objectContaining({ display_name: "Known VPN egress" })]);
  });
});

describe("commands through the device code flow", () => {
  it("a signed-in administrator's token lists roles, role members and Conditional Access", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
    });
    await instance.set({ enc_key: undefined });
    await instance.run("msgraph-identity-auth-start");
    const code = harness.emulator.lastDeviceCode()!;
    harness.emulator.approveDeviceCode(code.userCode, "adelev@contoso.onmicrosoft.com");
    await instance.run("msgraph-identity-auth-complete");
    const roles = await instance.run("msgraph-identity-directory-roles-list");
    expect((roles.outputs as unknown[]).length).toBeGreaterThan(0);
    const policies = await instance.run("msgraph-identity-ca-policies-list");
    expect(policies.outputs).toHaveLength(3);
    const locations = await instance.run("msgraph-identity-ip-named-locations-list");
    expect(locations.outputs).toHaveLength(2);
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads directory roles at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-identity-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/directoryRoles → 200");
  });

  it("-auth-test with an app without RoleManagement.Read.Directory fails naming it", async () => {
    await expect(harness.run("msgraph-identity-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission RoleManagement\.Read\.Directory/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-identity-ca-policies-list", {}, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-identity-ca-policies-list needs: application permission Policy.Read.All",
    );
  });
});

describe("XSOAR's built-in public client", () => {
  it("an instance without an App/Client ID starts device code with 597c0375-766f-4e6d-ad2a-f48117044ac5", async () => {
    // The App/Client ID default of XSOAR's yml (data/xsoar/azure-active-directory-identity-and-access.json, builtInClientId).
    expect(integration.parameter("auth_id")?.defaultValue).toBe("597c0375-766f-4e6d-ad2a-f48117044ac5");
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: undefined,
      enc_key: undefined,
      self_deployed: undefined,
    });
    // The emulator's Contoso has no such app, so the sign-in stops there; the request on the wire is what counts
    // (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code: POST /{tenant}/oauth2/v2.0/devicecode).
    await instance.run("msgraph-identity-auth-start").catch(() => undefined);
    const request = harness.requests.find((candidate) => candidate.path.endsWith("/oauth2/v2.0/devicecode"));
    expect(new URLSearchParams(String(request?.body)).get("client_id")).toBe(
      "597c0375-766f-4e6d-ad2a-f48117044ac5",
    );
  });
});
