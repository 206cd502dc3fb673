import { DEMO_USER_UPN, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials and through device code against the emulator's demo Azure Data Explorer
// cluster (database SecurityLogs, table SigninLogs).

const CLUSTER = "https://msintdemo.westeurope.kusto.windows.net";
const HOST = "msintdemo.westeurope.kusto.windows.net";
const DATABASE = "SecurityLogs";

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration, { params: { cluster_url: CLUSTER } });
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? { x: 1 }).length === 0,
  )!;
  noGrant = { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

type Run = (
  command: string,
  args?: Record<string, string>,
) => Promise<{ outputs?: unknown; readable?: string }>;

/** Query, list the completed and the running queries, cancel the caller's own running query. */
async function exercise(run: Run, caller: string) {
  const result = await run("azure-data-explorer-search-query-execute", {
    query: "SigninLogs | where ResultType == '50126' | count",
    database_name: DATABASE,
    timeout: "2",
    client_activity_id: "msint-test;0001",
  });
  // learn.microsoft.com/kusto/api/rest/request: POST /v1/rest/query {db, csl, properties}, x-ms-client-request-id.
  expect(harness.lastCall()).toMatchObject({
    method: "POST",
    host: HOST,
    path: "/v1/rest/query",
    body: {
      db: DATABASE,
      csl: "SigninLogs | where ResultType == '50126' | count",
      properties: { Options: { servertimeout: "00:02:00" } },
    },
  });
  expect(harness.lastCall().headers["x-ms-client-request-id"]).toBe("msint-test;0001");
  expect(result.outputs).toMatchObject({ client_activity_id: "msint-test;0001", data: [{ Count: 2 }] });

  const completed = await run("azure-data-explorer-search-query-list", {
    database_name: DATABASE,
    limit: "5",
  });
  // learn.microsoft.com/kusto/management/show-queries-command: POST /v1/rest/mgmt {db, csl: ".show queries …"}.
  expect(harness.lastCall()).toMatchObject({
    method: "POST",
    path: "/v1/rest/mgmt",
    body: { db: DATABASE, csl: ".show queries | sort by StartedOn desc | take 5" },
  });
  expect((completed.outputs as Array<Record<string, unknown>>)[0]).toMatchObject({
    ClientActivityId: "msint-test;0001",
    State: "Completed",
    User: caller,
  });

  const running = await run("azure-data-explorer-running-search-query-list", { database_name: DATABASE });
  expect(harness.lastCall().body).toEqual({ db: DATABASE, csl: ".show running queries | take 50" });
  const rows = running.outputs as Array<{ ClientActivityId: string; User: string }>;
  expect(rows.map((row) => row.User)).toEqual(["meganb@contoso.onmicrosoft.com", caller]);
  const mine = rows.find((row) => row.User === caller)!.ClientActivityId;

  const canceled = await run("azure-data-explorer-running-search-query-cancel", {
    database_name: DATABASE,
    client_activity_id: mine,
    reason: "runaway",
  });
  // learn.microsoft.com/kusto/management/cancel-query-command: .cancel query "<id>" with (reason="…").
  expect(harness.lastCall().body).toEqual({
    db: DATABASE,
    csl: `.cancel query "${mine}" with (reason="runaway")`,
  });
  expect(canceled.outputs).toEqual({
    ClientRequestId: mine,
    ReasonPhrase: "runaway",
    RunningQueryCanceled: true,
  });
  const after = await run("azure-data-explorer-running-search-query-list", { database_name: DATABASE });
  expect((after.outputs as unknown[]).length).toBe(1);
  return rows.find((row) => row.User !== caller)!.ClientActivityId;
}

describe("through client credentials", () => {
  it("query, list queries, list and cancel running queries", async () => {
    const app = String(harness.emulator.seed.tenants[0]!.apps[0]!.clientId);
    const other = await exercise((command, args) => harness.run(command, args), `AAD app id=${app}`);
    // Another principal's query: Kusto's 403, and the command's declared role named.
    const error = await harness
      .run("azure-data-explorer-running-search-query-cancel", {
        database_name: DATABASE,
        client_activity_id: other,
      })
      .catch((caught: unknown) => caught as Error);
    // Kusto's `message` (what the user sees) is generic; the principal and query are in its `@message`.
    expect(String(error)).toContain("Forbidden: Caller is not authorized to perform this action");
    expect(String(error)).toContain(
      "azure-data-explorer-running-search-query-cancel needs: delegated permission user_impersonation; Azure role Database Admin (or the query's own principal)",
    );
  });

  it("the query lists take XSOAR's client_activity_id, page and page_size", async () => {
    await harness.run("azure-data-explorer-search-query-execute", {
      query: "print 1",
      database_name: DATABASE,
      client_activity_id: "msint-test;find-me",
    });
    const found = await harness.run("azure-data-explorer-search-query-list", {
      database_name: DATABASE,
      client_activity_id: "msint-test;find-me",
    });
    // learn.microsoft.com/kusto/management/show-queries-command: the .show output filtered with where.
    expect(harness.lastCall().body).toEqual({
      db: DATABASE,
      csl: '.show queries | sort by StartedOn desc | where ClientActivityId == "msint-test;find-me" | take 50',
    });
    expect((found.outputs as Array<{ ClientActivityId: string }>).map((row) => row.ClientActivityId)).toEqual(
      ["msint-test;find-me"],
    );
    const all = await harness.run("azure-data-explorer-search-query-list", { database_name: DATABASE });
    const ids = (all.outputs as Array<{ ClientActivityId: string }>).map((row) => row.ClientActivityId);
    const second = await harness.run("azure-data-explorer-search-query-list", {
      database_name: DATABASE,
      page: "2",
      page_size: "1",
    });
    expect(harness.lastCall().body).toEqual({
      db: DATABASE,
      csl: ".show queries | sort by StartedOn desc | take 2",
    });
    expect(
      (second.outputs as Array<{ ClientActivityId: string }>).map((row) => row.ClientActivityId),
    ).toEqual([ids[1]]);
    const running = await harness.run("azure-data-explorer-running-search-query-list", {
      database_name: DATABASE,
      client_activity_id: "no-such-query",
    });
    expect(harness.lastCall().body).toEqual({
      db: DATABASE,
      csl: '.show running queries | where ClientActivityId == "no-such-query" | take 50',
    });
    expect(running.outputs).toEqual([]);
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureDataExplorer.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("a9ce8db2-847a-46af-9bfb-725d8a8d3c53");
  });

  it("an unknown database is Kusto's EntityNotFound", async () => {
    await expect(
      harness.run("azure-data-explorer-search-query-execute", { query: "print 1", database_name: "Nope" }),
    ).rejects.toThrow("BadRequest_EntityNotFound: Request is invalid and cannot be executed.");
  });
});

describe("through device code", () => {
  it("the demo user approves the code; its token for the cluster runs every command", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
      enc_key: undefined,
    });
    const start = await instance.run("azure-data-explorer-auth-start");
    harness.emulator.approveDeviceCode((start.outputs as { UserCode: string }).UserCode, DEMO_USER_UPN);
    await instance.run("azure-data-explorer-auth-complete");
    const device = harness.emulator.requests.find((request) => request.path.endsWith("/devicecode"))!;
    expect(device.scope).toContain(`${CLUSTER}/user_impersonation`);
    await exercise((command, args) => instance.run(command, args), DEMO_USER_UPN);
    const test = await instance.run("azure-data-explorer-test");
    expect(test.readable).toContain("authenticated with Device Code and reached:");
  });
});

describe("-test and access", () => {
  it("azure-data-explorer-test sends .show version to the cluster and names it", async () => {
    const result = await harness.run("azure-data-explorer-test");
    const kusto = harness.emulator.requests.filter((request) => request.service === "kusto");
    expect(kusto.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/rest/mgmt"]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain(`- Azure Data Explorer: POST ${HOST}/v1/rest/mgmt → 200`);
  });

  it("an app the database does not list: -test fails with Kusto's 403 and the role to assign", async () => {
    const error = await harness
      .run("azure-data-explorer-test", {}, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain(
      `could not reach Azure Data Explorer: POST ${HOST}/v1/rest/mgmt answered HTTP 403`,
    );
    expect(String(error)).toContain("AllDatabasesViewer");
  });
});
