import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ROLE = {
  id: "1b0e3c9a-7f1a-4d8b-9c2e-3a4b5c6d7e8f",
  displayName: "Global Reader",
  roleTemplateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  description: "Can read everything.",
};
const USER_ID = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";

let harness: Harness;
const references: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["RoleManagement.ReadWrite.Directory", "Policy.Read.All"] },
  });
  const { emulator } = harness;
  const roles = {
    resource: "graph",
    roles: ["RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory"],
    scopes: ["RoleManagement.ReadWrite.Directory"],
  };
  const policies = { resource: "graph", roles: ["Policy.Read.All"], scopes: ["Policy.Read.All"] };
  emulator.addRoute("GET", "/v1.0/directoryRoles", roles, (ctx) => ctx.json(200, { value: [ROLE] }));
  emulator.addRoute("GET", "/v1.0/directoryRoles/:id/members", roles, (ctx) =>
    ctx.json(200, {
      value: [
        { id: USER_ID, displayName: "Adele Vance", userPrincipalName: "adelev@contoso.onmicrosoft.com" },
      ],
    }),
  );
  emulator.addRoute(
    "POST",
    "/v1.0/directoryRoles/:id/members/$ref",
    { resource: "graph", roles: ["RoleManagement.ReadWrite.Directory"] },
    (ctx) => {
      references.push(ctx.body);
      return ctx.empty(204);
    },
  );
  emulator.addRoute("GET", "/v1.0/identity/conditionalAccess/policies", policies, (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: "ca-1",
          displayName: "Require MFA for admins",
          state: "enabled",
          createdDateTime: "2024-01-01T00:00:00Z",
        },
      ],
    }),
  );
  emulator.addRoute("GET", "/v1.0/identity/conditionalAccess/namedLocations", policies, (ctx) =>
    ctx.json(200, {
      value: [
        {
          "@odata.type": "#microsoft.graph.ipNamedLocation",
          id: "loc-1",
          displayName: "HQ",
          isTrusted: true,
          ipRanges: [{ cidrAddress: "203.0.113.0/24" }],
        },
      ],
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("directory roles", () => {
  it("msgraph-identity-directory-roles-list", async () => {
    const result = await harness.run("msgraph-identity-directory-roles-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/directoryRoles",
    });
    expect(result.readable).toContain(
      `|${ROLE.id}|Global Reader|Can read everything.|${ROLE.roleTemplateId}|`,
    );
  });

  it("msgraph-identity-directory-role-members-list and -member-add", async () => {
    const members = await harness.run("msgraph-identity-directory-role-members-list", { role_id: ROLE.id });
    expect(harness.lastCall()).toMatchObject({
      path: `/v1.0/directoryRoles/${ROLE.id}/members`,
      query: { $top: "50" },
    });
    expect(members.outputs).toEqual({ role_id: ROLE.id, user_id: [USER_ID] });
    await harness.run("msgraph-identity-directory-role-member-add", { role_id: ROLE.id, user_id: USER_ID });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/directoryRoles/${ROLE.id}/members/$ref`,
    });
    expect(references.at(-1)).toEqual({
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${USER_ID}`,
    });
  });
});

describe("conditional access", () => {
  it("msgraph-identity-ca-policies-list and -ip-named-locations-list", async () => {
    const result = await harness.run("msgraph-identity-ca-policies-list", { filter: "state eq 'enabled'" });
    expect(harness.lastCall()).toMatchObject({
      path: "/v1.0/identity/conditionalAccess/policies",
      query: { $filter: "state eq 'enabled'" },
    });
    expect(result.readable).toContain("|ca-1|Require MFA for admins|enabled|");
    const locations = await harness.run("msgraph-identity-ip-named-locations-list");
    expect(harness.lastCall().query).toEqual({ $filter: "isof('microsoft.graph.ipNamedLocation')" });
    expect(locations.outputs).toEqual([
      expect.objectContaining({
        id: "loc-1",
        display_name: "HQ",
        is_trusted: true,
        ip_ranges: ["203.0.113.0/24"],
      }),
    ]);
  });
});

describe("auth errors", () => {
  it("a signed-in user without RoleManagement.ReadWrite.Directory is denied", async () => {
    await expect(
      harness.runWithToken("msgraph-identity-directory-roles-list", {}, { scp: "User.Read" }),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
