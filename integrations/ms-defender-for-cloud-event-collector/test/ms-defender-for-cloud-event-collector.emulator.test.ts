import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Both commands against the emulator's built-in Defender for Cloud double (no routes added here), through client
// credentials (the collector's only flow). Paths and api-version: learn.microsoft.com/rest/api/defenderforcloud/
// alerts/list and …/alerts/get-subscription-level (api-version 2022-01-01).

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SECURITY = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Security`;
const ALERT = "2518765996949954086_2325cf9e-42a2-4f3d-85a4-2c5b1a3d4e6f";

let harness: Harness;

function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: { sub_id: SUBSCRIPTION } });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("ms-defender-for-cloud against the built-in Defender for Cloud double", () => {
  it("ms-defender-for-cloud-get-events returns the seeded alerts oldest first, after first_fetch", async () => {
    const all = await harness.run("ms-defender-for-cloud-get-events");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SECURITY}/alerts`,
      query: { "api-version": "2022-01-01" },
    });
    const names = (all.outputs as Array<{ properties: { alertDisplayName: string } }>).map(
      (alert) => alert.properties.alertDisplayName,
    );
    expect(names).toEqual([
      "Antimalware action taken",
      "Access from a suspicious IP to a storage account",
      "Suspicious authentication activity",
    ]);
    const since = new Date(Date.now() - 10 * 3600_000).toISOString();
    const recent = await harness.run("ms-defender-for-cloud-get-events", { first_fetch: since, limit: "1" });
    expect(recent.readable).toContain("|Access from a suspicious IP to a storage account|High|Active|");
    expect(recent.outputs).toHaveLength(1);
  });

  it("ms-defender-for-cloud-get-events takes XSOAR's should_push_events and says msint does not push", async () => {
    const result = await harness.run("ms-defender-for-cloud-get-events", {
      should_push_events: "true",
      limit: "1",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SECURITY}/alerts`,
      query: { "api-version": "2022-01-01" },
    });
    expect(result.outputs).toHaveLength(1);
    expect(result.notices).toEqual([
      "should_push_events=true: msint does not push events to Cortex XSIAM; they are only shown.",
    ]);
    const quiet = await harness.run("ms-defender-for-cloud-get-events", { limit: "1" });
    expect(quiet.notices ?? []).toEqual([]);
  });

  it("ms-defender-for-cloud-get-event gets one alert by location and name", async () => {
    const result = await harness.run("ms-defender-for-cloud-get-event", {
      location: "centralus",
      alert_name: ALERT,
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SECURITY}/locations/centralus/alerts/${ALERT}`,
      query: { "api-version": "2022-01-01" },
    });
    expect(result.readable).toContain(
      `|${ALERT}|Access from a suspicious IP to a storage account|High|Active|`,
    );
  });
});

describe("ms-defender-for-cloud-test and access errors", () => {
  it("-test lists the alerts at Resource Manager, counted at the emulator, and names what it reached", async () => {
    const result = await harness.run("ms-defender-for-cloud-test");
    const served = harness.emulator.requests.filter((entry) => entry.service === "arm");
    expect(served.map((entry) => entry.path)).toEqual([`${SECURITY}/alerts`]);
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${SECURITY}/alerts → 200`,
    );
  });

  it("an app without a role: -test fails naming Security Reader, and get-event's 403 names it too", async () => {
    await expect(harness.run("ms-defender-for-cloud-test", {}, noGrantApp())).rejects.toThrow(
      /answered HTTP 403[\s\S]*Security Reader/,
    );
    await expect(
      harness.run(
        "ms-defender-for-cloud-get-event",
        { location: "centralus", alert_name: ALERT },
        noGrantApp(),
      ),
    ).rejects.toThrow(
      "ms-defender-for-cloud-get-event needs: delegated permission user_impersonation; Azure role Security Reader",
    );
  });
});
