import {
  consentScopesFor,
  resolveEndpoints,
  resolveParameterValues,
  scopesFor,
} from "@msint/integration-kit";
import { DEMO_CLIENT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const WORKSPACE = "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f";
const SUBSCRIPTION = "0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b";
const WORKSPACES_PATH =
  "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.OperationalInsights/workspaces";
/** The audience of the token each ARM request carried. */
const armAudiences: string[] = [];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "log-analytics": ["https://api.loganalytics.io", "https://api.loganalytics.us"] },
    params: {
      workspaceID: WORKSPACE,
      subscriptionID: SUBSCRIPTION,
      resourceGroupName: "soc-rg",
      workspaceName: "soc-workspace",
    },
  });
  const { emulator } = harness;
  emulator.addRoute("POST", "/v1/workspaces/:id/query", { resource: "log-analytics" }, (ctx) =>
    ctx.json(200, {
      tables: [
        {
          name: "PrimaryResult",
          columns: [
            { name: "Computer", type: "string" },
            { name: "count_", type: "long" },
          ],
          rows: [
            ["web-01", 12],
            ["db-01", 3],
          ],
        },
      ],
    }),
  );
  emulator.addRoute("GET", "/v1/workspaces/:id/metadata", { resource: "log-analytics" }, (ctx) =>
    ctx.json(200, {
      tables: [
        {
          name: "SecurityEvent",
          columns: [
            { name: "TimeGenerated", type: "datetime" },
            { name: "EventID", type: "int" },
          ],
        },
      ],
    }),
  );
});
beforeAll(() => {
  const { emulator } = harness;
  emulator.addRoute("GET", WORKSPACES_PATH, { resource: "arm" }, (ctx) => {
    armAudiences.push(String(ctx.claims.aud));
    return ctx.json(200, {
      value: [
        {
          id: `/subscriptions/${ctx.params["sub"]}/resourceGroups/${ctx.params["rg"]}/providers/Microsoft.OperationalInsights/workspaces/soc-workspace`,
          name: "soc-workspace",
          location: "westeurope",
          properties: {
            customerId: WORKSPACE,
            provisioningState: "Succeeded",
            retentionInDays: 90,
            sku: { name: "PerGB2018" },
          },
        },
      ],
    });
  });
  emulator.addRoute("GET", `${WORKSPACES_PATH}/:ws/savedSearches`, { resource: "arm" }, (ctx) => {
    armAudiences.push(String(ctx.claims.aud));
    return ctx.json(200, {
      value: [
        {
          id: `/subscriptions/${ctx.params["sub"]}/resourceGroups/${ctx.params["rg"]}/providers/Microsoft.OperationalInsights/workspaces/${ctx.params["ws"]}/savedSearches/failed-logons`,
          etag: "W/\"datetime'2026-11-20T10%3A00%3A00Z'\"",
          properties: {
            category: "Security",
            displayName: "Failed logons",
            query: "SecurityEvent | where EventID == 4625",
            version: 2,
          },
        },
      ],
    });
  });
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Log Analytics manifest", () => {
  it("asks for the Log Analytics API: .default as the app, Data.Read as a user", () => {
    const params = resolveParameterValues(integration.parameters, { workspaceID: WORKSPACE }, {});
    const endpoints = resolveEndpoints(integration.manifest, params);
    expect(scopesFor(integration.manifest, "client-credentials", endpoints)).toEqual([
      "https://api.loganalytics.io/.default",
    ]);
    expect(scopesFor(integration.manifest, "authorization-code", endpoints)).toEqual([
      "https://api.loganalytics.io/Data.Read",
      "offline_access",
    ]);
  });
});

describe("queries", () => {
  it("azure-log-analytics-execute-query POSTs the query and renders each table", async () => {
    const result = await harness.run("azure-log-analytics-execute-query", {
      query: "SecurityEvent | summarize count() by Computer",
      timespan: "P1D",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      host: "api.loganalytics.io",
      path: `/v1/workspaces/${WORKSPACE}/query`,
      body: { query: "SecurityEvent | summarize count() by Computer", timespan: "P1D" },
    });
    expect(result.readable).toBe(
      "### Query Results - PrimaryResult\n|Computer|count_|\n|---|---|\n|web-01|12|\n|db-01|3|\n",
    );
    expect(result.outputs).toEqual([
      {
        Query: "SecurityEvent | summarize count() by Computer",
        TableName: "PrimaryResult",
        Data: [
          { Computer: "web-01", count_: 12 },
          { Computer: "db-01", count_: 3 },
        ],
      },
    ]);
  });

  it("azure-log-analytics-list-tables reads the metadata API; US GCC goes to api.loganalytics.us", async () => {
    const result = await harness.run("azure-log-analytics-list-tables", {}, { azure_cloud: "US GCC" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.loganalytics.us",
      path: `/v1/workspaces/${WORKSPACE}/metadata`,
    });
    expect(result.readable).toContain("|SecurityEvent|TimeGenerated, EventID|");
  });
});

describe("management through Azure Resource Manager (a second resource, its own token)", () => {
  it("azure-log-analytics-workspace-list and -list-saved-searches call ARM with an ARM token", async () => {
    armAudiences.length = 0;
    const before = harness.emulator.tokenRequests().length;
    const workspaces = await harness.run("azure-log-analytics-workspace-list", {});
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces`,
      query: { "api-version": "2022-10-01" },
    });
    expect(workspaces.outputs).toEqual([
      expect.objectContaining({ name: "soc-workspace", customerId: WORKSPACE, location: "westeurope" }),
    ]);
    expect(workspaces.readable).toContain(`|soc-workspace|${WORKSPACE}|westeurope|90|Succeeded|`);

    const searches = await harness.run("azure-log-analytics-list-saved-searches", {});
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-workspace/savedSearches`,
    );
    expect(harness.lastCall().query).toEqual({ "api-version": "2020-08-01" });
    expect(searches.outputs).toEqual([
      expect.objectContaining({
        id: "failed-logons",
        category: "Security",
        displayName: "Failed logons",
        query: "SecurityEvent | where EventID == 4625",
      }),
    ]);
    expect(armAudiences).toEqual(["https://management.azure.com", "https://management.azure.com"]);
    expect(
      harness.emulator
        .tokenRequests()
        .slice(before)
        .map((request) => request.scope),
    ).toEqual(expect.arrayContaining(["https://management.azure.com/.default"]));
  });

  it("one instance keeps a token per resource: a query and an ARM call after it ask for none", async () => {
    const before = harness.emulator.tokenRequests().length;
    await harness.run("azure-log-analytics-execute-query", { query: "print 1" });
    await harness.run("azure-log-analytics-workspace-list", {});
    const scopes = harness.emulator
      .tokenRequests()
      .slice(before)
      .map((request) => request.scope);
    // At most one token per resource (each run starts from the instance's stored context).
    expect(new Set(scopes).size).toBe(scopes.length);
    expect(
      scopes.every((scope) =>
        /^https:\/\/(api\.loganalytics\.io|management\.azure\.com)\/\.default$/.test(scope!),
      ),
    ).toBe(true);
  });

  it("a delegated sign-in asks consent for both APIs; the ARM scopes are qualified with ARM's audience", () => {
    const params = resolveParameterValues(integration.parameters, { workspaceID: WORKSPACE }, {});
    const endpoints = resolveEndpoints(integration.manifest, params);
    expect(consentScopesFor(integration.manifest, "authorization-code", params, endpoints)).toEqual([
      "https://api.loganalytics.io/Data.Read",
      "offline_access",
      "https://management.azure.com/user_impersonation",
    ]);
    const arm = resolveEndpoints(
      integration.manifest,
      { ...params, azure_cloud: "US GCC-High" },
      integration.manifest.additionalResources!["arm"],
    );
    expect(arm).toMatchObject({
      apiBase: "https://management.usgovcloudapi.net",
      loginHost: "https://login.microsoftonline.us",
    });
  });

  it("names the parameter that is missing for an ARM command", async () => {
    await expect(
      harness.run("azure-log-analytics-workspace-list", {}, { resourceGroupName: "" }),
    ).rejects.toThrow("Resource Group Name");
  });
});

describe("Authorization Code with two resources", () => {
  it("one sign-in: the code is redeemed for Log Analytics, the refresh token then serves Azure Resource Manager", async () => {
    const app = harness.emulator.seed.tenants[0]!.apps.find(
      (candidate) => candidate.clientId === DEMO_CLIENT_ID,
    )!;
    app.redirectUris = [...(app.redirectUris ?? []), "https://localhost/callback"];
    app.delegatedPermissions = {
      ...app.delegatedPermissions,
      "log-analytics": ["Data.Read"],
      arm: ["user_impersonation"],
    };
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "https://localhost/callback",
    });
    const login = await instance.run("azure-log-analytics-generate-login-url");
    const loginUrl = new URL((login.outputs as { LoginUrl: string }).LoginUrl);
    expect(loginUrl.searchParams.get("scope")).toBe(
      "https://api.loganalytics.io/Data.Read offline_access https://management.azure.com/user_impersonation openid profile",
    );
    expect(login.readable).toContain("permissions for Azure Log Analytics and Azure Resource Manager");
    await instance.set({ auth_code: await harness.signIn(loginUrl.toString()) });

    const before = harness.emulator.tokenRequests().length;
    armAudiences.length = 0;
    await instance.run("azure-log-analytics-execute-query", { query: "print 1" });
    await instance.run("azure-log-analytics-workspace-list");
    await instance.run("azure-log-analytics-list-saved-searches");
    const tokens = harness.emulator.tokenRequests().slice(before);
    expect(tokens.map(({ grantType, scope }) => [grantType, scope])).toEqual([
      ["authorization_code", "https://api.loganalytics.io/Data.Read offline_access"],
      ["refresh_token", "https://management.azure.com/user_impersonation offline_access"],
    ]);
    expect(armAudiences).toEqual(["https://management.azure.com", "https://management.azure.com"]);
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(
      harness.run("azure-log-analytics-execute-query", { query: "print 1" }, { enc_key: "wrong" }),
    ).rejects.toThrow("AADSTS7000215");
  });
});
