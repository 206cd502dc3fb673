import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Defender for Cloud double (no routes added here), through client
// credentials and a managed identity. Paths and api-versions: learn.microsoft.com/rest/api/defenderforcloud/alerts
// (List, List By Resource Group, List Subscription Level By Region, Get Subscription Level, Update Subscription
// Level State To …: api-version 2022-01-01) and …/locations/list (api-version 2015-06-01-preview).

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SECURITY = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Security`;
const ALERT = "2518770965529163669_F144EE95-A3E5-42DA-A279-967D115809AA";

let harness: Harness;

function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: { default_sub_id: SUBSCRIPTION } });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("azure-sc against the built-in Defender for Cloud double", () => {
  it("azure-sc-list-location lists the subscription's Defender for Cloud location", async () => {
    const result = await harness.run("azure-sc-list-location");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SECURITY}/locations`,
      query: { "api-version": "2015-06-01-preview" },
    });
    expect(result.outputs).toEqual([{ Name: "centralus", HomeRegionName: "centralus" }]);
  });

  it("azure-sc-list-alert lists the subscription's, a resource group's and a location's alerts", async () => {
    const all = await harness.run("azure-sc-list-alert");
    expect(harness.lastCall()).toMatchObject({
      path: `${SECURITY}/alerts`,
      query: { "api-version": "2022-01-01" },
    });
    expect(all.readable).toContain("|Suspicious authentication activity|vm-web-01|");
    expect(all.outputs).toHaveLength(3);
    await harness.run("azure-sc-list-alert", { resource_group_name: "soc-rg", limit: "1" });
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.Security/alerts`,
    );
    const located = await harness.run("azure-sc-list-alert", { asc_location: "centralus" });
    expect(harness.lastCall().path).toBe(`${SECURITY}/locations/centralus/alerts`);
    expect(located.outputs).toEqual(
      expect.arrayContaining([expect.objectContaining({ Location: "centralus" })]),
    );
  });

  it("azure-sc-update-alert dismisses an alert, and azure-sc-get-alert then shows it Dismissed", async () => {
    const before = await harness.run("azure-sc-get-alert", { asc_location: "centralus", alert_id: ALERT });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SECURITY}/locations/centralus/alerts/${ALERT}`,
      query: { "api-version": "2022-01-01" },
    });
    expect(before.outputs).toMatchObject({ ID: ALERT, Status: "Active", Severity: "Medium" });
    const update = await harness.run("azure-sc-update-alert", {
      asc_location: "centralus",
      alert_id: ALERT,
      alert_update_action_type: "dismiss",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${SECURITY}/locations/centralus/alerts/${ALERT}/dismiss`,
      query: { "api-version": "2022-01-01" },
    });
    expect(update.outputs).toEqual({ ID: ALERT, ActionTaken: "dismiss" });
    const after = await harness.run("azure-sc-get-alert", { asc_location: "centralus", alert_id: ALERT });
    expect(after.readable).toContain("|Dismissed|");
    await harness.run("azure-sc-update-alert", {
      asc_location: "centralus",
      alert_id: ALERT,
      alert_update_action_type: "activate",
    });
  });

  it("azure-sc-update-alert takes XSOAR's in_progress, on a resource group's alert", async () => {
    const update = await harness.run("azure-sc-update-alert", {
      resource_group_name: "soc-rg",
      asc_location: "centralus",
      alert_id: ALERT,
      alert_update_action_type: "in_progress",
    });
    // Alerts - Update Resource Group Level State To In Progress: POST …/resourceGroups/{rg}/providers/
    // Microsoft.Security/locations/{loc}/alerts/{name}/inProgress (…/defenderforcloud/alerts/update-resource-group-level-state-to-in-progress).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.Security/locations/centralus/alerts/${ALERT}/inProgress`,
      query: { "api-version": "2022-01-01" },
    });
    expect(update.outputs).toEqual({ ID: ALERT, ActionTaken: "in_progress" });
    const after = await harness.run("azure-sc-get-alert", {
      resource_group_name: "soc-rg",
      asc_location: "centralus",
      alert_id: ALERT,
    });
    // Alerts - Get Resource Group Level (…/defenderforcloud/alerts/get-resource-group-level).
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.Security/locations/centralus/alerts/${ALERT}`,
    );
    expect(after.outputs).toMatchObject({ ID: ALERT, Status: "InProgress" });
    await harness.run("azure-sc-update-alert", {
      asc_location: "centralus",
      alert_id: ALERT,
      alert_update_action_type: "activate",
    });
  });

  it("azure-sc-list-alert sends XSOAR's OData filter, select and expand", async () => {
    const result = await harness.run("azure-sc-list-alert", {
      filter: "properties/status eq 'Active'",
      select: "name,properties",
      expand: "properties",
    });
    expect(harness.lastCall().query).toEqual({
      "api-version": "2022-01-01",
      $filter: "properties/status eq 'Active'",
      $select: "name,properties",
      $expand: "properties",
    });
    expect(result.outputs).toHaveLength(3);
  });

  it("azure-list-subscriptions and azure-resource-group-list read Resource Manager", async () => {
    const subscriptions = await harness.run("azure-list-subscriptions");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect((subscriptions.outputs as Array<{ ID: string }>).length).toBeGreaterThan(0);
    expect(subscriptions.outputs).toEqual(
      expect.arrayContaining([expect.objectContaining({ Enabled: "Enabled" })]),
    );
    const groups = await harness.run("azure-resource-group-list", {
      subscription_id: "1b2c3d4e-5f60-4718-829a-abcdef012345",
    });
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      path: "/subscriptions/1b2c3d4e-5f60-4718-829a-abcdef012345/resourcegroups",
      query: { "api-version": "2021-04-01" },
    });
    expect(groups.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ name: "msint-demo" })]));
  });

  it("an unknown alert is the service's 404; a managed identity reads alerts too", async () => {
    await expect(
      harness.run("azure-sc-get-alert", { asc_location: "centralus", alert_id: "nope" }),
    ).rejects.toThrow(/404|NotFound/);
    const result = await harness.run("azure-sc-list-alert", {}, { use_managed_identities: true });
    expect(result.outputs).toHaveLength(3);
    expect(harness.requests.some((call) => call.host === "169.254.169.254")).toBe(true);
  });
});

describe("azure-sc-test and access errors", () => {
  it("-test lists the locations at Resource Manager, counted at the emulator, and names what it reached", async () => {
    const result = await harness.run("azure-sc-test");
    const served = harness.emulator.requests.filter((entry) => entry.service === "arm");
    expect(served.map((entry) => entry.path)).toEqual([`${SECURITY}/locations`]);
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${SECURITY}/locations → 200`,
    );
  });

  it("an app without a role: -test fails naming Security Reader; update's 403 names Security Admin", async () => {
    await expect(harness.run("azure-sc-test", {}, noGrantApp())).rejects.toThrow(
      /answered HTTP 403[\s\S]*Security Reader/,
    );
    await expect(
      harness.run(
        "azure-sc-update-alert",
        { asc_location: "centralus", alert_id: ALERT, alert_update_action_type: "resolve" },
        noGrantApp(),
      ),
    ).rejects.toThrow(
      "azure-sc-update-alert needs: delegated permission user_impersonation; Azure role Security Admin, or Contributor",
    );
  });
});
