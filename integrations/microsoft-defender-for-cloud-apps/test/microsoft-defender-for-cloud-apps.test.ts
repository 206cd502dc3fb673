import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const API = "https://contoso.us3.portal.cloudappsecurity.com";
const CLOUD_APPS = "05a65629-4c1b-48c1-a78b-804c4abdd4af";

let harness: Harness;
const bodies: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "cloud-apps": [CLOUD_APPS] },
    grants: { "cloud-apps": ["Investigation.read", "Investigation.manage"] },
    params: { url: API },
  });
  const { emulator } = harness;
  const read = { resource: "cloud-apps", roles: ["Investigation.read"] };
  const record =
    (data: unknown[]) =>
    (ctx: { body: unknown; json: (status: number, body: unknown) => { status: number } }) => {
      bodies.push(ctx.body);
      return ctx.json(200, { data, total: data.length, hasNext: false });
    };
  emulator.addRoute(
    "POST",
    "/api/v1/alerts/",
    read,
    record([
      {
        _id: "5f0d",
        title: "Impossible travel",
        severityValue: 2,
        resolutionStatusValue: 0,
        timestamp: 1714557600000,
      },
    ]),
  );
  emulator.addRoute(
    "POST",
    "/api/v1/activities/",
    read,
    record([{ _id: "a1", description: "Failed log on", timestamp: 1714557600000 }]),
  );
  emulator.addRoute(
    "POST",
    "/api/v1/files/",
    read,
    record([{ _id: "f1", name: "payroll.xlsx", ownerAddress: "adelev@contoso.com" }]),
  );
  emulator.addRoute(
    "POST",
    "/api/v1/alerts/close_true_positive/",
    { resource: "cloud-apps", roles: ["Investigation.manage"] },
    (ctx) => {
      bodies.push(ctx.body);
      return ctx.json(200, { closed_true_positive: 1 });
    },
  );
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  bodies.length = 0;
});

describe("alerts, activities and files", () => {
  it("microsoft-cas-alerts-list POSTs the filters to the tenant's API with a Cloud Apps token", async () => {
    const result = await harness.run("microsoft-cas-alerts-list", {
      severity: "High",
      resolution_status: "Open",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "contoso.us3.portal.cloudappsecurity.com",
      path: "/api/v1/alerts/",
    });
    expect(bodies.at(-1)).toEqual({
      filters: { severity: { eq: 2 }, resolutionStatus: { eq: 0 } },
      skip: 0,
      limit: 10,
      sortField: "date",
      sortDirection: "desc",
    });
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(`${CLOUD_APPS}/.default`);
    expect(result.readable).toContain("|5f0d|Impossible travel|2|0|2024-05-01T10:00:00.000Z|");
  });

  it("microsoft-cas-activities-list and microsoft-cas-files-list", async () => {
    await harness.run("microsoft-cas-activities-list", { ip: "203.0.113.7" });
    expect(bodies.at(-1)).toMatchObject({ filters: { "ip.address": { eq: ["203.0.113.7"] } } });
    const files = await harness.run("microsoft-cas-files-list", { filename: "payroll.xlsx", skip: "50" });
    expect(bodies.at(-1)).toMatchObject({ filters: { filename: { eq: "payroll.xlsx" } }, skip: 50 });
    expect(files.readable).toContain("|f1|payroll.xlsx|adelev@contoso.com|");
  });

  it("microsoft-cas-alert-close-true-positive", async () => {
    const result = await harness.run("microsoft-cas-alert-close-true-positive", {
      alert_ids: "5f0d",
      comment: "confirmed",
    });
    // learn.microsoft.com/defender-cloud-apps/api-alerts-close-true-positive: filters, comment, sendFeedback, allowContact.
    expect(bodies.at(-1)).toEqual({
      filters: { id: { eq: ["5f0d"] } },
      comment: "confirmed",
      sendFeedback: false,
      allowContact: false,
    });
    expect(result.readable).toBe("1 alerts were closed as true positive.");
  });

  it("a US GCC-High endpoint type signs in at login.microsoftonline.us, unless Azure Cloud says otherwise", async () => {
    await harness.run("microsoft-cas-alerts-list", {}, { endpoint_type: "US GCC-High" });
    expect(harness.emulator.tokenRequests().at(-1)?.headers["x-forwarded-host"]).toBe(
      "login.microsoftonline.us",
    );
    await expect(
      harness.run(
        "microsoft-cas-alerts-list",
        {},
        { endpoint_type: "US GCC-High", azure_cloud: "Worldwide" },
      ),
    ).rejects.toThrow("Leave Azure Cloud empty");
  });
});

describe("auth errors", () => {
  it("an app without Investigation.manage cannot close alerts", async () => {
    await expect(
      harness.runWithToken(
        "microsoft-cas-alert-close-true-positive",
        { alert_ids: "x" },
        { roles: ["Investigation.read"] },
      ),
    ).rejects.toThrow("AuthorizationFailed");
  });
});
