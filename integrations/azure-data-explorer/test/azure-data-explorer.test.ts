import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const CLUSTER = "https://soc.westeurope.kusto.windows.net";
const table = (columns: string[], rows: unknown[][]) => ({
  Tables: [
    {
      TableName: "Table_0",
      Columns: columns.map((ColumnName) => ({ ColumnName, DataType: "String" })),
      Rows: rows,
    },
  ],
});

let harness: Harness;
const commands: string[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { kusto: [CLUSTER] },
    params: { cluster_url: CLUSTER },
  });
  const { emulator } = harness;
  emulator.addRoute("POST", "/v1/rest/query", { resource: "kusto" }, (ctx) =>
    ctx.json(200, table(["Computer", "Count"], [["web-01", 12]])),
  );
  emulator.addRoute("POST", "/v1/rest/mgmt", { resource: "kusto" }, (ctx) => {
    const csl = (ctx.body as { csl: string }).csl;
    commands.push(csl);
    if (csl.startsWith(".cancel"))
      return ctx.json(
        200,
        table(["RunningQueryCanceled", "ClientRequestId", "ReasonPhrase"], [[true, "KD2;1", "done"]]),
      );
    return ctx.json(
      200,
      table(
        ["ClientActivityId", "User", "Text", "Database", "StartedOn", "State"],
        [["KD2;1", "AAD app id=x", "T | take 1", "Security", "2024-05-01T10:00:00Z", "Completed"]],
      ),
    );
  });
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Data Explorer manifest", () => {
  it("the cluster URL is the audience: {cluster}/.default and {cluster}/user_impersonation", () => {
    const params = resolveParameterValues(integration.parameters, { cluster_url: CLUSTER }, {});
    const endpoints = resolveEndpoints(integration.manifest, params);
    expect(scopesFor(integration.manifest, "client-credentials", endpoints)).toEqual([`${CLUSTER}/.default`]);
    expect(scopesFor(integration.manifest, "device-code", endpoints)).toEqual([
      `${CLUSTER}/user_impersonation`,
      "offline_access",
    ]);
  });
});

describe("queries", () => {
  it("azure-data-explorer-search-query-execute POSTs /v1/rest/query to the cluster", async () => {
    const result = await harness.run("azure-data-explorer-search-query-execute", {
      query: "SecurityEvent | summarize Count=count() by Computer",
      database_name: "Security",
      client_activity_id: "XSOAR-DataExplorer;1",
      timeout: "2",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "POST",
      host: "soc.westeurope.kusto.windows.net",
      path: "/v1/rest/query",
      body: {
        db: "Security",
        csl: "SecurityEvent | summarize Count=count() by Computer",
        properties: { Options: { servertimeout: "00:02:00" } },
      },
    });
    expect(call.headers["x-ms-client-request-id"]).toBe("XSOAR-DataExplorer;1");
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(`${CLUSTER}/.default`);
    expect(result.readable).toContain("|Computer|Count|\n|---|---|\n|web-01|12|");
    expect(result.outputs).toMatchObject({
      client_activity_id: "XSOAR-DataExplorer;1",
      data: [{ Computer: "web-01", Count: 12 }],
    });
  });

  it("-search-query-list, -running-search-query-list and -cancel send management commands", async () => {
    const list = await harness.run("azure-data-explorer-search-query-list", {
      database_name: "Security",
      limit: "5",
    });
    expect(list.readable).toContain("|KD2;1|AAD app id=x|T \\| take 1|Security|");
    await harness.run("azure-data-explorer-running-search-query-list", { database_name: "Security" });
    const cancel = await harness.run("azure-data-explorer-running-search-query-cancel", {
      database_name: "Security",
      client_activity_id: "KD2;1",
      reason: 'too "slow"',
    });
    expect(commands).toEqual([
      ".show queries | sort by StartedOn desc | take 5",
      ".show running queries | take 50",
      '.cancel query "KD2;1" with (reason="too \\"slow\\"")',
    ]);
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1/rest/mgmt",
      body: { db: "Security" },
    });
    expect(cancel.outputs).toMatchObject({ RunningQueryCanceled: true });
  });
});

describe("auth errors", () => {
  it("a token for another cluster is refused", async () => {
    harness.emulator.registerResource("other-cluster", ["https://other.kusto.windows.net"]);
    await expect(
      harness.run(
        "azure-data-explorer-search-query-execute",
        { query: "print 1", database_name: "x" },
        { cluster_url: "https://other.kusto.windows.net" },
      ),
    ).rejects.toThrow("InvalidAuthenticationToken");
  });
});
