import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ALERT = {
  id: "da637551227677560813_-961444813",
  title: "Suspicious PowerShell command line",
  severity: "Medium",
  status: "New",
  alertCreationTime: "2024-05-01T10:00:00Z",
  evidence: [{ entityType: "Process", fileName: "powershell.exe" }],
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "defender-for-endpoint": ["https://securitycenter.onmicrosoft.com/windowsatpservice"] },
    grants: { "defender-for-endpoint": ["Alert.Read.All"] },
  });
  const alerts = { resource: "defender-for-endpoint", roles: ["Alert.Read.All", "Alert.ReadWrite.All"] };
  harness.emulator.addRoute("GET", "/api/alerts", alerts, (ctx) => ctx.json(200, { value: [ALERT] }));
  harness.emulator.addRoute("GET", "/api/alerts/:id", alerts, (ctx) => ctx.json(200, ALERT));
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft 365 Defender Event Collector manifest", () => {
  it("shares the microsoft-365-defender prefix and has no managed identity parameters (no - saas)", () => {
    expect(integration.manifest).toMatchObject({
      id: "microsoft-365-defender-event-collector",
      commandPrefix: "microsoft-365-defender",
    });
    expect(integration.parameters.map((parameter) => parameter.key)).not.toContain("use_managed_identities");
  });
});

describe("events", () => {
  it("microsoft-365-defender-get-events asks for the alerts after first_fetch with evidence, oldest first", async () => {
    const result = await harness.run("microsoft-365-defender-get-events", {
      first_fetch: "2024-05-01T00:00:00Z",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.securitycenter.microsoft.com",
      path: "/api/alerts",
      query: {
        $expand: "evidence",
        $filter: "alertCreationTime gt 2024-05-01T00:00:00.000Z",
        $top: "10",
      },
    });
    // Only the query options List alerts documents: no $orderby (learn.microsoft.com/defender-endpoint/api/get-alerts).
    expect(harness.lastCall().query).not.toHaveProperty("$orderby");
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(
      "https://securitycenter.onmicrosoft.com/windowsatpservice/.default",
    );
    expect(result.readable).toContain(
      `|${ALERT.id}|Suspicious PowerShell command line|Medium|New|2024-05-01T10:00:00Z|1|`,
    );
  });

  it("microsoft-365-defender-get-event; the UK geo endpoint type calls api-uk", async () => {
    await harness.run(
      "microsoft-365-defender-get-event",
      { alert_id: ALERT.id },
      { endpoint_type: "UK Geo Proximity" },
    );
    expect(harness.lastCall()).toMatchObject({
      host: "api-uk.securitycenter.microsoft.com",
      path: `/api/alerts/${ALERT.id}`,
      query: { $expand: "evidence" },
    });
  });

  it("rejects a first_fetch that is not a time", async () => {
    await expect(
      harness.run("microsoft-365-defender-get-events", { first_fetch: "yesterday" }),
    ).rejects.toThrow('first_fetch must be a relative time such as "3 days" or an ISO 8601 time');
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(
      harness.run(
        "microsoft-365-defender-get-events",
        { first_fetch: "2024-05-01T00:00:00Z" },
        { enc_key: "wrong" },
      ),
    ).rejects.toThrow("AADSTS7000215");
  });
});
