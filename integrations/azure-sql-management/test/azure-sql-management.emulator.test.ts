import { DEMO_CLIENT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const SERVERS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Sql/servers`;
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group_name: GROUP },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const armRequests = () => harness.emulator.requests.filter((entry) => entry.service === "arm");
const names = (outputs: unknown) => (outputs as Array<{ name: string }>).map((entry) => entry.name);

describe("Azure SQL Management against the emulator's Resource Manager", () => {
  it("azure-sql-servers-list lists the resource group's servers, or the subscription's", async () => {
    const result = await harness.run("azure-sql-servers-list", { list_by_resource_group: "true" });
    // Servers - List By Resource Group: GET …/providers/Microsoft.Sql/servers?api-version=2021-11-01
    // (learn.microsoft.com/rest/api/sql/servers/list-by-resource-group).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: SERVERS,
      query: { "api-version": "2021-11-01" },
    });
    expect(names(result.outputs)).toEqual(["sql-msint-demo"]);
    expect(result.readable).toContain(
      "|sql-msint-demo|westeurope|v12.0|sql-msint-demo.database.windows.net|Ready|sqladmin|",
    );

    // XSOAR's default (list_by_resource_group unset): the subscription's servers.
    const all = await harness.run("azure-sql-servers-list");
    // Servers - List: GET /subscriptions/{id}/providers/Microsoft.Sql/servers (…/sql/servers/list).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Sql/servers`,
      query: { "api-version": "2021-11-01" },
    });
    expect(names(all.outputs)).toEqual(["sql-msint-demo", "sql-soc"]);
  });

  it("azure-sql-servers-list skips XSOAR's offset", async () => {
    const result = await harness.run("azure-sql-servers-list", { offset: "1", limit: "1" });
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Sql/servers`,
    });
    expect(names(result.outputs)).toEqual(["sql-soc"]);
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureSQLManagement.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("8f9010bb-4efe-4cfa-a197-98a2694b7e0c");
  });

  it("azure-sql-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-sql-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
  });

  it("azure-sql-resource-group-list lists the subscription's resource groups", async () => {
    const result = await harness.run("azure-sql-resource-group-list");
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(names(result.outputs)).toContain("msint-demo");
  });

  it("azure-sql-db-list lists a server's databases (managed identity)", async () => {
    const result = await harness.run(
      "azure-sql-db-list",
      { server_name: "sql-msint-demo" },
      { use_managed_identities: true },
    );
    // Databases - List By Server: GET …/servers/{server}/databases (learn.microsoft.com/rest/api/sql/databases/list-by-server).
    expect(harness.lastCall()).toMatchObject({
      path: `${SERVERS}/sql-msint-demo/databases`,
      query: { "api-version": "2021-11-01" },
    });
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect(names(result.outputs)).toEqual(["customers", "audit-archive"]);
    expect(result.readable).toContain("|customers|westeurope|Online|GP_Gen5_2|268435456000|");
  });

  it("azure-sql-db-audit-policy-list reads a database's auditing settings (signed-in user)", async () => {
    const app = harness.emulator.seed.tenants[0]!.apps.find(
      (candidate) => candidate.clientId === DEMO_CLIENT_ID,
    )!;
    app.redirectUris = [...(app.redirectUris ?? []), "https://localhost/callback"];
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "https://localhost/callback",
    });
    const login = await instance.run("azure-sql-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });
    const result = await instance.run("azure-sql-db-audit-policy-list", {
      server_name: "sql-msint-demo",
      db_name: "customers",
    });
    // Database Blob Auditing Policies - List By Database: GET …/databases/{db}/auditingSettings
    // (learn.microsoft.com/rest/api/sql/database-blob-auditing-policies/list-by-database).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SERVERS}/sql-msint-demo/databases/customers/auditingSettings`,
      query: { "api-version": "2021-11-01" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "default",
        properties: expect.objectContaining({ state: "Enabled", retentionDays: 90 }),
      }),
    ]);
    expect(result.readable).toContain("### Database Audit Settings for customers");
  });

  it("an unknown server answers ARM's ParentResourceNotFound", async () => {
    await expect(harness.run("azure-sql-db-list", { server_name: "nope" })).rejects.toThrow(
      "ParentResourceNotFound",
    );
  });
});

describe("azure-sql-test and permissions", () => {
  it("azure-sql-test lists the default group's servers and names what it reached", async () => {
    const result = await harness.run("azure-sql-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([SERVERS]);
    expect(result.readable).toContain(`- Azure Resource Manager: GET management.azure.com${SERVERS} → 200`);
  });

  it("azure-sql-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-sql-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-sql-db-audit-policy-list names its Azure role", async () => {
    await expect(
      harness.run(
        "azure-sql-db-audit-policy-list",
        { server_name: "sql-msint-demo", db_name: "customers" },
        NO_GRANT,
      ),
    ).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-sql-db-audit-policy-list needs: Azure role Reader, or SQL Security Manager/,
    );
  });
});
