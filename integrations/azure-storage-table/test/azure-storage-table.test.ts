import { type ApiCall, type FakeResponse, fakeServiceHarness } from "@msint/integration-testing";
import { beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SAS = "?sv=2020-10-02&ss=t&srt=sco&sp=rwdlacu&se=2030-01-01T00%3A00%3A00Z&sig=c2lnbmF0dXJl";
const entities = [
  { PartitionKey: "alerts", RowKey: "1", Timestamp: "2024-05-01T10:00:00Z", Severity: "High" },
];

// The Table service of account "socstorage", answering as Azure does; a request without a valid SAS is refused.
function tableService(call: ApiCall): FakeResponse {
  if (call.query["sig"] !== "c2lnbmF0dXJl") {
    return {
      status: 403,
      body: {
        "odata.error": {
          code: "AuthenticationFailed",
          message: { lang: "en-US", value: "Server failed to authenticate the request." },
        },
      },
    };
  }
  if (call.method === "POST" && call.path === "/Tables")
    return { status: 201, body: { TableName: (call.body as { TableName: string }).TableName } };
  if (call.method === "GET" && call.path === "/Tables")
    return { status: 200, body: { value: [{ TableName: "alerts" }, { TableName: "incidents" }] } };
  if (call.method === "POST" && call.path === "/alerts")
    return { status: 201, body: { ...(call.body as object), Timestamp: "2024-05-01T10:00:00Z" } };
  if (call.method === "GET" && call.path === "/alerts()") return { status: 200, body: { value: entities } };
  if (call.method === "DELETE") return { status: 204 };
  return {
    status: 404,
    body: {
      "odata.error": {
        code: "ResourceNotFound",
        message: { value: "The specified resource does not exist." },
      },
    },
  };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: tableService,
});
beforeEach(() => harness.clear());

describe("Azure Storage Table manifest", () => {
  it("authenticates with the account SAS token or a managed identity", () => {
    expect(integration.manifest).toMatchObject({
      commandPrefix: "azure-storage-table",
      resource: { sharedAccessSignature: true, headers: { "x-ms-version": "2020-10-02" } },
    });
    expect(integration.parameters.map((parameter) => parameter.key)).toEqual(
      expect.arrayContaining([
        "account_name",
        "sas_token",
        "use_managed_identities",
        "managed_identities_client_id",
      ]),
    );
  });
});

describe("tables", () => {
  it("azure-storage-table-create POSTs /Tables to the account's table host with the SAS token and x-ms-version", async () => {
    const result = await harness.run("azure-storage-table-create", { table_name: "alerts" });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "POST",
      host: "socstorage.table.core.windows.net",
      path: "/Tables",
      body: { TableName: "alerts" },
    });
    expect(call.query).toMatchObject({ sv: "2020-10-02", sp: "rwdlacu", sig: "c2lnbmF0dXJl" });
    expect(call.headers).toMatchObject({
      "x-ms-version": "2020-10-02",
      accept: "application/json;odata=nometadata",
    });
    expect(call.headers["authorization"]).toBeUndefined();
    expect(result).toMatchObject({ outputsPrefix: "AzureStorageTable.Table", outputs: { name: "alerts" } });
    expect(result.readable).toBe("### Table Create\n|Table Name|\n|---|\n|alerts|\n");
  });

  it("azure-storage-table-query lists tables with $filter and $top", async () => {
    const result = await harness.run("azure-storage-table-query", { filter: "TableName ge 'a'", limit: "2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/Tables",
      query: { $filter: "TableName ge 'a'", $top: "2" },
    });
    expect(result.outputs).toEqual([{ name: "alerts" }, { name: "incidents" }]);
  });

  it("azure-storage-table-delete DELETEs /Tables('name')", async () => {
    const result = await harness.run("azure-storage-table-delete", { table_name: "alerts" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: "/Tables('alerts')" });
    expect(result.readable).toBe("Table alerts successfully deleted.");
  });

  it("rejects a malformed table name before any request", async () => {
    await expect(harness.run("azure-storage-table-create", { table_name: "1-bad" })).rejects.toThrow(
      "is not a table name",
    );
    expect(harness.calls).toHaveLength(0);
  });
});

describe("entities", () => {
  it("azure-storage-table-entity-insert POSTs the entity with its keys", async () => {
    const result = await harness.run("azure-storage-table-entity-insert", {
      table_name: "alerts",
      partition_key: "alerts",
      row_key: "2",
      entity_fields: '{"Severity":"Low"}',
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/alerts",
      body: { Severity: "Low", PartitionKey: "alerts", RowKey: "2" },
    });
    expect(result.readable).toContain("|PartitionKey|RowKey|Timestamp|Severity|");
  });

  it("azure-storage-table-entity-query sends $filter, $select and $top", async () => {
    const result = await harness.run("azure-storage-table-entity-query", {
      table_name: "alerts",
      filter: "PartitionKey eq 'alerts'",
      select: "Severity, RowKey",
    });
    expect(harness.lastCall()).toMatchObject({
      path: "/alerts()",
      query: { $filter: "PartitionKey eq 'alerts'", $select: "Severity,RowKey", $top: "50" },
    });
    expect(result.outputs).toEqual({ name: "alerts", Entity: entities });
  });

  it("azure-storage-table-entity-delete addresses the entity by its keys with If-Match: *", async () => {
    await harness.run("azure-storage-table-entity-delete", {
      table_name: "alerts",
      partition_key: "it's",
      row_key: "1",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: "/alerts(PartitionKey='it''s',RowKey='1')",
    });
    expect(harness.lastCall().headers["if-match"]).toBe("*");
  });
});

describe("auth errors", () => {
  it("a request with a revoked SAS signature gets the service's AuthenticationFailed", async () => {
    await expect(
      harness.run("azure-storage-table-query", {}, { sas_token: "sv=2020-10-02&ss=t&sig=revoked" }),
    ).rejects.toThrow("AuthenticationFailed: Server failed to authenticate the request.");
  });

  it("a SAS token without a signature is refused before any request, naming the parameter", async () => {
    await expect(
      harness.run("azure-storage-table-query", {}, { sas_token: "sv=2020-10-02" }),
    ).rejects.toThrow("Account SAS Token must be an account SAS token");
  });
});
