import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Defender for Endpoint double (no routes added here), through the
// collector's only flow, client credentials.

// The emulator's demo app without any grant (packages/entra-emulator/src/seed.ts), for "missing role" checks.
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};
const POWERSHELL_ALERT = "da637551227677560813_-961444813";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const served = () => harness.emulator.requests.filter((entry) => entry.service === "defender-for-endpoint");

describe("events", () => {
  it("microsoft-365-defender-get-events: alerts after first_fetch, oldest first, with evidence (learn.microsoft.com/defender-endpoint/api/get-alerts)", async () => {
    const result = await harness.run("microsoft-365-defender-get-events", {
      first_fetch: "2026-12-01T00:00:00Z",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.securitycenter.microsoft.com",
      path: "/api/alerts",
      query: {
        $expand: "evidence",
        $filter: "alertCreationTime gt 2026-12-01T00:00:00.000Z",
        $top: "10",
      },
    });
    // Only the query options List alerts documents: no $orderby (learn.microsoft.com/defender-endpoint/api/get-alerts).
    expect(harness.lastCall().query).not.toHaveProperty("$orderby");
    // The alert of 2026-11-28 is before first_fetch; the two later ones come oldest first, with their evidence.
    expect(result.readable).toBe(
      [
        "### Microsoft 365 Defender Alerts",
        "|id|title|severity|status|alertCreationTime|evidence|",
        "|---|---|---|---|---|---|",
        "|da637551227677560814_1283714592|'Emotet' malware was detected|Medium|InProgress|2026-12-05T09:41:37.2533333Z|1|",
        `|${POWERSHELL_ALERT}|Suspicious PowerShell command line|High|New|2026-12-06T21:14:02.4466667Z|2|`,
        "",
      ].join("\n"),
    );
    expect(served().map((entry) => entry.status)).toEqual([200]);
  });

  it("microsoft-365-defender-get-events with XSOAR's defaults: first_fetch 3 days, limit 1000; push_to_xsiam=true is refused", async () => {
    const before = Date.now();
    await harness.run("microsoft-365-defender-get-events");
    const { query } = harness.lastCall();
    expect(query).toMatchObject({ $expand: "evidence", $top: "1000" });
    expect(query).not.toHaveProperty("$orderby");
    const after = Date.parse(/^alertCreationTime gt (\S+)$/.exec(query["$filter"]!)![1]!);
    expect(after).toBeGreaterThanOrEqual(before - 3 * 86_400_000 - 1000);
    expect(after).toBeLessThanOrEqual(Date.now() - 3 * 86_400_000);
    await harness.run("microsoft-365-defender-get-events", { first_fetch: "12 hours" });
    const twelve = Date.parse(/^alertCreationTime gt (\S+)$/.exec(harness.lastCall().query["$filter"]!)![1]!);
    expect(Math.abs(Date.now() - 12 * 3_600_000 - twelve)).toBeLessThan(60_000);
    harness.clear();
    await expect(harness.run("microsoft-365-defender-get-events", { push_to_xsiam: "true" })).rejects.toThrow(
      "push_to_xsiam=true pushes the events to Cortex XSIAM, which msint does not do",
    );
    expect(harness.calls).toHaveLength(0);
  });

  it("microsoft-365-defender-get-event reads one alert with its evidence (learn.microsoft.com/defender-endpoint/api/get-alert-info-by-id)", async () => {
    const result = await harness.run("microsoft-365-defender-get-event", { alert_id: POWERSHELL_ALERT });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/api/alerts/${POWERSHELL_ALERT}`,
      query: { $expand: "evidence" },
    });
    expect(result.outputs).toMatchObject({
      id: POWERSHELL_ALERT,
      evidence: [
        expect.objectContaining({ entityType: "Process", fileName: "powershell.exe" }),
        expect.anything(),
      ],
    });
    await expect(harness.run("microsoft-365-defender-get-event", { alert_id: "nope" })).rejects.toThrow(
      "Alert nope was not found.",
    );
  });

  it("the UK geo endpoint type is served too", async () => {
    await harness.run(
      "microsoft-365-defender-get-event",
      { alert_id: POWERSHELL_ALERT },
      { endpoint_type: "UK Geo Proximity" },
    );
    expect(harness.lastCall().host).toBe("api-uk.securitycenter.microsoft.com");
    expect(served().map((entry) => entry.status)).toEqual([200]);
  });
});

describe("-test and -auth-test", () => {
  it("microsoft-365-defender-test reads one alert and names what it reached", async () => {
    const result = await harness.run("microsoft-365-defender-test");
    expect(served().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      "GET /api/alerts 200",
    ]);
    expect(result.readable).toContain(
      "✅ Success! Microsoft 365 Defender Event Collector - XSIAM authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toMatch(/- Microsoft Defender for Endpoint: GET \S*\/api\/alerts\S* → 200/);
  });

  it("an app without Alert.Read.All fails -auth-test and -test, naming the role", async () => {
    for (const command of ["microsoft-365-defender-auth-test", "microsoft-365-defender-test"]) {
      const run = harness.run(command, {}, NO_GRANT);
      await expect(run, command).rejects.toThrow("lacks the application permission Alert.Read.All");
      await expect(run, command).rejects.toThrow("WindowsDefenderATP → Application permissions");
    }
    expect(served()).toHaveLength(0);
  });
});

describe("a 403 names the command's permission", () => {
  let limited: Harness;
  beforeAll(async () => {
    // A token with a Defender role, but not one that reads alerts: the service answers 403.
    limited = await startHarness(integration, { grants: { "defender-for-endpoint": ["Machine.Read.All"] } });
  });
  afterAll(() => limited.close());

  it("microsoft-365-defender-get-event's 403 names Alert.Read.All", async () => {
    await expect(
      limited.run("microsoft-365-defender-get-event", { alert_id: POWERSHELL_ALERT }),
    ).rejects.toThrow(
      "microsoft-365-defender-get-event needs: application permission Alert.Read.All (or Alert.ReadWrite.All)",
    );
  });
});
