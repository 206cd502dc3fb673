import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const MACHINE = {
  id: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
  computerDnsName: "desktop-adele.contoso.com",
  osPlatform: "Windows11",
  lastIpAddress: "10.0.0.12",
  healthStatus: "Active",
  riskScore: "High",
  exposureLevel: "Medium",
};

let harness: Harness;
const isolations: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: {
      "defender-for-endpoint": [
        "https://securitycenter.onmicrosoft.com/windowsatpservice",
        "https://securitycenter.onmicrosoft.us/windowsatpservice",
      ],
    },
    grants: {
      "defender-for-endpoint": [
        "Machine.Read.All",
        "Machine.Isolate",
        "Alert.Read.All",
        "AdvancedQuery.Read.All",
      ],
    },
  });
  const { emulator } = harness;
  const mde = (roles: string[]) => ({ resource: "defender-for-endpoint", roles });
  emulator.addRoute("GET", "/api/machines", mde(["Machine.Read.All", "Machine.ReadWrite.All"]), (ctx) =>
    ctx.json(200, { value: [MACHINE] }),
  );
  emulator.addRoute("GET", "/api/alerts", mde(["Alert.Read.All", "Alert.ReadWrite.All"]), (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: "da637",
          title: "Suspicious PowerShell",
          severity: "High",
          status: "New",
          machineId: MACHINE.id,
          alertCreationTime: "2024-05-01T10:00:00Z",
        },
      ],
    }),
  );
  emulator.addRoute("POST", "/api/machines/:id/isolate", mde(["Machine.Isolate"]), (ctx) => {
    isolations.push(ctx.body);
    return ctx.json(201, {
      id: "b89eb834",
      type: "Isolate",
      status: "Pending",
      machineId: ctx.params["id"],
      requestorComment: (ctx.body as { Comment: string }).Comment,
    });
  });
  emulator.addRoute("POST", "/api/advancedqueries/run", mde(["AdvancedQuery.Read.All"]), (ctx) =>
    ctx.json(200, {
      Schema: [{ Name: "DeviceName", Type: "String" }],
      Results: [{ DeviceName: "desktop-adele" }],
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft Defender for Endpoint manifest", () => {
  it("names the endpoint type parameter", () => {
    expect(integration.parameter("endpoint_type")?.displayName).toBe("Endpoint Type");
  });
});

describe("machines, alerts, isolation and hunting", () => {
  it("microsoft-atp-get-machines calls the Worldwide API with a WindowsDefenderATP token", async () => {
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
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(
      "https://securitycenter.onmicrosoft.com/windowsatpservice/.default",
    );
    expect(result.readable).toContain(
      `|${MACHINE.id}|desktop-adele.contoso.com|Windows11|10.0.0.12||Active|High|Medium|`,
    );
  });

  it("the EU geo endpoint type calls api-eu", async () => {
    await harness.run(
      "microsoft-atp-list-alerts",
      { severity: "High" },
      { endpoint_type: "EU Geo Proximity" },
    );
    expect(harness.lastCall()).toMatchObject({
      host: "api-eu.securitycenter.microsoft.com",
      path: "/api/alerts",
    });
    // learn.microsoft.com/defender-endpoint/api/get-alerts documents $filter, $top, $skip and $expand only.
    expect(harness.lastCall().query).toEqual({ $filter: "severity eq 'High'", $top: "50" });
  });

  it("US GCC-High signs in at login.microsoftonline.us and asks the .us WindowsDefenderATP service", async () => {
    await harness.run(
      "microsoft-atp-list-alerts",
      {},
      { endpoint_type: "US GCC-High", azure_cloud: "US GCC-High" },
    );
    expect(harness.lastCall().host).toBe("api-gov.securitycenter.microsoft.us");
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(
      "https://securitycenter.onmicrosoft.us/windowsatpservice/.default",
    );
    expect(harness.emulator.tokenRequests().at(-1)?.headers["x-forwarded-host"]).toBe(
      "login.microsoftonline.us",
    );
  });

  it("the Endpoint Type alone chooses the cloud; an Azure Cloud that contradicts it is refused", async () => {
    for (const [type, login, api, service] of [
      [
        "US GCC-High",
        "login.microsoftonline.us",
        "api-gov.securitycenter.microsoft.us",
        "securitycenter.onmicrosoft.us",
      ],
      [
        "DoD",
        "login.microsoftonline.us",
        "api-gov.securitycenter.microsoft.us",
        "securitycenter.onmicrosoft.us",
      ],
      [
        "US GCC",
        "login.microsoftonline.com",
        "api-gcc.securitycenter.microsoft.us",
        "securitycenter.onmicrosoft.com",
      ],
    ] as const) {
      await harness.run("microsoft-atp-list-alerts", {}, { endpoint_type: type });
      expect(harness.lastCall().host, type).toBe(api);
      const token = harness.emulator.tokenRequests().at(-1);
      expect(token?.headers["x-forwarded-host"], type).toBe(login);
      expect(token?.scope, type).toBe(`https://${service}/windowsatpservice/.default`);
    }
    await expect(
      harness.run(
        "microsoft-atp-list-alerts",
        {},
        { endpoint_type: "US GCC-High", azure_cloud: "Worldwide" },
      ),
    ).rejects.toThrow(
      "Endpoint Type US GCC-High signs in at https://login.microsoftonline.us, but Azure Cloud Worldwide signs in at https://login.microsoftonline.com. Leave Azure Cloud empty",
    );
  });

  it("microsoft-atp-isolate-machine and microsoft-atp-advanced-hunting", async () => {
    const result = await harness.run("microsoft-atp-isolate-machine", {
      machine_id: MACHINE.id,
      comment: "IR-42",
      isolation_type: "Selective",
    });
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: `/api/machines/${MACHINE.id}/isolate` });
    expect(isolations.at(-1)).toEqual({ Comment: "IR-42", IsolationType: "Selective" });
    expect(result.outputs).toMatchObject({
      ID: "b89eb834",
      Type: "Isolate",
      Status: "Pending",
      MachineID: MACHINE.id,
    });
    const hunt = await harness.run("microsoft-atp-advanced-hunting", { query: "DeviceInfo | take 1" });
    expect(harness.lastCall()).toMatchObject({
      path: "/api/advancedqueries/run",
      body: { Query: "DeviceInfo | take 1" },
    });
    expect(hunt.readable).toBe("### Hunt results\n|DeviceName|\n|---|\n|desktop-adele|\n");
  });
});

describe("auth errors", () => {
  it("an app without Machine.Isolate cannot isolate", async () => {
    await expect(
      harness.runWithToken(
        "microsoft-atp-isolate-machine",
        { machine_id: MACHINE.id, comment: "x" },
        { roles: ["Machine.Read.All"] },
      ),
    ).rejects.toThrow("AuthorizationFailed");
  });
});
