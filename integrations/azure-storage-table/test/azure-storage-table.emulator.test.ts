import {
  DEMO_STORAGE_ACCOUNT,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  demoAccountSas,
  type Harness,
  startHarness,
} from "@msint/integration-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through the instance's own flows (the system-assigned managed identity, whose token the emulator's
// IMDS issues, and an account SAS signed with the demo account's key) against the emulator's Table service.
const HOST = `${DEMO_STORAGE_ACCOUNT}.table.core.windows.net`;
const FLOWS = [
  { flow: "managed identity", params: { use_managed_identities: true, account_name: DEMO_STORAGE_ACCOUNT } },
  {
    flow: "account SAS",
    params: { account_name: DEMO_STORAGE_ACCOUNT, sas_token: demoAccountSas({ ss: "t", sp: "rwdlacu" }) },
  },
] as const;

describe.each(FLOWS)("Azure Storage Table through $flow", ({ flow, params }) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params });
  });
  afterAll(() => harness.close());

  function sent(method: string, path: string) {
    const call = harness.lastCall();
    expect(call).toMatchObject({ method, host: HOST, path });
    expect(call.headers).toMatchObject({
      "x-ms-version": "2020-10-02",
      accept: "application/json;odata=nometadata",
    });
    if (flow === "managed identity") expect(call.headers["authorization"]).toMatch(/^Bearer /);
    else expect(call.query).toMatchObject({ ss: "t", sig: expect.any(String) });
    return call;
  }

  it("azure-storage-table-query lists the seeded tables (Query Tables: GET /Tables)", async () => {
    // learn.microsoft.com/rest/api/storageservices/query-tables
    const result = await harness.run("azure-storage-table-query", {});
    expect(sent("GET", "/Tables").query).toMatchObject({ $top: "50" });
    expect(result.outputs).toEqual([{ name: "Devices" }, { name: "Incidents" }]);
    const filtered = await harness.run("azure-storage-table-query", { filter: "TableName ge 'I'" });
    expect(sent("GET", "/Tables").query["$filter"]).toBe("TableName ge 'I'");
    expect(filtered.outputs).toEqual([{ name: "Incidents" }]);
  });

  it("-entity-query filters, selects and limits the seeded entities", async () => {
    // learn.microsoft.com/rest/api/storageservices/query-entities: GET /{table}()?$filter&$select&$top
    const result = await harness.run("azure-storage-table-entity-query", {
      table_name: "Incidents",
      filter: "PartitionKey eq 'alerts' and Count gt 1",
      select: "RowKey, Title",
    });
    expect(sent("GET", "/Incidents()").query).toMatchObject({
      $filter: "PartitionKey eq 'alerts' and Count gt 1",
      $select: "RowKey,Title",
      $top: "50",
    });
    expect(result.outputs).toEqual({
      name: "Incidents",
      Entity: [{ RowKey: "42", Title: "Impossible travel" }],
    });
    const all = await harness.run("azure-storage-table-entity-query", {
      table_name: "Incidents",
      limit: "2",
    });
    expect((all.outputs as { Entity: unknown[] }).Entity).toHaveLength(2);
    expect(all.readable).toContain("|alerts|42|2024-11-25T10:00:00.000Z|Impossible travel|High|3|");
  });

  it("-entity-query takes XSOAR's partition_key, row_key and page; -query pages too", async () => {
    const one = await harness.run("azure-storage-table-entity-query", {
      table_name: "Incidents",
      partition_key: "alerts",
      row_key: "42",
    });
    // Query Entities addressing one entity: GET /{table}(PartitionKey='…',RowKey='…') (…/query-entities).
    sent("GET", "/Incidents(PartitionKey='alerts',RowKey='42')");
    expect(one.outputs).toMatchObject({ Entity: [{ RowKey: "42", Title: "Impossible travel" }] });
    const partition = await harness.run("azure-storage-table-entity-query", {
      table_name: "Incidents",
      partition_key: "alerts",
      limit: "1",
      page: "2",
    });
    expect(sent("GET", "/Incidents()").query).toMatchObject({
      $filter: "PartitionKey eq 'alerts'",
      $top: "2",
    });
    expect((partition.outputs as { Entity: unknown[] }).Entity).toHaveLength(1);
    const second = await harness.run("azure-storage-table-query", { limit: "1", page: "2" });
    expect(sent("GET", "/Tables").query).toMatchObject({ $top: "2" });
    expect(second.outputs).toEqual([{ name: "Incidents" }]);
  });

  it("-entity-update merges properties; -entity-replace replaces them", async () => {
    await harness.run("azure-storage-table-create", { table_name: "Merges" });
    await harness.run("azure-storage-table-entity-insert", {
      table_name: "Merges",
      partition_key: "soc",
      row_key: "1",
      entity_fields: '{"Owner":"adele","Status":"New"}',
    });
    // learn.microsoft.com/rest/api/storageservices/merge-entity: MERGE (PATCH, as the Azure SDKs send it)
    // /{table}(PartitionKey='…',RowKey='…') with If-Match: *.
    const updated = await harness.run("azure-storage-table-entity-update", {
      table_name: "Merges",
      partition_key: "soc",
      row_key: "1",
      entity_fields: '{"Status":"Active"}',
    });
    expect(sent("PATCH", "/Merges(PartitionKey='soc',RowKey='1')").headers["if-match"]).toBe("*");
    expect(updated.readable).toBe("Entity in Merges table successfully updated.");
    const merged = await harness.run("azure-storage-table-entity-query", { table_name: "Merges" });
    expect(merged.outputs).toMatchObject({ Entity: [{ Owner: "adele", Status: "Active" }] });
    // learn.microsoft.com/rest/api/storageservices/update-entity2: PUT /{table}(PartitionKey='…',RowKey='…').
    await harness.run("azure-storage-table-entity-replace", {
      table_name: "Merges",
      partition_key: "soc",
      row_key: "1",
      entity_fields: '{"Status":"Closed"}',
    });
    expect(sent("PUT", "/Merges(PartitionKey='soc',RowKey='1')").body).toEqual({
      Status: "Closed",
      PartitionKey: "soc",
      RowKey: "1",
    });
    const replaced = await harness.run("azure-storage-table-entity-query", { table_name: "Merges" });
    const [entity] = (replaced.outputs as { Entity: Array<Record<string, unknown>> }).Entity;
    expect(entity).toMatchObject({ Status: "Closed" });
    expect(entity).not.toHaveProperty("Owner");
    await harness.run("azure-storage-table-delete", { table_name: "Merges" });
  });

  it("-create, -entity-insert, -entity-delete and -delete change the account", async () => {
    // learn.microsoft.com/rest/api/storageservices/create-table: POST /Tables {"TableName"}
    const created = await harness.run("azure-storage-table-create", { table_name: "Cases" });
    expect(sent("POST", "/Tables").body).toEqual({ TableName: "Cases" });
    expect(created.outputs).toEqual({ name: "Cases" });
    // learn.microsoft.com/rest/api/storageservices/insert-entity: POST /{table}
    const inserted = await harness.run("azure-storage-table-entity-insert", {
      table_name: "Cases",
      partition_key: "soc",
      row_key: "1",
      entity_fields: '{"Owner":"adele"}',
    });
    expect(sent("POST", "/Cases").body).toEqual({ Owner: "adele", PartitionKey: "soc", RowKey: "1" });
    expect(inserted.outputs).toMatchObject({
      name: "Cases",
      Entity: [{ PartitionKey: "soc", RowKey: "1", Owner: "adele", Timestamp: expect.any(String) }],
    });
    await expect(
      harness.run("azure-storage-table-entity-insert", {
        table_name: "Cases",
        partition_key: "soc",
        row_key: "1",
      }),
    ).rejects.toThrow("EntityAlreadyExists");
    // learn.microsoft.com/rest/api/storageservices/delete-entity1: DELETE /{table}(PartitionKey='…',RowKey='…')
    await harness.run("azure-storage-table-entity-delete", {
      table_name: "Cases",
      partition_key: "soc",
      row_key: "1",
    });
    expect(sent("DELETE", "/Cases(PartitionKey='soc',RowKey='1')").headers["if-match"]).toBe("*");
    const left = await harness.run("azure-storage-table-entity-query", { table_name: "Cases" });
    expect(left.outputs).toEqual({ name: "Cases", Entity: [] });
    // learn.microsoft.com/rest/api/storageservices/delete-table: DELETE /Tables('{table}')
    const deleted = await harness.run("azure-storage-table-delete", { table_name: "Cases" });
    sent("DELETE", "/Tables('Cases')");
    expect(deleted.readable).toBe("Table Cases successfully deleted.");
    await expect(harness.run("azure-storage-table-entity-query", { table_name: "Cases" })).rejects.toThrow(
      "TableNotFound",
    );
  });

  it("-test queries one table at the emulator and names what it reached", async () => {
    const count = () => harness.emulator.requests.filter((request) => request.service === "storage").length;
    const before = count();
    const result = await harness.run("azure-storage-table-test", {});
    expect(count() - before).toBe(1);
    expect(sent("GET", "/Tables").query).toMatchObject({ $top: "1" });
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(`- Azure Table Storage: GET ${HOST}/Tables`);
  });
});

describe("Azure Storage Table: refusals name what is missing", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params: { account_name: DEMO_STORAGE_ACCOUNT } });
  });
  afterAll(() => harness.close());

  it("a managed identity with only Storage Table Data Reader gets 403 on -create, which names its role", async () => {
    const identity = harness.emulator.seed.managedIdentities!.find(
      (candidate) => candidate.clientId === DEMO_USER_ASSIGNED_CLIENT_ID,
    )!;
    identity.grants = { ...identity.grants, storage: ["Storage Table Data Reader"] };
    const params = {
      use_managed_identities: true,
      managed_identities_client_id: DEMO_USER_ASSIGNED_CLIENT_ID,
    };
    expect((await harness.run("azure-storage-table-query", {}, params)).outputs).toHaveLength(2);
    const failure = harness.run("azure-storage-table-create", { table_name: "Cases" }, params);
    await expect(failure).rejects.toThrow("AuthorizationPermissionMismatch");
    await expect(failure).rejects.toThrow(
      "azure-storage-table-create needs: Azure role Storage Table Data Contributor",
    );
  });

  it("a SAS without the service resource type fails -test with the resource, the status and the fix", async () => {
    const test = harness.run(
      "azure-storage-table-test",
      {},
      { sas_token: demoAccountSas({ ss: "t", srt: "co" }) },
    );
    await expect(test).rejects.toThrow(/could not reach Azure Table Storage: GET .* answered HTTP 403/);
    await expect(test).rejects.toThrow("AuthorizationResourceTypeMismatch");
  });
});
