import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const INCIDENT = {
  incidentId: 924518,
  incidentName: "Email reported by user as malware or phish",
  status: "Active",
  severity: "Informational",
  assignedTo: null,
  classification: "Unknown",
  createdTime: "2024-05-01T10:00:00Z",
  alerts: [{ alertId: "faf8edc936-85f8-4603-b800-9ac1e2b8eb5b" }],
};

let harness: Harness;
const patches: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "microsoft-365-defender": ["https://api.security.microsoft.com"] },
    grants: { "microsoft-365-defender": ["Incident.ReadWrite.All", "AdvancedHunting.Read.All"] },
  });
  const { emulator } = harness;
  const incidents = {
    resource: "microsoft-365-defender",
    roles: ["Incident.Read.All", "Incident.ReadWrite.All"],
    scopes: ["Incident.ReadWrite"],
  };
  emulator.addRoute("GET", "/api/incidents", incidents, (ctx) => ctx.json(200, { value: [INCIDENT] }));
  emulator.addRoute("GET", "/api/incidents/:id", incidents, (ctx) => ctx.json(200, INCIDENT));
  emulator.addRoute(
    "PATCH",
    "/api/incidents/:id",
    { resource: "microsoft-365-defender", roles: ["Incident.ReadWrite.All"] },
    (ctx) => {
      patches.push(ctx.body);
      return ctx.json(200, { ...INCIDENT, ...(ctx.body as object) });
    },
  );
  emulator.addRoute(
    "POST",
    "/api/advancedhunting/run",
    { resource: "microsoft-365-defender", roles: ["AdvancedHunting.Read.All"] },
    (ctx) =>
      ctx.json(200, {
        Schema: [{ Name: "Timestamp" }, { Name: "FileName" }],
        Results: [{ Timestamp: "2024-05-01T10:00:00Z", FileName: "invoice.exe" }],
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("incidents and hunting", () => {
  it("microsoft-365-defender-incidents-list with a token for https://api.security.microsoft.com", async () => {
    const result = await harness.run("microsoft-365-defender-incidents-list", {
      status: "Active",
      limit: "10",
      offset: "20",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.security.microsoft.com",
      path: "/api/incidents",
      query: { $top: "10", $skip: "20", $filter: "status eq 'Active'" },
    });
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(
      "https://api.security.microsoft.com/.default",
    );
    expect(result.readable).toContain(
      "|924518|Email reported by user as malware or phish|Active|Informational||Unknown|2024-05-01T10:00:00Z|1|",
    );
  });

  it("the Endpoint URI picks a regional API; the audience stays api.security.microsoft.com", async () => {
    await harness.run(
      "microsoft-365-defender-incident-get",
      { id: "924518" },
      { base_url: "https://api-eu.security.microsoft.com" },
    );
    expect(harness.lastCall()).toMatchObject({
      host: "api-eu.security.microsoft.com",
      path: "/api/incidents/924518",
    });
  });

  it("microsoft-365-defender-incident-update PATCHes the changes", async () => {
    await harness.run("microsoft-365-defender-incident-update", {
      id: "924518",
      status: "Resolved",
      classification: "TruePositive",
      tags: "phish, ir-42",
    });
    expect(harness.lastCall()).toMatchObject({ method: "PATCH", path: "/api/incidents/924518" });
    expect(patches.at(-1)).toEqual({
      status: "Resolved",
      classification: "TruePositive",
      tags: ["phish", "ir-42"],
    });
  });

  it("microsoft-365-defender-advanced-hunting", async () => {
    const result = await harness.run("microsoft-365-defender-advanced-hunting", {
      query: "EmailAttachmentInfo | take 1",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/advancedhunting/run",
      body: { Query: "EmailAttachmentInfo | take 1 | limit 50" },
    });
    expect(result.readable).toContain("|Timestamp|FileName|\n|---|---|\n|2024-05-01T10:00:00Z|invoice.exe|");
  });
});

describe("auth errors", () => {
  it("an app without Incident.ReadWrite.All cannot update", async () => {
    await expect(
      harness.runWithToken(
        "microsoft-365-defender-incident-update",
        { id: "1", status: "Resolved" },
        { roles: ["Incident.Read.All"] },
      ),
    ).rejects.toThrow("AuthorizationFailed");
  });
});
