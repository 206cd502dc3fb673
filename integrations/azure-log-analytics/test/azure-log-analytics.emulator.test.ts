import { DEMO_CLIENT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Log Analytics query API and Resource Manager doubles (no routes
// added here), through client credentials, a managed identity and authorization code (a real sign-in). Requests:
// Query - Execute (POST /v1/workspaces/{id}/query, learn.microsoft.com/rest/api/loganalytics/dataaccess/query/
// execute), Metadata - Get (GET /v1/workspaces/{id}/metadata), Workspaces - List By Resource Group (api-version
// 2022-10-01) and Saved Searches - List By Workspace (api-version 2020-08-01) of learn.microsoft.com/rest/api/
// loganalytics.

const WORKSPACE_ID = "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f";
const SUBSCRIPTION = "0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b";
const WORKSPACES = `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces`;
const PARAMS = {
  workspaceID: WORKSPACE_ID,
  subscriptionID: SUBSCRIPTION,
  resourceGroupName: "soc-rg",
  workspaceName: "soc-ws",
};

let harness: Harness;

function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: PARAMS });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("azure-log-analytics against the built-in doubles", () => {
  it("azure-log-analytics-execute-query POSTs the KQL and shows the rows", async () => {
    const result = await harness.run("azure-log-analytics-execute-query", {
      query: "SecurityEvent | where EventID == 4625 | project Computer, Account",
      timespan: "P1D",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "api.loganalytics.io",
      path: `/v1/workspaces/${WORKSPACE_ID}/query`,
      body: { query: "SecurityEvent | where EventID == 4625 | project Computer, Account", timespan: "P1D" },
    });
    expect(result.readable).toContain("|WIN-SRV-01|CONTOSO\\\\adele|");
    expect(result.outputs).toEqual([
      expect.objectContaining({
        TableName: "PrimaryResult",
        Data: [{ Computer: "WIN-SRV-01", Account: "CONTOSO\\adele" }],
      }),
    ]);
  });

  it("a query on a table the workspace does not have is the service's 400 with its semantic error", async () => {
    await expect(
      harness.run("azure-log-analytics-execute-query", { query: "NoSuchTable | take 1" }),
    ).rejects.toThrow(/BadArgumentError|Failed to resolve table/);
  });

  it("azure-log-analytics-list-tables reads the workspace's metadata", async () => {
    const result = await harness.run("azure-log-analytics-list-tables");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1/workspaces/${WORKSPACE_ID}/metadata`,
    });
    expect(result.readable).toContain(
      "|SigninLogs|TimeGenerated, UserPrincipalName, ResultType, IPAddress, AppDisplayName|",
    );
  });

  it("azure-log-analytics-workspace-list and -list-saved-searches read Resource Manager", async () => {
    const workspaces = await harness.run("azure-log-analytics-workspace-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: WORKSPACES,
      query: { "api-version": "2022-10-01" },
    });
    expect(workspaces.readable).toContain(`|soc-ws|${WORKSPACE_ID}|westeurope|90|Succeeded|`);
    const searches = await harness.run("azure-log-analytics-list-saved-searches");
    expect(harness.lastCall()).toMatchObject({
      path: `${WORKSPACES}/soc-ws/savedSearches`,
      query: { "api-version": "2020-08-01" },
    });
    expect(searches.readable).toContain("|failed-sign-ins|Security|Failed sign-ins by user|");
  });

  it("azure-log-analytics-execute-query sends XSOAR's timeout as Prefer: wait", async () => {
    await harness.run("azure-log-analytics-execute-query", { query: "Heartbeat | count", timeout: "30" });
    // The query API's server timeout is the Prefer: wait=<seconds> header
    // (learn.microsoft.com/azure/azure-monitor/logs/api/timeouts).
    expect(harness.lastCall().headers["prefer"]).toBe("wait=30");
  });

  it("azure-log-analytics-list-saved-searches returns XSOAR's page (from 0) of limit searches", async () => {
    const all = await harness.run("azure-log-analytics-list-saved-searches");
    const ids = (all.outputs as Array<{ id: string }>).map((search) => search.id);
    expect(ids.length).toBeGreaterThan(1);
    const second = await harness.run("azure-log-analytics-list-saved-searches", { limit: "1", page: "1" });
    expect((second.outputs as Array<{ id: string }>).map((search) => search.id)).toEqual([ids[1]]);
  });

  it("azure-log-analytics-subscriptions-list and -resource-group-list read Resource Manager", async () => {
    const subscriptions = await harness.run("azure-log-analytics-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    // The seeded infrastructure subscription (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
    const infrastructure = "1b2c3d4e-5f60-4718-829a-abcdef012345";
    expect(subscriptions.readable).toContain(`|${infrastructure}|msint Demo Production|Enabled|`);
    const groups = await harness.run("azure-log-analytics-resource-group-list", {
      subscription_id: infrastructure,
    });
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${infrastructure}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(groups.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ name: "msint-demo" })]));
  });

  it("runs with a managed identity", async () => {
    const result = await harness.run(
      "azure-log-analytics-execute-query",
      { query: "Heartbeat | count" },
      { use_managed_identities: true },
    );
    expect(result.outputs).toEqual([expect.objectContaining({ Data: [{ Count: 2 }] })]);
    expect(harness.requests.some((call) => call.host === "169.254.169.254")).toBe(true);
  });

  it("runs with authorization code: one sign-in serves the query API and Resource Manager", async () => {
    const app = harness.emulator.seed.tenants[0]!.apps.find(
      (candidate) => candidate.clientId === DEMO_CLIENT_ID,
    )!;
    app.redirectUris = [...(app.redirectUris ?? []), "https://localhost/callback"];
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "https://localhost/callback",
    });
    const login = await instance.run("azure-log-analytics-generate-login-url");
    await instance.set({
      auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl),
    });
    const query = await instance.run("azure-log-analytics-execute-query", { query: "SigninLogs | take 1" });
    expect(query.readable).toContain("adele.vance@contoso.onmicrosoft.com");
    const searches = await instance.run("azure-log-analytics-list-saved-searches");
    expect(searches.outputs).toHaveLength(2);
  });
});

describe("azure-log-analytics-test and permissions", () => {
  it("-test sends a query and reads the workspace at Resource Manager, each counted at the emulator", async () => {
    const result = await harness.run("azure-log-analytics-test");
    const served = (service: string) =>
      harness.emulator.requests.filter((entry) => entry.service === service);
    expect(served("log-analytics").map((entry) => entry.path)).toEqual([
      `/v1/workspaces/${WORKSPACE_ID}/query`,
    ]);
    expect(served("arm").map((entry) => entry.path)).toEqual([`${WORKSPACES}/soc-ws`]);
    expect(result.readable).toContain(
      `- Azure Log Analytics: GET api.loganalytics.io/v1/workspaces/${WORKSPACE_ID}/query → 200`,
    );
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${WORKSPACES}/soc-ws → 200`,
    );
    expect(result.readable).toContain("Granted in the token, Application (roles): Data.Read");
  });

  it("an app without a role on the workspace: -auth-test cannot tell, -test fails naming the role", async () => {
    // App-only access is Azure RBAC (no permission in the token to compare): -auth-test passes and says what the
    // service checks; the service's 403 names it.
    const auth = await harness.run("azure-log-analytics-auth-test", {}, noGrantApp());
    expect(auth.readable).toContain("Granted in the token, Application (roles): none.");
    expect(auth.readable).toContain("the identity needs Log Analytics Reader, or Reader");
    await expect(harness.run("azure-log-analytics-test", {}, noGrantApp())).rejects.toThrow(
      /could not reach Azure Log Analytics[\s\S]*HTTP 403[\s\S]*InsufficientAccessError[\s\S]*Log Analytics Reader/,
    );
  });

  it("a command's 403 names the permission it needs", async () => {
    await expect(harness.run("azure-log-analytics-list-tables", {}, noGrantApp())).rejects.toThrow(
      "azure-log-analytics-list-tables needs: delegated permission Data.Read; Azure role Log Analytics Reader, or Reader",
    );
  });
});
