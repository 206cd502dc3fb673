import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Defender for Endpoint double (no routes added here), through the
// instance's own flows: client credentials, authorization code (sign-in) and managed identity. Request shapes
// from learn.microsoft.com/defender-endpoint/api/<page> (named per test); list calls send only the query options
// the page documents ("supports OData V4 queries": $filter on the listed properties, $top, $skip, $expand), and
// the double refuses anything else.

// The emulator's demo app without any grant (packages/entra-emulator/src/seed.ts), for "missing role" checks.
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};
const ADELE = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07";
const FILE_SERVER = "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8";
const MAC = "c4f3d2b1a09876543210fedcba9876543210abcd";
const POWERSHELL_ALERT = "da637551227677560813_-961444813";
const EMOTET_SHA1 = "9fe3ba25e5660c23dfe478d577cfacde5d1c7de5";
const HOST = "api.securitycenter.microsoft.com";

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
const ids = (outputs: unknown) => (outputs as Array<{ ID: string }>).map((entry) => entry.ID);

describe("machines", () => {
  it("microsoft-atp-get-machines filters on documented properties and pages with $top/$skip (get-machines)", async () => {
    const result = await harness.run("microsoft-atp-get-machines", {
      hostname: "desktop",
      risk_score: "High",
      health_status: "Active",
      os_platform: "Windows11",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", host: HOST, path: "/api/machines" });
    expect(harness.lastCall().query).toEqual({
      $filter:
        "startswith(computerDnsName,'desktop') and riskScore eq 'High' and healthStatus eq 'Active' and osPlatform eq 'Windows11'",
      $top: "50",
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: ADELE,
        ComputerDNSName: "desktop-adele.contoso.com",
        RBACGroupName: "Workstations",
      }),
    ]);
    expect(result.readable).toContain(
      `|${ADELE}|desktop-adele.contoso.com|Windows11|10.0.0.12|203.0.113.24|Active|High|Medium|`,
    );
    expect(served().map((entry) => [entry.method, entry.status])).toEqual([["GET", 200]]);

    const page = await harness.run("microsoft-atp-get-machines", { page_size: "2", page_num: "2" });
    expect(harness.lastCall().query).toEqual({ $top: "2", $skip: "2" });
    expect(ids(page.outputs)).toEqual([MAC]);
  });

  it("microsoft-atp-get-machines by IP address", async () => {
    const result = await harness.run("microsoft-atp-get-machines", { ip: "10.0.1.5" });
    expect(harness.lastCall().query).toEqual({ $filter: "lastIpAddress eq '10.0.1.5'", $top: "50" });
    expect(result.outputs).toEqual([expect.objectContaining({ ID: FILE_SERVER, RiskScore: "Medium" })]);
  });

  it("microsoft-atp-get-machine-details reads each machine (get-machine-by-id)", async () => {
    const result = await harness.run("microsoft-atp-get-machine-details", { machine_id: MAC });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/machines/${MAC}`, query: {} });
    expect(result.outputs).toMatchObject({
      ID: MAC,
      OSPlatform: "macOS",
      HealthStatus: "Inactive",
      NetworkInterfaces: [
        { MACAddress: "A4C3F0851E22", IPAddresses: "10.0.0.47", Type: "Ethernet", Status: "Up" },
      ],
    });
  });

  it("microsoft-atp-get-machine-by-ip calls findbyip with the time (find-machines-by-ip)", async () => {
    const result = await harness.run("microsoft-atp-get-machine-by-ip", {
      ip: "10.0.0.12",
      timestamp: "2026-12-06T22:30:00Z",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/api/machines/findbyip(ip='10.0.0.12',timestamp=2026-12-06T22:30:00.000Z)",
      query: {},
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: ADELE,
        AgentVersion: "10.8760.22621.1023",
        IPAddresses: [
          { ipAddress: "10.0.0.12", MACAddress: "00155D8A1C2B", operationalStatus: "Up", type: "Ethernet" },
        ],
      }),
    ]);
    const earlier = await harness.run("microsoft-atp-get-machine-by-ip", {
      ip: "10.0.0.12",
      timestamp: "2026-12-06T20:00:00Z",
    });
    expect(earlier.outputs).toEqual([]);
  });

  it("endpoint finds machines by ID, IP and host name, one request each, and writes Endpoint", async () => {
    const result = await harness.run("endpoint", {
      id: MAC,
      ip: "10.0.1.5",
      hostname: "desktop-adele.contoso.com",
    });
    expect(harness.calls.map((call) => [call.path, call.query["$filter"]])).toEqual([
      [`/api/machines/${MAC}`, undefined],
      ["/api/machines", "lastIpAddress eq '10.0.1.5'"],
      ["/api/machines", "computerDnsName eq 'desktop-adele.contoso.com'"],
    ]);
    expect(ids(result.outputs)).toEqual([MAC, FILE_SERVER, ADELE]);
    expect(result.additionalOutputs).toMatchObject({
      Endpoint: [
        {
          ID: MAC,
          Hostname: "mac-megan.contoso.com",
          OS: "macOS",
          Status: "Offline",
          MACAddress: "A4C3F0851E22",
        },
        { ID: FILE_SERVER, Status: "Online", IPAddress: "10.0.1.5" },
        { ID: ADELE, Vendor: "Microsoft Defender ATP" },
      ],
    });
  });

  it("microsoft-atp-get-machine-alerts (get-machine-related-alerts)", async () => {
    const result = await harness.run("microsoft-atp-get-machine-alerts", { machine_id: FILE_SERVER });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/machines/${FILE_SERVER}/alerts` });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: "da637551227677560814_1283714592",
        ThreatFamilyName: "Emotet",
        IncidentID: 924519,
      }),
    ]);
  });

  it("microsoft-atp-get-machine-users (get-machine-log-on-users)", async () => {
    const result = await harness.run("microsoft-atp-get-machine-users", { machine_id: FILE_SERVER });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/api/machines/${FILE_SERVER}/logonusers`,
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ AccountName: "svc-backup", DomainAdmin: true, MachineID: FILE_SERVER }),
    ]);
  });

  it("microsoft-atp-add-remove-machine-tag adds and removes, and a later read shows it (add-or-remove-machine-tags)", async () => {
    const added = await harness.run("microsoft-atp-add-remove-machine-tag", {
      machine_id: MAC,
      action: "Add",
      tag: "Lost",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machines/${MAC}/tags`,
      body: { Value: "Lost", Action: "Add" },
    });
    expect(added.outputs).toMatchObject({ ID: MAC, MachineTags: ["Lost"] });
    expect(added.readable).toContain("Tag Lost was added to machine");
    await harness.run("microsoft-atp-add-remove-machine-tag", {
      machine_id: MAC,
      action: "Remove",
      tag: "Lost",
    });
    const read = await harness.run("microsoft-atp-get-machine-details", { machine_id: MAC });
    expect(read.outputs).toMatchObject({ MachineTags: [] });
  });

  it("machines related to a file, a domain and a user (get-file-/get-domain-/get-user-related-machines)", async () => {
    const file = await harness.run("microsoft-atp-get-file-related-machines", { file_hash: EMOTET_SHA1 });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/files/${EMOTET_SHA1}/machines` });
    expect(file.outputs).toMatchObject({ File: EMOTET_SHA1, Machines: [{ ID: FILE_SERVER }] });

    const domain = await harness.run("microsoft-atp-get-domain-machines", {
      domain: "fabrikam-invoices.com",
    });
    expect(harness.lastCall().path).toBe("/api/domains/fabrikam-invoices.com/machines");
    expect(ids((domain.outputs as { Machines: unknown }).Machines)).toEqual([ADELE, FILE_SERVER]);

    const user = await harness.run("microsoft-atp-get-user-machines", { username: "adelev" });
    expect(harness.lastCall().path).toBe("/api/users/adelev/machines");
    expect(user.outputs).toMatchObject({ Username: "adelev", Machines: [{ ID: ADELE }] });
  });
});

describe("response actions", () => {
  it("microsoft-atp-isolate-machine creates a pending Isolate action, which a second isolation then meets (isolate-machine)", async () => {
    const result = await harness.run("microsoft-atp-isolate-machine", {
      machine_id: FILE_SERVER,
      comment: "IR-42 containment",
      isolation_type: "Selective",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machines/${FILE_SERVER}/isolate`,
      body: { Comment: "IR-42 containment", IsolationType: "Selective" },
    });
    expect(result.outputs).toMatchObject({
      Type: "Isolate",
      Scope: "Selective",
      Status: "Pending",
      MachineID: FILE_SERVER,
    });
    expect(result.readable).toContain("The isolation request has been submitted successfully");
    await expect(
      harness.run("microsoft-atp-isolate-machine", { machine_id: FILE_SERVER, comment: "again" }),
    ).rejects.toThrow("ActiveRequestAlreadyExists");
  });

  it("microsoft-atp-isolate-machine of an unknown machine answers 404", async () => {
    await expect(
      harness.run("microsoft-atp-isolate-machine", { machine_id: "0000", comment: "x" }),
    ).rejects.toThrow("ResourceNotFound: Machine 0000 was not found.");
  });

  it.each([
    ["microsoft-atp-unisolate-machine", "unisolate", "Unisolate", {}],
    ["microsoft-atp-restrict-app-execution", "restrictCodeExecution", "RestrictCodeExecution", {}],
    ["microsoft-atp-remove-app-restriction", "unrestrictCodeExecution", "UnrestrictCodeExecution", {}],
    ["microsoft-atp-run-antivirus-scan", "runAntiVirusScan", "RunAntiVirusScan", { scan_type: "Full" }],
    [
      "microsoft-atp-collect-investigation-package",
      "collectInvestigationPackage",
      "CollectInvestigationPackage",
      {},
    ],
    [
      "microsoft-atp-stop-and-quarantine-file",
      "StopAndQuarantineFile",
      "StopAndQuarantineFile",
      { file_hash: EMOTET_SHA1 },
    ],
  ] as const)("%s posts /api/machines/{id}/%s (machine-actions)", async (command, path, type, extra) => {
    const result = await harness.run(command, { machine_id: ADELE, comment: `IR-42 ${type}`, ...extra });
    const body = harness.lastCall().body as Record<string, unknown>;
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: HOST,
      path: `/api/machines/${ADELE}/${path}`,
    });
    expect(body["Comment"]).toBe(`IR-42 ${type}`);
    if (type === "RunAntiVirusScan") expect(body["ScanType"]).toBe("Full");
    if (type === "StopAndQuarantineFile") expect(body["Sha1"]).toBe(EMOTET_SHA1);
    expect(result.outputs).toMatchObject({
      Type: type,
      Status: "Pending",
      MachineID: ADELE,
      ComputerDNSName: "desktop-adele.contoso.com",
    });
    if (type === "StopAndQuarantineFile") {
      expect(result.outputs).toMatchObject({
        RelatedFileInfo: { FileIdentifier: EMOTET_SHA1, FileIdentifierType: "Sha1" },
      });
    }
    expect(served().map((entry) => entry.status)).toEqual([201]);
  });

  it("microsoft-atp-restrict-app-execution without a comment sends msint's default comment (the API requires one)", async () => {
    await harness.run("microsoft-atp-restrict-app-execution", { machine_id: MAC });
    expect(harness.lastCall().body).toEqual({ Comment: "App execution restricted with msint" });
  });

  it("microsoft-atp-offboard-machine writes MicrosoftATP.OffboardMachine (offboard-machine-api)", async () => {
    const result = await harness.run("microsoft-atp-offboard-machine", {
      machine_id: MAC,
      comment: "retired",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machines/${MAC}/offboard`,
      body: { Comment: "retired" },
    });
    expect(result.outputsPrefix).toBe("MicrosoftATP.OffboardMachine");
    expect(result.outputs).toMatchObject({ Type: "Offboard", Status: "Pending" });
  });

  it("a collected package: the action is listed, read by ID, and its SAS URI fetched (get-machineactions-collection, get-package-sas-uri)", async () => {
    const collected = await harness.run("microsoft-atp-collect-investigation-package", {
      machine_id: FILE_SERVER,
      comment: "forensics",
    });
    const actionId = (collected.outputs as { ID: string }).ID;

    const listed = await harness.run("microsoft-atp-list-machine-actions-details", {
      machine_id: FILE_SERVER,
      type: "CollectInvestigationPackage",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/machineactions" });
    expect(harness.lastCall().query).toEqual({
      $filter: `machineId eq '${FILE_SERVER}' and type eq 'CollectInvestigationPackage'`,
      $top: "50",
    });
    expect(ids(listed.outputs)).toEqual([actionId]);

    const byId = await harness.run("microsoft-atp-list-machine-actions-details", { id: actionId });
    expect(harness.lastCall().path).toBe(`/api/machineactions/${actionId}`);
    expect(byId.outputs).toEqual([expect.objectContaining({ ID: actionId, Status: "Succeeded" })]);

    const uri = await harness.run("microsoft-atp-get-investigation-package-sas-uri", { action_id: actionId });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/api/machineactions/${actionId}/GetPackageUri`,
    });
    expect((uri.outputs as { Link: string }).Link).toMatch(
      /^https:\/\/userrequests-us\.securitycenter\.windows\.com/,
    );
    expect(uri.readable).toContain("valid for a very short time");
  });

  it("microsoft-atp-list-machine-actions-details by status and requestor", async () => {
    const result = await harness.run("microsoft-atp-list-machine-actions-details", {
      status: "Succeeded",
      requestor: "secops@contoso.com",
      limit: "5",
    });
    expect(harness.lastCall().query).toEqual({
      $filter: "status eq 'Succeeded' and requestor eq 'secops@contoso.com'",
      $top: "5",
    });
    expect(ids(result.outputs)).toEqual(["5382f7ea-7557-4ab7-9782-d50480024a4e"]);
  });

  it("investigations: list pages, get by ID, start on a machine (get-investigation-collection, initiate-autoir-investigation)", async () => {
    const listed = await harness.run("microsoft-atp-list-investigations", { limit: "1", offset: "1" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/investigations" });
    expect(harness.lastCall().query).toEqual({ $top: "1", $skip: "1" });
    expect(ids(listed.outputs)).toEqual(["7690"]);

    const one = await harness.run("microsoft-atp-list-investigations", { id: "7845" });
    expect(harness.lastCall().path).toBe("/api/investigations/7845");
    expect(one.outputs).toEqual([
      expect.objectContaining({ State: "Running", TriggeringAlertID: POWERSHELL_ALERT }),
    ]);

    const started = await harness.run("microsoft-atp-start-investigation", {
      machine_id: FILE_SERVER,
      comment: "IR-42",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machines/${FILE_SERVER}/startInvestigation`,
      body: { Comment: "IR-42" },
    });
    expect(started.outputs).toMatchObject({ State: "Running", MachineID: FILE_SERVER });
    const all = await harness.run("microsoft-atp-list-investigations", {});
    expect(ids(all.outputs)).toContain((started.outputs as { ID: string }).ID);
  });
});

describe("live response (run-live-response, get-live-response-result, cancel-machine-action)", () => {
  it("get-file sends a GetFile command; machine_action_id reads it; result gives the link; put-file then cancel", async () => {
    const sent = await harness.run("microsoft-atp-live-response-get-file", {
      machine_id: ADELE,
      comment: "collect dump",
      path: "C:\\Windows\\Temp\\dump.zip",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machines/${ADELE}/runliveresponse`,
      body: {
        Commands: [{ type: "GetFile", params: [{ key: "Path", value: "C:\\Windows\\Temp\\dump.zip" }] }],
        Comment: "collect dump",
      },
    });
    const action = sent.outputs as { id: string; type: string; status: string };
    expect(action).toMatchObject({ type: "LiveResponse", status: "Pending" });

    const read = await harness.run("microsoft-atp-live-response-get-file", { machine_action_id: action.id });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/machineactions/${action.id}` });
    expect(read.outputs).toMatchObject({ id: action.id, status: "Succeeded" });

    const result = await harness.run("microsoft-atp-live-response-result", {
      machine_action_id: action.id,
      command_index: "0",
    });
    expect(harness.lastCall().path).toBe(
      `/api/machineactions/${action.id}/GetLiveResponseResultDownloadLink(index=0)`,
    );
    expect(result.outputs).toMatch(/^https:\/\/core-livecommand-us\.securitycenter\.windows\.com\//);

    const put = await harness.run("microsoft-atp-live-response-put-file", {
      machine_id: FILE_SERVER,
      comment: "tools",
      file_name: "collector.ps1",
    });
    expect(harness.lastCall().body).toEqual({
      Commands: [{ type: "PutFile", params: [{ key: "FileName", value: "collector.ps1" }] }],
      Comment: "tools",
    });
    const putId = (put.outputs as { id: string }).id;
    const cancelled = await harness.run("microsoft-atp-live-response-cancel-action", {
      machine_action_id: putId,
      comment: "not needed",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/api/machineactions/${putId}/cancel`,
      body: { Comment: "not needed" },
    });
    expect(cancelled.readable).toBe(`Machine action ${putId} was cancelled (status Cancelled).`);
    await expect(harness.run("microsoft-atp-live-response-get-file", { machine_id: ADELE })).rejects.toThrow(
      "comment, path required to send a live response GetFile",
    );
  });
});

describe("alerts and hunting", () => {
  it("microsoft-atp-list-alerts sends $filter and $top only, no $orderby (get-alerts)", async () => {
    const result = await harness.run("microsoft-atp-list-alerts", {
      severity: "Medium",
      status: "InProgress",
      category: "Malware",
      creation_time: "2026-12-01T00:00:00Z",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", host: HOST, path: "/api/alerts" });
    expect(harness.lastCall().query).toEqual({
      $filter:
        "severity eq 'Medium' and status eq 'InProgress' and category eq 'Malware' and alertCreationTime ge 2026-12-01T00:00:00.000Z",
      $top: "50",
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ Title: "'Emotet' malware was detected", IncidentID: 924519 }),
    ]);
    expect(result.readable).toContain("|'Emotet' malware was detected|Medium|InProgress|Malware|");
  });

  it("the double refuses query options Defender for Endpoint does not document, as the service does", async () => {
    await expect(
      harness.run("microsoft-atp-list-machine-actions-details", { filters: "computerDnsName eq 'x'" }),
    ).rejects.toThrow("$filter is not supported on 'computerDnsName'");
  });

  it("microsoft-atp-get-alert-by-id reads each alert (get-alert-info-by-id)", async () => {
    const result = await harness.run("microsoft-atp-get-alert-by-id", { alert_ids: POWERSHELL_ALERT });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/alerts/${POWERSHELL_ALERT}` });
    expect(result.outputs).toMatchObject({ ID: POWERSHELL_ALERT, Severity: "High", InvestigationID: 7845 });
  });

  it("microsoft-atp-update-alert patches the alert and a later read shows it (update-alert)", async () => {
    const result = await harness.run("microsoft-atp-update-alert", {
      alert_id: POWERSHELL_ALERT,
      status: "Resolved",
      classification: "TruePositive",
      determination: "Malware",
      comment: "contained",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/api/alerts/${POWERSHELL_ALERT}`,
      body: {
        status: "Resolved",
        classification: "TruePositive",
        determination: "Malware",
        comment: "contained",
      },
    });
    expect(result.readable).toBe(`The alert ${POWERSHELL_ALERT} has been updated successfully`);
    expect(result.outputs).toMatchObject({ Status: "Resolved", Comments: [{ Comment: "contained" }] });
    const read = await harness.run("microsoft-atp-get-alert-by-id", { alert_ids: POWERSHELL_ALERT });
    expect(read.outputs).toMatchObject({ Status: "Resolved", Classification: "TruePositive" });
  });

  it("microsoft-atp-advanced-hunting runs the query (run-advanced-query-api)", async () => {
    const result = await harness.run("microsoft-atp-advanced-hunting", { query: "DeviceInfo | take 2" });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/advancedqueries/run",
      body: { Query: "DeviceInfo | take 2" },
    });
    expect(result.readable).toContain("|Timestamp|DeviceId|DeviceName|OSPlatform|PublicIP|");
    expect(result.readable).toContain(`|${ADELE}|desktop-adele.contoso.com|Windows11|203.0.113.24|`);
    expect((result.outputs as { Result: unknown[] }).Result).toHaveLength(2);
  });
});

describe("advanced hunting: time range, names and batches", () => {
  it("time_range appends a Timestamp condition; name files the rows under Result.<name>", async () => {
    const result = await harness.run("microsoft-atp-advanced-hunting", {
      query: "DeviceInfo | take 1",
      time_range: "2 weeks",
      name: "devices",
    });
    expect(harness.lastCall().body).toEqual({ Query: "DeviceInfo | take 1 | where Timestamp > ago(14d)" });
    expect(result.outputs).toEqual({ Result: { devices: [expect.objectContaining({ DeviceId: ADELE })] } });
    expect(result.readable).toContain("### Hunt results for devices query");
  });

  it("query_batch runs each query", async () => {
    const result = await harness.run("microsoft-atp-advanced-hunting", {
      query_batch: JSON.stringify({
        queries: [
          { name: "processes", query: "DeviceProcessEvents | take 2" },
          { name: "mail", query: "EmailAttachmentInfo", time_range: "1 day" },
        ],
      }),
    });
    expect(harness.calls.map((call) => call.body)).toEqual([
      { Query: "DeviceProcessEvents | take 2" },
      { Query: "EmailAttachmentInfo | where Timestamp > ago(1d)" },
    ]);
    const hunt = result.outputs as { Result: Record<string, unknown[]> };
    expect(Object.keys(hunt.Result)).toEqual(["processes", "mail"]);
    expect(hunt.Result["processes"]).toHaveLength(2);
    expect(hunt.Result["mail"]).toEqual([expect.objectContaining({ FileName: "invoice_8812.doc" })]);
  });
});

describe("indicators (ti-indicator)", () => {
  it("microsoft-atp-sc-indicator-list filters on indicatorType with $top and $skip (get-ti-indicators-collection)", async () => {
    const result = await harness.run("microsoft-atp-sc-indicator-list", {
      indicator_type: "DomainName",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/indicators" });
    expect(harness.lastCall().query).toEqual({ $filter: "indicatorType eq 'DomainName'", $top: "10" });
    expect(result.outputs).toEqual([
      expect.objectContaining({ id: "8001", indicatorValue: "fabrikam-invoices.com" }),
    ]);
    expect(result.additionalOutputs).toMatchObject({
      Domain: [{ Name: "fabrikam-invoices.com" }],
      DBotScore: [{ Indicator: "fabrikam-invoices.com", Type: "domain", Score: 3 }],
    });
    await harness.run("microsoft-atp-sc-indicator-list", { skip: "1", indicator_title: "Emotet dropper" });
    expect(harness.lastCall().query).toEqual({
      $filter: "title eq 'Emotet dropper'",
      $top: "50",
      $skip: "1",
    });
  });

  it("create, update, get by ID and delete one indicator (post-ti-indicator, delete-ti-indicator-by-id)", async () => {
    const created = await harness.run("microsoft-atp-sc-indicator-create", {
      indicator_value: "203.0.113.99",
      indicator_type: "IpAddress",
      action: "Audit",
      severity: "Medium",
      expiration_time: "2027-01-31T00:00:00Z",
      indicator_description: "C2 seen from srv-file01",
      indicator_title: "Emotet C2",
      rbac_group_names: "Servers,Workstations",
      generate_alert: "true",
    });
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: "/api/indicators" });
    expect(harness.lastCall().body).toEqual({
      indicatorValue: "203.0.113.99",
      indicatorType: "IpAddress",
      action: "Audit",
      title: "Emotet C2",
      description: "C2 seen from srv-file01",
      severity: "Medium",
      expirationTime: "2027-01-31T00:00:00.000Z",
      rbacGroupNames: ["Servers", "Workstations"],
      generateAlert: true,
    });
    const id = (created.outputs as { id: string }).id;
    expect(created.additionalOutputs).toMatchObject({
      IP: [{ Address: "203.0.113.99" }],
      DBotScore: [{ Score: 2 }],
    });

    const updated = await harness.run("microsoft-atp-sc-indicator-update", {
      indicator_value: "203.0.113.99",
      indicator_type: "IpAddress",
      action: "Block",
      indicator_description: "C2 confirmed",
      indicator_title: "Emotet C2",
    });
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: "/api/indicators" });
    const expiry = Date.parse((harness.lastCall().body as { expirationTime: string }).expirationTime);
    expect(Math.round((expiry - Date.now()) / 86_400_000)).toBe(14);
    expect(updated.outputs).toMatchObject({ id, action: "Block" });

    const read = await harness.run("microsoft-atp-sc-indicator-get-by-id", { indicator_id: id });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/indicators", query: {} });
    expect(read.outputs).toMatchObject({ id, action: "Block", description: "C2 confirmed" });

    const deleted = await harness.run("microsoft-atp-sc-indicator-delete", { indicator_id: id });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `/api/indicators/${id}` });
    expect(deleted.readable).toBe(`Indicator ID: ${id} was successfully deleted`);
    const gone = await harness.run("microsoft-atp-sc-indicator-get-by-id", { indicator_id: id });
    expect(gone.readable).toBe(`No indicator with ID ${id} was found in Microsoft Defender ATP.`);
  });
});

describe("indicator import", () => {
  it("microsoft-atp-indicator-batch-update posts Indicators and shows each result (import-ti-indicators)", async () => {
    const batch = [
      {
        indicatorValue: "contoso-update.net",
        indicatorType: "DomainName",
        action: "Block",
        title: "Lure",
        description: "Fake updater",
      },
      { indicatorValue: "198.51.100.23", indicatorType: "IpAddress", action: "Audit", title: "Scanner" },
    ];
    const result = await harness.run("microsoft-atp-indicator-batch-update", {
      indicator_batch: JSON.stringify(batch),
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/indicators/import",
      body: { Indicators: batch },
    });
    expect(result.outputs).toEqual([
      { ID: expect.any(String), Value: "contoso-update.net", IsFailed: false, FailureReason: null },
      { ID: null, Value: "198.51.100.23", IsFailed: true, FailureReason: "'description' is required." },
    ]);
    const listed = await harness.run("microsoft-atp-sc-indicator-list", {
      indicator_value: "contoso-update.net",
    });
    expect(listed.outputs).toEqual([expect.objectContaining({ action: "Block", title: "Lure" })]);
  });
});

describe("files, domains and IPs", () => {
  it("microsoft-atp-get-file-info (get-file-information)", async () => {
    const result = await harness.run("microsoft-atp-get-file-info", { hash: EMOTET_SHA1 });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/files/${EMOTET_SHA1}` });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        Sha1: EMOTET_SHA1,
        DeterminationValue: "TrojanDownloader:O97M/Emotet",
        Size: 184320,
      }),
    ]);
    expect(result.additionalOutputs).toMatchObject({ File: [{ SHA1: EMOTET_SHA1, Type: "Document" }] });
  });

  it("microsoft-atp-get-file-statistics (get-file-statistics)", async () => {
    const result = await harness.run("microsoft-atp-get-file-statistics", { file_hash: EMOTET_SHA1 });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/api/files/${EMOTET_SHA1}/stats` });
    expect(result.outputs).toMatchObject({
      Sha1: EMOTET_SHA1,
      Statistics: { OrgPrevalence: "1", GlobalPrevalence: "41", TopFileNames: ["invoice_8812.doc"] },
    });
  });

  it("microsoft-atp-get-domain-statistics and microsoft-atp-get-ip-statistics (get-domain-statistics, get-ip-statistics)", async () => {
    const domain = await harness.run("microsoft-atp-get-domain-statistics", {
      domain: "fabrikam-invoices.com",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/api/domains/fabrikam-invoices.com/stats",
    });
    expect(domain.outputs).toMatchObject({
      Statistics: { Host: "fabrikam-invoices.com", OrgPrevalence: "2" },
    });
    const ip = await harness.run("microsoft-atp-get-ip-statistics", { ip: "203.0.113.99" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/ips/203.0.113.99/stats" });
    expect(ip.outputs).toMatchObject({ IPAddress: "203.0.113.99", Statistics: { OrgPrevalence: "2" } });
  });
});

describe("vulnerability management", () => {
  it("microsoft-atp-list-software filters on name and vendor with $top (get-software)", async () => {
    const result = await harness.run("microsoft-atp-list-software", { vendor: "microsoft", limit: "10" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/Software" });
    expect(harness.lastCall().query).toEqual({ $filter: "vendor eq 'microsoft'", $top: "10" });
    expect(result.outputs).toEqual([expect.objectContaining({ id: "microsoft-_-edge", weaknesses: 1 })]);
  });

  it("microsoft-atp-list-vulnerabilities with contains(), cvssV3 and dates, at most 8000 (get-all-vulnerabilities)", async () => {
    const result = await harness.run("microsoft-atp-list-vulnerabilities", {
      name_contains: "2026-21",
      cvss: "7",
      published_on: "2026-11-01T00:00:00Z",
      offset: "0",
    });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/vulnerabilities" });
    expect(harness.lastCall().query).toEqual({
      $filter: "contains(name,'2026-21') and publishedOn ge 2026-11-01T00:00:00.000Z and cvssV3 ge 7",
      $top: "25",
    });
    expect(result.outputs).toEqual([expect.objectContaining({ id: "CVE-2026-21345", severity: "High" })]);
    await expect(harness.run("microsoft-atp-list-vulnerabilities", { limit: "9000" })).rejects.toThrow(
      "limit must be a whole number from 1 to 8000",
    );
  });

  it("microsoft-atp-list-vulnerabilities-by-machine (get-all-vulnerabilities-by-machines)", async () => {
    const result = await harness.run("microsoft-atp-list-vulnerabilities-by-machine", {
      machine_id: FILE_SERVER,
      severity: "Medium",
    });
    expect(harness.lastCall()).toMatchObject({ path: "/api/vulnerabilities/machinesVulnerabilities" });
    expect(harness.lastCall().query).toEqual({
      $filter: `machineId eq '${FILE_SERVER}' and severity eq 'Medium'`,
      $top: "25",
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ cveId: "CVE-2026-20011", fixingKbId: "5048654" }),
    ]);
  });

  it("microsoft-atp-list-machines-by-vulnerability (get-machines-by-vulnerability)", async () => {
    const result = await harness.run("microsoft-atp-list-machines-by-vulnerability", {
      cve_id: "CVE-2026-21345",
    });
    expect(harness.lastCall()).toMatchObject({
      path: "/api/vulnerabilities/CVE-2026-21345/machineReferences",
    });
    expect(result.outputs).toEqual([
      {
        ID: ADELE,
        ComputerDNSName: "desktop-adele.contoso.com",
        OSPlatform: "Windows11",
        RBACGroupName: "Workstations",
        CVE: "CVE-2026-21345",
      },
    ]);
  });

  it.each([
    ["microsoft-atp-list-vulnerabilities-by-software", "vulnerabilities", "MicrosoftATP.SoftwareCVE", 1],
    ["microsoft-atp-list-machines-by-software", "machineReferences", "MicrosoftATP.SoftwareMachine", 2],
    ["microsoft-atp-list-software-version-distribution", "distributions", "MicrosoftATP.SoftwareVersion", 2],
    ["microsoft-atp-list-missing-kb-by-software", "getmissingkbs", "MicrosoftATP.SoftwareKB", 0],
  ] as const)("%s reads /api/Software/{id}/%s", async (command, path, prefix, count) => {
    const result = await harness.run(command, { id: "microsoft-_-edge" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/api/Software/microsoft-_-edge/${path}`,
    });
    expect(result.outputsPrefix).toBe(prefix);
    expect(result.outputs).toHaveLength(count);
  });
});

describe("other flows", () => {
  it("US GCC-High: the api-gov host answers a token for the .us WindowsDefenderATP service", async () => {
    const result = await harness.run("microsoft-atp-list-alerts", {}, { endpoint_type: "US GCC-High" });
    expect(harness.lastCall().host).toBe("api-gov.securitycenter.microsoft.us");
    expect(served().map((entry) => entry.status)).toEqual([200]);
    expect(result.outputs).toHaveLength(3);
  });

  it("managed identity: a token for the WindowsDefenderATP service lists machines", async () => {
    const result = await harness.run("microsoft-atp-get-machines", {}, { use_managed_identities: true });
    expect(harness.lastCall()).toMatchObject({ host: HOST, path: "/api/machines" });
    expect(result.outputs).toHaveLength(3);
    expect(served()).toHaveLength(1);
  });

  it("authorization code: the signed-in user's delegated token runs hunting, isolation and app restriction", async () => {
    const instance = await harness.instance({
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("microsoft-atp-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    const scope = new URL(loginUrl).searchParams.get("scope");
    expect(scope).toContain("https://securitycenter.onmicrosoft.com/windowsatpservice/Machine.Isolate");
    expect(scope).toContain(
      "https://securitycenter.onmicrosoft.com/windowsatpservice/Machine.RestrictExecution",
    );
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const hunt = await instance.run("microsoft-atp-advanced-hunting", {
      query: "DeviceProcessEvents | take 1",
    });
    expect(hunt.readable).toContain("|powershell.exe|");
    const isolated = await instance.run("microsoft-atp-isolate-machine", {
      machine_id: MAC,
      comment: "lost laptop",
    });
    expect(isolated.outputs).toMatchObject({ Type: "Isolate", Status: "Pending" });
    const restricted = await instance.run("microsoft-atp-restrict-app-execution", {
      machine_id: FILE_SERVER,
      comment: "lost",
    });
    expect(restricted.outputs).toMatchObject({ Type: "RestrictCodeExecution" });
    expect(harness.emulator.tokenRequests().at(-1)?.grantType).toBe("authorization_code");
  });
});

describe("Cortex XSOAR application", () => {
  // The emulator's demo broker registration (packages/entra-emulator/src/seed.ts) belongs to another app, so the
  // broker double names the app the request asked for: XSOAR's APP_NAME "ms-defender-atp"
  // (MicrosoftDefenderAdvancedThreatProtection.py).
  it("asks the token broker for the app ms-defender-atp", async () => {
    await expect(
      harness.run(
        "microsoft-atp-list-alerts",
        {},
        {
          self_deployed: false,
          auth_id: "3b0bf3d0-6b3c-4b0e-9a5f-0c1d2e3f4a5b",
          tenant_id: "84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970",
          enc_key: "bXNpbnQtZGVtby1icm9rZXIta2V5LTMyLWJ5dGVzISE=",
        },
      ),
    ).rejects.toThrow("The registration belongs to the app 'ms-graph-mail-listener', not 'ms-defender-atp'.");
    const broker = harness.requests.find((request) => request.path === "/obtain-token");
    expect(broker).toMatchObject({ host: "oproxy.demisto.ninja", body: { app_name: "ms-defender-atp" } });
    expect(served()).toHaveLength(0);
  });
});

describe("-test and -auth-test", () => {
  it("microsoft-atp-test reads one alert and names what it reached", async () => {
    const result = await harness.run("microsoft-atp-test");
    expect(served().map((entry) => `${entry.method} ${entry.path}`)).toEqual(["GET /api/alerts"]);
    expect(result.readable).toContain(
      "✅ Success! Microsoft Defender for Endpoint (Defender ATP) authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toMatch(
      /- Microsoft Defender for Endpoint: GET \S*api\.securitycenter\.microsoft\.com\/api\/alerts\S* → 200/,
    );
    expect(result.readable).toContain(
      "Needed by microsoft-atp-test: Alert.Read.All (or Alert.ReadWrite.All) (granted)",
    );
  });

  it("an app without Alert.Read.All fails -auth-test and -test, naming the role and the API", async () => {
    for (const command of ["microsoft-atp-auth-test", "microsoft-atp-test"]) {
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
    limited = await startHarness(integration, {
      grants: { "defender-for-endpoint": ["Alert.Read.All", "Machine.Read.All"] },
    });
  });
  afterAll(() => limited.close());

  it("-test passes and warns; isolation, app restriction, package collection and indicators name their roles", async () => {
    const test = await limited.run("microsoft-atp-test");
    expect(test.readable).toContain("- microsoft-atp-isolate-machine: Machine.Isolate");
    expect(test.readable).toContain("- microsoft-atp-restrict-app-execution: Machine.RestrictExecution");
    for (const [command, args, role] of [
      ["microsoft-atp-isolate-machine", { machine_id: ADELE, comment: "x" }, "Machine.Isolate"],
      [
        "microsoft-atp-restrict-app-execution",
        { machine_id: ADELE, comment: "x" },
        "Machine.RestrictExecution",
      ],
      [
        "microsoft-atp-run-antivirus-scan",
        { machine_id: ADELE, comment: "x", scan_type: "Quick" },
        "Machine.Scan",
      ],
      [
        "microsoft-atp-collect-investigation-package",
        { machine_id: ADELE, comment: "x" },
        "Machine.CollectForensics",
      ],
      [
        "microsoft-atp-update-alert",
        { alert_id: POWERSHELL_ALERT, status: "Resolved" },
        "Alert.ReadWrite.All",
      ],
      ["microsoft-atp-sc-indicator-list", {}, "Ti.ReadWrite"],
    ] as const) {
      await expect(limited.run(command, args), command).rejects.toThrow(
        `${command} needs: application permission ${role}`,
      );
    }
  });
});
