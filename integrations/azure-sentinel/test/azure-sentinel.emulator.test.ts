import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Microsoft Sentinel double (no routes added here), through client
// credentials and a managed identity. Paths and api-version: learn.microsoft.com/rest/api/securityinsights
// (Incidents - List/Get, Incident Comments - Create Or Update, Watchlists - List; api-version 2022-11-01).

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SENTINEL = `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights`;
const INCIDENT = "73e01a99-5cd7-4139-a149-9f2736ff2ab5";
const PARAMS = { subscriptionID: SUBSCRIPTION, resourceGroupName: "soc-rg", workspaceName: "soc-ws" };

let harness: Harness;

/** The seed's app registration without any permission or role (the emulator's "no grant" demo app). */
function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: PARAMS });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("azure-sentinel against the built-in Sentinel double", () => {
  it("azure-sentinel-list-incidents pages newest first with $top and follows the printed next link", async () => {
    const first = await harness.run("azure-sentinel-list-incidents", { limit: "2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SENTINEL}/incidents`,
      query: { "api-version": "2022-11-01", $top: "2", $orderby: "properties/createdTimeUtc desc" },
    });
    expect(first.readable).toContain(`|${INCIDENT}|3177|Multiple failed sign-ins|High|New|Adele Vance|`);
    expect(first.readable).toContain("|3176|Suspicious PowerShell command line|Medium|Active|Megan Bowen|");
    expect(first.readable).not.toContain("3175");
    const nextLink = /next_link=.?(https:[^\s'"]+)/.exec(first.readable)?.[1];
    expect(nextLink).toMatch(/^https:\/\/management\.azure\.com\//);
    const second = await harness.run("azure-sentinel-list-incidents", { next_link: nextLink! });
    expect(harness.lastCall().query).toMatchObject({ $skipToken: "2", "api-version": "2022-11-01" });
    expect(second.readable).toContain("|3175|Mass download by a single user|Low|Closed|");
  });

  it("azure-sentinel-list-incidents sends the $filter and shows only matching incidents", async () => {
    const result = await harness.run("azure-sentinel-list-incidents", {
      filter: "properties/status eq 'Active'",
    });
    expect(harness.lastCall().query["$filter"]).toBe("properties/status eq 'Active'");
    expect(result.outputs).toEqual([expect.objectContaining({ IncidentNumber: 3176, Status: "Active" })]);
  });

  it("azure-sentinel-get-incident-by-id reads the seeded incident; an unknown ID is the service's 404", async () => {
    const result = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: INCIDENT });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents/${INCIDENT}`,
      query: { "api-version": "2022-11-01" },
    });
    expect(result.outputs).toMatchObject({
      ID: INCIDENT,
      Title: "Multiple failed sign-ins",
      Severity: "High",
    });
    await expect(
      harness.run("azure-sentinel-get-incident-by-id", {
        incident_id: "00000000-0000-0000-0000-000000000000",
      }),
    ).rejects.toThrow(/404|NotFound/);
  });

  it("azure-sentinel-incident-add-comment PUTs a new comment that the incident then counts", async () => {
    const result = await harness.run("azure-sentinel-incident-add-comment", {
      incident_id: INCIDENT,
      message: "Investigating from the emulator",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      query: { "api-version": "2022-11-01" },
      body: { properties: { message: "Investigating from the emulator" } },
    });
    expect(call.path).toMatch(new RegExp(`^${SENTINEL}/incidents/${INCIDENT}/comments/[0-9a-f-]{36}$`));
    expect(result.outputs).toMatchObject({
      IncidentID: INCIDENT,
      Message: "Investigating from the emulator",
    });
    expect(result.readable).toContain("Investigating from the emulator");
    const incident = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: INCIDENT });
    expect(incident.raw).toMatchObject({ properties: { additionalData: { commentsCount: 1 } } });
  });

  it("azure-sentinel-list-watchlists lists the workspace's watchlists", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/watchlists`,
      query: { "api-version": "2022-11-01" },
    });
    expect(result.readable).toContain("|High Value Assets|high-value-assets|high-value-assets|");
    expect(result.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ Alias: "vip-users" })]));
  });

  it("runs with a managed identity too", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists", {}, { use_managed_identities: true });
    expect(result.outputs).toHaveLength(2);
    expect(harness.requests.some((call) => call.host === "169.254.169.254")).toBe(true);
  });

  it("a workspace that does not exist is Resource Manager's 404", async () => {
    await expect(
      harness.run("azure-sentinel-list-watchlists", {}, { workspaceName: "other-ws" }),
    ).rejects.toThrow("ResourceNotFound");
  });
});

describe("azure-sentinel-test and access errors", () => {
  it("-test lists one incident at Resource Manager, counted at the emulator, and names what it reached", async () => {
    const result = await harness.run("azure-sentinel-test");
    const served = harness.emulator.requests.filter((entry) => entry.service === "arm");
    expect(served).toHaveLength(1);
    expect(served[0]!.path).toBe(`${SENTINEL}/incidents`);
    expect(harness.lastCall().query).toMatchObject({ $top: "1", "api-version": "2022-11-01" });
    expect(result.readable).toContain(
      "✅ Success! Azure Sentinel authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${SENTINEL}/incidents → 200`,
    );
    expect(result.readable).toContain("Microsoft Sentinel Reader");
  });

  it("an app without a role on the workspace: -test names the role, and a command's 403 names its permission", async () => {
    // Resource Manager authorizes with Azure RBAC: the token carries no role, so -auth-test cannot tell; the
    // service's 403 can.
    await expect(harness.run("azure-sentinel-test", {}, noGrantApp())).rejects.toThrow(
      /answered HTTP 403[\s\S]*Microsoft Sentinel Reader/,
    );
    await expect(
      harness.run(
        "azure-sentinel-incident-add-comment",
        { incident_id: INCIDENT, message: "x" },
        noGrantApp(),
      ),
    ).rejects.toThrow(
      "azure-sentinel-incident-add-comment needs: delegated permission user_impersonation; Azure role Microsoft Sentinel Responder, or Microsoft Sentinel Contributor",
    );
  });
});
