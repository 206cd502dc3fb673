import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ALERT = {
  "@odata.type": "#microsoft.graph.security.alert",
  id: "da637551227677560813_-961444813",
  title: "Suspicious execution of hidden file",
  severity: "high",
  status: "new",
  serviceSource: "microsoftDefenderForEndpoint",
  createdDateTime: "2024-05-01T10:00:00Z",
  incidentId: "2972395",
};

let harness: Harness;
const patches: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["SecurityAlert.ReadWrite.All", "SecurityIncident.Read.All", "ThreatHunting.Read.All"] },
  });
  const { emulator } = harness;
  const alerts = {
    resource: "graph",
    roles: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"],
    scopes: ["SecurityAlert.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/security/alerts_v2", alerts, (ctx) => ctx.json(200, { value: [ALERT] }));
  emulator.addRoute("GET", "/v1.0/security/alerts_v2/:id", alerts, (ctx) => ctx.json(200, ALERT));
  emulator.addRoute(
    "PATCH",
    "/v1.0/security/alerts_v2/:id",
    { resource: "graph", roles: ["SecurityAlert.ReadWrite.All"] },
    (ctx) => {
      patches.push(ctx.body);
      return ctx.json(200, { ...ALERT, ...(ctx.body as object) });
    },
  );
  emulator.addRoute(
    "GET",
    "/v1.0/security/incidents",
    { resource: "graph", roles: ["SecurityIncident.Read.All"] },
    (ctx) =>
      ctx.json(200, {
        value: [{ id: "2972395", displayName: "Multi-stage incident", severity: "high", status: "active" }],
      }),
  );
  emulator.addRoute(
    "POST",
    "/v1.0/security/runHuntingQuery",
    { resource: "graph", roles: ["ThreatHunting.Read.All"] },
    (ctx) =>
      ctx.json(200, {
        schema: [
          { name: "DeviceName", type: "String" },
          { name: "Count", type: "Int64" },
        ],
        results: [{ DeviceName: "desktop-adele", Count: 3 }],
        query: (ctx.body as { Query: string }).Query,
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("alerts, incidents and hunting", () => {
  it("msg-search-alerts filters alerts_v2", async () => {
    const result = await harness.run("msg-search-alerts", { severity: "high", status: "new", limit: "5" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/security/alerts_v2",
      query: {
        $top: "5",
        $filter: "severity eq 'high' and status eq 'new'",
        $orderby: "createdDateTime desc",
      },
    });
    expect(result.readable).toContain(
      `|${ALERT.id}|Suspicious execution of hidden file|high|new|microsoftDefenderForEndpoint|`,
    );
    expect(result.outputs).toEqual([expect.not.objectContaining({ "@odata.type": expect.anything() })]);
  });

  it("msg-get-alert-details and msg-update-alert", async () => {
    await harness.run("msg-get-alert-details", { alert_id: ALERT.id });
    expect(harness.lastCall().path).toBe(`/v1.0/security/alerts_v2/${ALERT.id}`);
    const result = await harness.run("msg-update-alert", {
      alert_id: ALERT.id,
      status: "resolved",
      classification: "truePositive",
      assigned_to: "soc@contoso.com",
    });
    expect(harness.lastCall().method).toBe("PATCH");
    expect(patches.at(-1)).toEqual({
      status: "resolved",
      classification: "truePositive",
      assignedTo: "soc@contoso.com",
    });
    expect(result.readable).toBe(`Alert ${ALERT.id} has been successfully updated.`);
  });

  it("msg-list-security-incident and msg-advanced-hunting", async () => {
    const incidents = await harness.run("msg-list-security-incident", { status: "active" });
    expect(harness.lastCall().query).toMatchObject({ $filter: "status eq 'active'" });
    expect(incidents.readable).toContain("|2972395|Multi-stage incident|high|active|");
    const hunting = await harness.run("msg-advanced-hunting", {
      query: "DeviceProcessEvents | summarize Count=count() by DeviceName",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/security/runHuntingQuery",
      body: { Query: "DeviceProcessEvents | summarize Count=count() by DeviceName" },
    });
    expect(hunting.readable).toContain("|DeviceName|Count|\n|---|---|\n|desktop-adele|3|");
  });
});

describe("auth errors", () => {
  it("an app without ThreatHunting.Read.All cannot hunt", async () => {
    await expect(
      harness.runWithToken(
        "msg-advanced-hunting",
        { query: "DeviceEvents" },
        { roles: ["SecurityAlert.Read.All"] },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
