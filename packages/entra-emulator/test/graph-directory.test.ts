// The built-in Graph directory, identity protection, Intune and security doubles (src/services/graph-*.ts): host
// routing, per-route permissions answered as Graph does (403 Authorization_RequestDenied), OData query options and
// state kept across calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, type RunningEmulator, startEmulator } from "../src/index.js";

let emulator: RunningEmulator;

async function call(
  method: string,
  path: string,
  token: { roles?: string[]; scp?: string },
  options: { host?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const accessToken = emulator.issueAccessToken({
    tenantId: DEMO_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    resource: options.host === "graph.microsoft.us" ? "https://graph.microsoft.us" : "graph",
    ...token,
    ...(token.scp ? { userId: "6e7b768e-07e2-4810-8459-485f84f8f204" } : {}),
  });
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      "x-forwarded-host": options.host ?? "graph.microsoft.com",
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe("Graph directory doubles", () => {
  it("list groups with GroupMember.Read.All; without a group permission 403 in Graph's shape", async () => {
    const ok = await call("GET", "/v1.0/groups?$filter=securityEnabled eq true&$select=displayName", {
      roles: ["GroupMember.Read.All"],
    });
    expect(ok.status).toBe(200);
    expect(ok.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#groups");
    expect(ok.body["value"]).toEqual([{ displayName: "SOC Analysts" }, { displayName: "SOC Tier 2" }]);
    const denied = await call("GET", "/v1.0/groups", { roles: ["User.Read.All"] });
    expect(denied.status).toBe(403);
    expect(denied.body["error"]).toMatchObject({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
      innerError: { "request-id": expect.any(String) },
    });
  });

  it("pages with $top and an @odata.nextLink on the addressed host", async () => {
    const first = await call("GET", "/v1.0/groups?$top=3", { roles: ["Group.Read.All"] });
    expect(first.body["value"]).toHaveLength(3);
    const next = new URL(first.body["@odata.nextLink"] as string);
    expect(next.host).toBe("graph.microsoft.com");
    const second = await call("GET", `${next.pathname}${next.search}`, { roles: ["Group.Read.All"] });
    expect(second.body["value"]).toHaveLength(1);
    expect(second.body).not.toHaveProperty("@odata.nextLink");
  });

  it("refuses an unknown property and a $top out of range", async () => {
    const unknown = await call("GET", "/v1.0/groups?$filter=colour eq 'red'", { roles: ["Group.Read.All"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body["error"]).toMatchObject({
      message: "Could not find a property named 'colour' on type 'microsoft.graph.group'.",
    });
    const top = await call("GET", "/v1.0/groups?$top=1000", { roles: ["Group.Read.All"] });
    expect(top.status).toBe(400);
  });

  it("user writes: PATCH, then the users double reads the change; manager and direct reports", async () => {
    const lynne = "e3d0513b-449e-4198-ba6f-bd97ae7cae85";
    const patched = await call(
      "PATCH",
      `/v1.0/users/${lynne}`,
      { roles: ["User.ReadWrite.All"] },
      {
        body: { jobTitle: "Senior Planner" },
      },
    );
    expect(patched.status).toBe(204);
    const user = await call("GET", `/v1.0/users/${lynne}?$select=jobTitle`, { roles: ["User.Read.All"] });
    expect(user.body).toMatchObject({ jobTitle: "Senior Planner" });
    const readOnly = await call(
      "PATCH",
      `/v1.0/users/${lynne}`,
      { roles: ["User.ReadWrite.All"] },
      {
        body: { id: "x" },
      },
    );
    expect(readOnly.status).toBe(400);
    const manager = await call("GET", `/v1.0/users/${lynne}/manager`, { roles: ["User.Read.All"] });
    expect(manager.body).toMatchObject({ displayName: "Adele Vance" });
    const reports = await call("GET", "/v1.0/users/adelev@contoso.onmicrosoft.com/directReports", {
      roles: ["User.Read.All"],
    });
    expect((reports.body["value"] as Array<{ displayName: string }>).map((u) => u.displayName)).toEqual([
      "Megan Bowen",
      "Lynne Robbins",
    ]);
    const revoked = await call("POST", `/v1.0/users/${lynne}/revokeSignInSessions`, {
      roles: ["User.ReadWrite.All"],
    });
    expect(revoked.body["value"]).toBe(true);
  });

  it("delegated tokens need the route's scopes", async () => {
    const withScope = await call("GET", "/v1.0/identityProtection/riskyUsers", {
      scp: "IdentityRiskyUser.Read.All",
    });
    expect(withScope.status).toBe(200);
    const without = await call("GET", "/v1.0/identityProtection/riskyUsers", { scp: "User.Read" });
    expect(without.status).toBe(403);
  });

  it("date-time filters and $orderby on risk detections", async () => {
    const { body } = await call(
      "GET",
      `/v1.0/identityProtection/riskDetections?$filter=${encodeURIComponent("detectedDateTime ge 2024-06-10T00:00:00Z")}&$orderby=detectedDateTime%20asc`,
      { roles: ["IdentityRiskEvent.Read.All"] },
    );
    expect((body["value"] as Array<{ riskEventType: string }>).map((d) => d.riskEventType)).toEqual([
      "anonymizedIPAddress",
      "unfamiliarFeatures",
    ]);
  });

  it("answers on graph.microsoft.us too, and not on another Microsoft host", async () => {
    const us = await call(
      "GET",
      "/v1.0/deviceManagement/managedDevices?$top=1",
      {
        roles: ["DeviceManagementManagedDevices.Read.All"],
      },
      { host: "graph.microsoft.us" },
    );
    expect(us.status).toBe(200);
    const other = await call(
      "GET",
      "/v1.0/deviceManagement/managedDevices",
      {
        roles: ["DeviceManagementManagedDevices.Read.All"],
      },
      { host: "management.azure.com" },
    );
    expect(other.status).toBe(404);
  });

  it("the demo app's client-credentials token holds the services' demo roles", async () => {
    const app = emulator.seed.tenants[0]!.apps.find((candidate) => candidate.clientId === DEMO_CLIENT_ID)!;
    expect(app.grants?.["graph"]).toEqual(
      expect.arrayContaining(["User.Read.All", "Group.ReadWrite.All", "SecurityAlert.ReadWrite.All"]),
    );
  });
});
