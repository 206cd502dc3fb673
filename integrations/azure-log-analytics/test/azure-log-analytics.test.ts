import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const WORKSPACE = "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "log-analytics": ["https://api.loganalytics.io", "https://api.loganalytics.us"] },
    params: { workspaceID: WORKSPACE },
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
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Log Analytics manifest", () => {
  it("matches the seed table's row", () => {
    expect(integration.manifest).toMatchObject({
      id: "azure-log-analytics",
      displayName: "Azure Log Analytics",
      commandPrefix: "azure-log-analytics",
      flows: {
        xsoarApp: "yes",
        clientCredentials: true,
        deviceCode: false,
        authorizationCode: true,
        managedIdentities: true,
        nationalClouds: true,
      },
    });
  });

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

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(
      harness.run("azure-log-analytics-execute-query", { query: "print 1" }, { enc_key: "wrong" }),
    ).rejects.toThrow("AADSTS7000215");
  });
});
