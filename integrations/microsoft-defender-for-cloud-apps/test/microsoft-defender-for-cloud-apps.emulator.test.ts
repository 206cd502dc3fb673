import { DEMO_USER_UPN, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Defender for Cloud Apps double (no routes added here), through the
// instance's own flows: client credentials and device code.

// The emulator's demo app without any grant, its public client and its demo user's password
// (packages/entra-emulator/src/seed.ts).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};
const DEMO_PUBLIC_CLIENT_ID = "244b387b-6b2e-4efa-b5c0-03e9e89393eb";
const DEMO_USER_PASSWORD = "demo-password-not-for-production";
const API = "https://contoso.us3.portal.cloudappsecurity.com";
const TRAVEL = "5f0d7a3e2c1b4a0012ab34cd";
const MASS = "5f0d7a3e2c1b4a0012ab34ce";
const FORWARDING = "5f0d7a3e2c1b4a0012ab34d0";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { url: API } });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const served = () => harness.emulator.requests.filter((entry) => entry.service === "cloud-apps");

/** Enters the user code at the emulator's device login page and signs in as the demo user, as a browser would. */
async function completeDeviceLogin(verificationUri: string, userCode: string): Promise<void> {
  const origin = harness.emulator.url;
  const post = async (url: URL, form: URLSearchParams) =>
    (
      await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      })
    ).text();
  let page = await post(
    new URL(new URL(verificationUri).pathname, origin),
    new URLSearchParams({ otc: userCode }),
  );
  for (let step = 0; step < 4 && /<form method="post"/.test(page); step++) {
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const form = new URLSearchParams({ flow: /name="flow" value="([^"]+)"/.exec(page)![1]! });
    if (page.includes('name="password"')) {
      form.set("username", DEMO_USER_UPN);
      form.set("password", DEMO_USER_PASSWORD);
      form.set("action", "signin");
    } else form.set("action", /value="accept"/.test(page) ? "accept" : "continue");
    page = await post(new URL(action, origin), form);
  }
}

describe("commands through client credentials", () => {
  it("microsoft-cas-alerts-list POSTs the filters to the tenant's API (learn.microsoft.com/defender-cloud-apps/api-alerts-list)", async () => {
    const result = await harness.run("microsoft-cas-alerts-list", {
      severity: "High",
      resolution_status: "Open",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "contoso.us3.portal.cloudappsecurity.com",
      path: "/api/v1/alerts/",
      body: {
        filters: { severity: { eq: 2 }, resolutionStatus: { eq: 0 } },
        skip: 0,
        limit: 10,
        sortField: "date",
        sortDirection: "desc",
      },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ _id: TRAVEL, title: "Impossible travel activity" }),
    ]);
    expect(result.readable).toMatch(
      new RegExp(`\\|${TRAVEL}\\|Impossible travel activity\\|2\\|0\\|\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\|`),
    );
    expect(served().map((entry) => entry.status)).toEqual([200]);
  });

  it("microsoft-cas-activities-list by IP address (learn.microsoft.com/defender-cloud-apps/api-activities-list)", async () => {
    const result = await harness.run("microsoft-cas-activities-list", { ip: "203.0.113.7" });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/activities/",
      body: { filters: { "ip.address": { eq: ["203.0.113.7"] } } },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        _id: "a1f3c2d4e5",
        description: "Failed log on (Failure message: Invalid password)",
      }),
    ]);
  });

  it("microsoft-cas-files-list by name, and skip (learn.microsoft.com/defender-cloud-apps/api-files-list)", async () => {
    const files = await harness.run("microsoft-cas-files-list", { filename: "payroll-2026-11.xlsx" });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/files/",
      body: { filters: { filename: { eq: "payroll-2026-11.xlsx" } }, skip: 0 },
    });
    expect(files.readable).toContain(
      "|f1a2b3c4d5e6f7a8b9c0d1e2|payroll-2026-11.xlsx|meganb@contoso.com|Spreadsheet|",
    );
    const rest = await harness.run("microsoft-cas-files-list", { skip: "1" });
    expect(harness.lastCall().body).toMatchObject({ skip: 1 });
    expect(rest.outputs).toHaveLength(1);
  });

  it("microsoft-cas-alert-close-true-positive closes the alert; the list then shows it resolved (learn.microsoft.com/defender-cloud-apps/api-alerts-close-true-positive)", async () => {
    const result = await harness.run("microsoft-cas-alert-close-true-positive", {
      alert_ids: TRAVEL,
      comment: "confirmed compromise",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/alerts/close_true_positive/",
      body: { filters: { id: { eq: [TRAVEL] } }, comment: "confirmed compromise" },
    });
    expect(result.readable).toBe("1 alerts were closed as true positive.");
    const resolved = await harness.run("microsoft-cas-alerts-list", { resolution_status: "Resolved" });
    expect(resolved.outputs).toEqual([expect.objectContaining({ _id: TRAVEL, resolutionStatusValue: 2 })]);
  });
});

describe("XSOAR's filters, one entry by ID, users and accounts, and the other closings", () => {
  it("microsoft-cas-alerts-list: alert_id GETs one alert (api-alerts-fetch); custom_filter replaces the filters", async () => {
    const one = await harness.run("microsoft-cas-alerts-list", { alert_id: MASS, severity: "High" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/v1/alerts/${MASS}/` });
    expect(one.outputs).toEqual([
      expect.objectContaining({ _id: MASS, title: "Mass download by a single user" }),
    ]);
    const custom = await harness.run("microsoft-cas-alerts-list", {
      severity: "High",
      custom_filter: '{"severity":{"eq":0}}',
    });
    expect(harness.lastCall().body).toMatchObject({ filters: { severity: { eq: 0 } } });
    expect(custom.outputs).toEqual([expect.objectContaining({ title: "Activity from infrequent country" })]);
  });

  it("microsoft-cas-activities-list by IP category and source; activity_id GETs one (api-activities-list, api-activities-fetch)", async () => {
    const risky = await harness.run("microsoft-cas-activities-list", {
      ip_category: "Risky",
      source: "App_connector",
    });
    expect(harness.lastCall().body).toMatchObject({
      filters: { "ip.category": { eq: [3] }, source: { eq: [2] } },
    });
    expect(risky.outputs).toEqual([expect.objectContaining({ _id: "a1f3c2d4e5" })]);
    expect(risky.additionalOutputs).toEqual({ IP: [{ Address: "203.0.113.7" }] });
    const one = await harness.run("microsoft-cas-activities-list", { activity_id: "a1f3c2d4e7" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/v1/activities/a1f3c2d4e7/" });
    expect(one.readable).toContain("|a1f3c2d4e7|Download file: payroll-2026-11.xlsx|");
  });

  it("microsoft-cas-files-list by type, sharing, extension and quarantine; file_id GETs one (api-files-list, api-files-fetch)", async () => {
    const result = await harness.run("microsoft-cas-files-list", {
      file_type: "Document",
      sharing: "Public",
      extension: "docx",
      quarantined: "True",
    });
    expect(harness.lastCall().body).toMatchObject({
      filters: {
        fileType: { eq: [1] },
        sharing: { eq: [3] },
        extension: { eq: "docx" },
        quarantined: { eq: true },
      },
    });
    expect(result.outputs).toEqual([expect.objectContaining({ name: "board-minutes.docx" })]);
    const one = await harness.run("microsoft-cas-files-list", { file_id: "f1a2b3c4d5e6f7a8b9c0d1e2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/api/v1/files/f1a2b3c4d5e6f7a8b9c0d1e2/",
    });
    expect(one.outputs).toEqual([expect.objectContaining({ name: "payroll-2026-11.xlsx" })]);
  });

  it("microsoft-cas-users-accounts-list POSTs the entity filters (learn.microsoft.com/defender-cloud-apps/api-entities-list)", async () => {
    const all = await harness.run("microsoft-cas-users-accounts-list");
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/entities/",
      body: { filters: {}, skip: 0, limit: 50 },
    });
    expect(all.outputs).toHaveLength(3);
    expect(all.outputsPrefix).toBe("MicrosoftCloudAppSecurity.UsersAccounts");
    const admins = await harness.run("microsoft-cas-users-accounts-list", {
      type: "user",
      is_admin: "true",
      is_external: "Internal",
      status: "Active",
    });
    expect(harness.lastCall().body).toMatchObject({
      filters: { type: { eq: "user" }, isAdmin: { eq: true }, isExternal: { eq: false }, status: { eq: 2 } },
    });
    expect(admins.readable).toContain("|Adele Vance|user|adelev@contoso.com|true|false|42|");
  });

  it("microsoft-cas-alert-close-benign and -close-false-positive send the reason and feedback; the alerts are closed (api-alerts-close-benign, api-alerts-close-false-positive)", async () => {
    const benign = await harness.run("microsoft-cas-alert-close-benign", {
      alert_ids: MASS,
      comment: "backup job",
      reasonId: "2",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/alerts/close_benign/",
      body: { filters: { id: { eq: [MASS] } }, comment: "backup job", reason: 2, sendFeedback: false },
    });
    expect(benign.readable).toBe("1 alerts were closed as benign.");
    const falsePositive = await harness.run("microsoft-cas-alert-close-false-positive", {
      alert_ids: FORWARDING,
      reasonId: "Alert is not accurate",
      sendFeedback: "true",
      feedbackText: "known archive rule",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/v1/alerts/close_false_positive/",
      body: {
        filters: { id: { eq: [FORWARDING] } },
        reason: 2,
        sendFeedback: true,
        feedbackText: "known archive rule",
        allowContact: false,
      },
    });
    expect(falsePositive.readable).toBe("1 alerts were closed as false positive.");
    const open = await harness.run("microsoft-cas-alerts-list", { resolution_status: "Open" });
    expect((open.outputs as Array<{ _id: string }>).map((alert) => alert._id)).not.toContain(MASS);
    expect((open.outputs as Array<{ _id: string }>).map((alert) => alert._id)).not.toContain(FORWARDING);
    await expect(harness.run("microsoft-cas-alert-close-benign", {})).rejects.toThrow(
      "Give alert_ids (comma-separated) or custom_filter.",
    );
  });
});

describe("device code", () => {
  it("the signed-in user's delegated token lists activities", async () => {
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: DEMO_PUBLIC_CLIENT_ID,
      enc_key: undefined,
    });
    const started = await instance.run("microsoft-cas-auth-start");
    const { VerificationUri, UserCode } = started.outputs as { VerificationUri: string; UserCode: string };
    await completeDeviceLogin(VerificationUri, UserCode);
    await instance.run("microsoft-cas-auth-complete");
    const result = await instance.run("microsoft-cas-activities-list", { limit: "2" });
    expect(harness.emulator.tokenRequests().at(-1)?.grantType).toBe(
      "urn:ietf:params:oauth:grant-type:device_code",
    );
    expect(result.outputs).toHaveLength(2);
  });
});

describe("-test and -auth-test", () => {
  it("microsoft-cas-test reads one alert and names what it reached", async () => {
    const result = await harness.run("microsoft-cas-test");
    expect(served().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      "POST /api/v1/alerts/ 200",
    ]);
    expect(result.readable).toContain(
      "✅ Success! Microsoft Defender for Cloud Apps authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toMatch(
      /- Microsoft Defender for Cloud Apps: POST \S*contoso\.us3\.portal\.cloudappsecurity\.com\/api\/v1\/alerts\/ → 200/,
    );
  });

  it("an app without Investigation.read fails -auth-test and -test, naming the role and the API", async () => {
    for (const command of ["microsoft-cas-auth-test", "microsoft-cas-test"]) {
      const run = harness.run(command, {}, NO_GRANT);
      await expect(run, command).rejects.toThrow("lacks the application permission Investigation.read");
      await expect(run, command).rejects.toThrow("Microsoft Cloud App Security → Application permissions");
    }
    expect(served()).toHaveLength(0);
  });
});

describe("a 403 names the command's permission", () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness(integration, {
      params: { url: API },
      grants: { "cloud-apps": ["Investigation.read"] },
    });
  });
  afterAll(() => limited.close());

  it("closing an alert answers 403 naming Investigation.manage; -test warns about it", async () => {
    const test = await limited.run("microsoft-cas-test");
    expect(test.readable).toContain("- microsoft-cas-alert-close-true-positive: Investigation.manage");
    await expect(
      limited.run("microsoft-cas-alert-close-true-positive", { alert_ids: TRAVEL }),
    ).rejects.toThrow(
      "microsoft-cas-alert-close-true-positive needs: application permission Investigation.manage",
    );
  });
});
