// Microsoft Graph Security against the emulator's built-in Graph doubles and their seeded alerts, incidents and
// hunting tables (no routes added by the test): client credentials and an authorization-code sign-in. Request
// shapes from learn.microsoft.com/graph/api: security-list-alerts_v2 (GET /security/alerts_v2, $filter, $top,
// $orderby), security-alert-get (GET /security/alerts_v2/{id}), security-alert-update (PATCH with status,
// classification, determination, assignedTo; 200 with the alert), security-list-incidents (GET /security/incidents)
// and security-security-runhuntingquery (POST /security/runHuntingQuery {"Query": …}; schema and results).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ALERT = "da637551227677560813_-961444813";

let harness: Harness;

const noGrantParams = () => ({ ...NO_GRANT_PARAMS });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msg-search-alerts filters on severity and status, newest first", async () => {
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
    expect(result.outputs).toEqual([
      expect.objectContaining({ id: ALERT, title: "Suspicious PowerShell download", incidentId: "2972395" }),
    ]);
    const all = await harness.run("msg-search-alerts");
    expect((all.outputs as Array<{ createdDateTime: string }>).map((alert) => alert.createdDateTime)).toEqual(
      ["2024-06-12T14:25:00Z", "2024-06-11T09:10:00Z", "2024-06-01T06:00:00Z"],
    );
  });

  it("msg-get-alert-details reads one alert with its evidence", async () => {
    const result = await harness.run("msg-get-alert-details", { alert_id: ALERT });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/security/alerts_v2/${ALERT}` });
    expect(result.outputs).toMatchObject({
      id: ALERT,
      severity: "high",
      evidence: expect.arrayContaining([
        expect.objectContaining({ "@odata.type": "#microsoft.graph.security.deviceEvidence" }),
      ]),
    });
  });

  it("msg-update-alert patches the alert; a later get shows the change", async () => {
    const result = await harness.run("msg-update-alert", {
      alert_id: ALERT,
      status: "inProgress",
      classification: "truePositive",
      determination: "malware",
      assigned_to: "meganb@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall()).toMatchObject({ method: "PATCH", path: `/v1.0/security/alerts_v2/${ALERT}` });
    expect(harness.lastCall().body).toEqual({
      status: "inProgress",
      classification: "truePositive",
      determination: "malware",
      assignedTo: "meganb@contoso.onmicrosoft.com",
    });
    expect(result.readable).toBe(`Alert ${ALERT} has been successfully updated.`);
    const after = await harness.run("msg-get-alert-details", { alert_id: ALERT });
    expect(after.outputs).toMatchObject({
      status: "inProgress",
      assignedTo: "meganb@contoso.onmicrosoft.com",
    });
  });

  it("msg-list-security-incident filters on status", async () => {
    const result = await harness.run("msg-list-security-incident", { status: "active", limit: "10" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/security/incidents",
      query: { $top: "10", $filter: "status eq 'active'", $orderby: "createdDateTime desc" },
    });
    expect((result.outputs as Array<{ id: string }>).map((incident) => incident.id)).toEqual([
      "2972395",
      "2972396",
    ]);
  });

  it("msg-search-alerts takes XSOAR's filters: service_source, category, time_from and time_to", async () => {
    const result = await harness.run("msg-search-alerts", {
      service_source: "microsoftDefenderForOffice365",
      category: "InitialAccess",
      time_from: "2024-06-05T00:00:00Z",
      time_to: "2024-06-30T00:00:00Z",
    });
    // learn.microsoft.com/graph/api/security-list-alerts_v2: $filter on serviceSource, category, createdDateTime.
    expect(harness.lastCall().query["$filter"]).toBe(
      "category eq 'InitialAccess' and serviceSource eq 'microsoftDefenderForOffice365' and " +
        "createdDateTime ge 2024-06-05T00:00:00.000Z and createdDateTime le 2024-06-30T00:00:00.000Z",
    );
    expect((result.outputs as Array<{ title: string }>).map((alert) => alert.title)).toEqual([
      "Phishing email delivered to a mailbox",
    ]);
    await expect(harness.run("msg-search-alerts", { last_modified: "Yesterday" })).rejects.toThrow(
      "last_modified must be one of",
    );
  });

  it("msg-list-security-incident by incident_id, and filtered on severity and assigned_to", async () => {
    const one = await harness.run("msg-list-security-incident", { incident_id: "2972396" });
    // learn.microsoft.com/graph/api/security-incident-get: GET /security/incidents/{incidentId}.
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/v1.0/security/incidents/2972396" });
    expect(one.outputs).toEqual([
      expect.objectContaining({ id: "2972396", displayName: "Email phishing campaign" }),
    ]);
    const mine = await harness.run("msg-list-security-incident", {
      severity: "high",
      assigned_to: "meganb@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall().query["$filter"]).toBe(
      "severity eq 'high' and assignedTo eq 'meganb@contoso.onmicrosoft.com'",
    );
    expect((mine.outputs as Array<{ id: string }>).map((incident) => incident.id)).toEqual(["2972395"]);
  });

  it("msg-search-alerts pages as XSOAR does (page_size, page from 0); incidents take a further odata filter", async () => {
    const second = await harness.run("msg-search-alerts", { page_size: "1", page: "1" });
    // Two requests of $top=1 (the second by @odata.nextLink); the second page is the second-newest alert.
    expect(harness.lastCall().query["$top"]).toBe("1");
    expect((second.outputs as Array<{ title: string }>).map((alert) => alert.title)).toEqual([
      "Phishing email delivered to a mailbox",
    ]);
    const recent = await harness.run("msg-list-security-incident", {
      status: "active",
      odata: "createdDateTime ge 2024-06-12T00:00:00Z",
    });
    expect(harness.lastCall().query["$filter"]).toBe(
      "status eq 'active' and createdDateTime ge 2024-06-12T00:00:00Z",
    );
    expect((recent.outputs as Array<{ id: string }>).map((incident) => incident.id)).toEqual(["2972395"]);
  });

  it("ms-graph-security-auth-reset is XSOAR's name of the reset; msg-auth-reset still works", async () => {
    expect(integration.authCommands).toContain("ms-graph-security-auth-reset");
    for (const name of ["ms-graph-security-auth-reset", "msg-auth-reset"]) {
      expect((await harness.run(name)).readable).toContain("Authorization was reset successfully");
    }
  });

  it("msg-advanced-hunting posts the query and renders the schema's columns", async () => {
    const query = "DeviceProcessEvents | where FileName == 'powershell.exe' | take 1";
    const result = await harness.run("msg-advanced-hunting", { query });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/security/runHuntingQuery",
      body: { Query: query },
    });
    expect(result.readable).toContain("|Timestamp|DeviceName|FileName|ProcessCommandLine|AccountName|");
    expect(result.outputs).toEqual({
      query,
      results: [expect.objectContaining({ FileName: "powershell.exe" })],
    });
    await expect(harness.run("msg-advanced-hunting", { query: "NoSuchTable | take 1" })).rejects.toThrow(
      "Failed to resolve table or column expression named 'NoSuchTable'",
    );
  });
});

describe("commands through an authorization-code sign-in", () => {
  it("the signed-in user's token searches alerts, lists incidents and hunts", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msg-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });
    const alerts = await instance.run("msg-search-alerts", { severity: "low" });
    expect(alerts.outputs).toHaveLength(1);
    const incidents = await instance.run("msg-list-security-incident");
    expect(incidents.outputs).toHaveLength(3);
    const hunting = await instance.run("msg-advanced-hunting", { query: "EmailEvents" });
    expect((hunting.outputs as { results: unknown[] }).results).toHaveLength(1);
    expect(harness.emulator.tokenRequests().at(-1)).toMatchObject({ grantType: "authorization_code" });
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads alerts at the emulator and names what it reached", async () => {
    const result = await harness.run("msg-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain(
      "- Microsoft Graph: GET graph.microsoft.com/v1.0/security/alerts_v2 → 200",
    );
  });

  it("-auth-test with an app without SecurityAlert.Read.All fails naming it", async () => {
    await expect(harness.run("msg-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission SecurityAlert\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msg-advanced-hunting", { query: "DeviceInfo" }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msg-advanced-hunting needs: application permission ThreatHunting.Read.All",
    );
  });
});
