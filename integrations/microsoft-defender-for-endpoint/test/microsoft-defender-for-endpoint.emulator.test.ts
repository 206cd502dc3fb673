import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Defender for Endpoint double (no routes added here), through the
// instance's own flows: client credentials, authorization code (sign-in) and managed identity.

// The emulator's demo app without any grant (packages/entra-emulator/src/seed.ts), for "missing role" checks.
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};
const ADELE = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07";
const FILE_SERVER = "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8";

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

describe("commands through client credentials", () => {
  it("microsoft-atp-get-machines filters by name prefix and risk (learn.microsoft.com/defender-endpoint/api/get-machines)", async () => {
    const result = await harness.run("microsoft-atp-get-machines", {
      hostname: "desktop",
      risk_score: "High",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.securitycenter.microsoft.com",
      path: "/api/machines",
      query: { $filter: "startswith(computerDnsName,'desktop') and riskScore eq 'High'", $top: "50" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ ID: ADELE, ComputerDNSName: "desktop-adele.contoso.com" }),
    ]);
    expect(result.readable).toContain(
      `|${ADELE}|desktop-adele.contoso.com|Windows11|10.0.0.12|203.0.113.24|Active|High|Medium|`,
    );
    expect(served().map((entry) => [entry.method, entry.status])).toEqual([["GET", 200]]);
  });

  it("microsoft-atp-get-machines by IP address", async () => {
    const result = await harness.run("microsoft-atp-get-machines", { ip: "10.0.1.5" });
    expect(harness.lastCall().query["$filter"]).toBe("lastIpAddress eq '10.0.1.5'");
    expect(result.outputs).toEqual([expect.objectContaining({ ID: FILE_SERVER, RiskScore: "Medium" })]);
  });

  it("microsoft-atp-list-alerts, newest first (learn.microsoft.com/defender-endpoint/api/get-alerts)", async () => {
    const result = await harness.run("microsoft-atp-list-alerts", { limit: "2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/api/alerts",
      query: { $orderby: "alertCreationTime desc", $top: "2" },
    });
    expect((result.outputs as Array<{ Title: string }>).map((alert) => alert.Title)).toEqual([
      "Suspicious PowerShell command line",
      "'Emotet' malware was detected",
    ]);
  });

  it("microsoft-atp-list-alerts by severity and status", async () => {
    const result = await harness.run("microsoft-atp-list-alerts", {
      severity: "Medium",
      status: "InProgress",
    });
    expect(harness.lastCall().query["$filter"]).toBe("severity eq 'Medium' and status eq 'InProgress'");
    expect(result.readable).toContain("|'Emotet' malware was detected|Medium|InProgress|Malware|");
  });

  it("microsoft-atp-isolate-machine creates a pending Isolate action, which a second isolation then meets (learn.microsoft.com/defender-endpoint/api/isolate-machine)", async () => {
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
    expect(result.outputs).toMatchObject({ Type: "Isolate", Status: "Pending", MachineID: FILE_SERVER });
    expect(result.readable).toContain("The isolation request has been submitted successfully");
    // A second isolation while the first is pending is refused, as the service does.
    await expect(
      harness.run("microsoft-atp-isolate-machine", { machine_id: FILE_SERVER, comment: "again" }),
    ).rejects.toThrow("ActiveRequestAlreadyExists");
  });

  it("microsoft-atp-isolate-machine of an unknown machine answers 404", async () => {
    await expect(
      harness.run("microsoft-atp-isolate-machine", { machine_id: "0000", comment: "x" }),
    ).rejects.toThrow("ResourceNotFound: Machine 0000 was not found.");
  });

  it("microsoft-atp-advanced-hunting runs the query (learn.microsoft.com/defender-endpoint/api/run-advanced-query-api)", async () => {
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

describe("other flows", () => {
  it("US GCC-High: the api-gov host answers a token for the .us WindowsDefenderATP service", async () => {
    const result = await harness.run("microsoft-atp-list-alerts", {}, { endpoint_type: "US GCC-High" });
    expect(harness.lastCall().host).toBe("api-gov.securitycenter.microsoft.us");
    expect(served().map((entry) => entry.status)).toEqual([200]);
    expect(result.outputs).toHaveLength(3);
  });

  it("managed identity: a token for the WindowsDefenderATP service lists machines", async () => {
    const result = await harness.run("microsoft-atp-get-machines", {}, { use_managed_identities: true });
    expect(harness.lastCall()).toMatchObject({
      host: "api.securitycenter.microsoft.com",
      path: "/api/machines",
    });
    expect(result.outputs).toHaveLength(3);
    expect(served()).toHaveLength(1);
  });

  it("authorization code: the signed-in user's delegated token runs hunting and isolation", async () => {
    const instance = await harness.instance({
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("microsoft-atp-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    expect(new URL(loginUrl).searchParams.get("scope")).toContain(
      "https://securitycenter.onmicrosoft.com/windowsatpservice/Machine.Isolate",
    );
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const hunt = await instance.run("microsoft-atp-advanced-hunting", {
      query: "DeviceProcessEvents | take 1",
    });
    expect(hunt.readable).toContain("|powershell.exe|");
    const isolated = await instance.run("microsoft-atp-isolate-machine", {
      machine_id: "c4f3d2b1a09876543210fedcba9876543210abcd",
      comment: "lost laptop",
    });
    expect(isolated.outputs).toMatchObject({ Type: "Isolate", Status: "Pending" });
    expect(harness.emulator.tokenRequests().at(-1)?.grantType).toBe("authorization_code");
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

  it("-test passes, warns about the isolation, and the isolation's 403 names Machine.Isolate", async () => {
    const test = await limited.run("microsoft-atp-test");
    expect(test.readable).toContain("- microsoft-atp-isolate-machine: Machine.Isolate");
    await expect(
      limited.run("microsoft-atp-isolate-machine", { machine_id: ADELE, comment: "x" }),
    ).rejects.toThrow("microsoft-atp-isolate-machine needs: application permission Machine.Isolate");
  });
});
