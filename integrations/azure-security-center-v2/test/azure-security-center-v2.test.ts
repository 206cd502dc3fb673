import {
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  type Harness,
  startHarness,
} from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SECURITY = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Security`;
const ALERT = {
  id: `${SECURITY}/locations/centralus/alerts/2517538088322968242_d1521a9c`,
  name: "2517538088322968242_d1521a9c",
  properties: {
    alertDisplayName: "Suspicious PowerShell activity detected",
    compromisedEntity: "web-01",
    severity: "High",
    status: "Active",
    timeGeneratedUtc: "2024-05-01T10:00:00Z",
    alertType: "VM_PowerShellSuspicious",
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { default_sub_id: SUBSCRIPTION } });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Security/alerts",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [ALERT] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Security/locations/:loc/alerts/:id",
    { resource: "arm" },
    (ctx) => ctx.json(200, ALERT),
  );
  emulator.addRoute(
    "POST",
    "/subscriptions/:sub/providers/Microsoft.Security/locations/:loc/alerts/:id/:action",
    { resource: "arm" },
    (ctx) => ctx.empty(204),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Security/locations",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [{ name: "centralus", properties: { homeRegionName: "centralus" } }] }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("alerts", () => {
  it("azure-sc-list-alert lists the subscription's alerts", async () => {
    const result = await harness.run("azure-sc-list-alert");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SECURITY}/alerts`,
      query: { "api-version": "2022-01-01" },
    });
    expect(result.readable).toContain(
      "### Azure Security Center - List Alerts\n|DisplayName|CompromisedEntity|TimeGeneratedUtc|Severity|Status|ID|Location|",
    );
    expect(result.outputs).toEqual([
      expect.objectContaining({ ID: ALERT.name, Severity: "High", Location: "centralus" }),
    ]);
  });

  it("azure-sc-get-alert and azure-sc-update-alert address the alert by location", async () => {
    const alert = { asc_location: "centralus", alert_id: ALERT.name };
    await harness.run("azure-sc-get-alert", alert);
    expect(harness.lastCall().path).toBe(`${SECURITY}/locations/centralus/alerts/${ALERT.name}`);
    const result = await harness.run("azure-sc-update-alert", {
      ...alert,
      alert_update_action_type: "dismiss",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${SECURITY}/locations/centralus/alerts/${ALERT.name}/dismiss`,
    });
    expect(result.outputs).toEqual({ ID: ALERT.name, ActionTaken: "dismiss" });
  });

  it("azure-sc-list-location uses the locations API version", async () => {
    const result = await harness.run("azure-sc-list-location");
    expect(harness.lastCall()).toMatchObject({
      path: `${SECURITY}/locations`,
      query: { "api-version": "2015-06-01-preview" },
    });
    expect(result.outputs).toEqual([{ Name: "centralus", HomeRegionName: "centralus" }]);
  });

  it("names the missing subscription parameter", async () => {
    await expect(harness.run("azure-sc-list-alert", {}, { default_sub_id: "" })).rejects.toThrow(
      "Default subscription ID is not set",
    );
  });
});

describe("auth errors", () => {
  it("an expired client secret fails with AADSTS7000222", async () => {
    await expect(
      harness.run(
        "azure-sc-list-alert",
        {},
        { auth_id: DEMO_EXPIRED_CLIENT_ID, enc_key: DEMO_EXPIRED_CLIENT_SECRET },
      ),
    ).rejects.toThrow("AADSTS7000222");
  });
});
