import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const GROUP_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/data-rg`;
const SERVER = {
  id: `${GROUP_PATH}/providers/Microsoft.Sql/servers/sql-prod`,
  name: "sql-prod",
  location: "westeurope",
  kind: "v12.0",
  properties: {
    fullyQualifiedDomainName: "sql-prod.database.windows.net",
    state: "Ready",
    administratorLogin: "sqladmin",
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group_name: "data-rg" },
  });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Sql/servers",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [SERVER] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Sql/servers",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [SERVER] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Sql/servers/:server/databases",
    { resource: "arm" },
    (ctx) =>
      ctx.json(200, {
        value: [
          {
            id: `${SERVER.id}/databases/orders`,
            name: "orders",
            location: "westeurope",
            sku: { name: "S0" },
            properties: { status: "Online" },
          },
        ],
      }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Sql/servers/:server/databases/:db/auditingSettings",
    { resource: "arm" },
    (ctx) =>
      ctx.json(200, {
        value: [
          {
            id: `${SERVER.id}/databases/orders/auditingSettings/default`,
            name: "default",
            properties: {
              state: "Enabled",
              retentionDays: 90,
              auditActionsAndGroups: ["BATCH_COMPLETED_GROUP"],
            },
          },
        ],
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("servers and databases", () => {
  it("azure-sql-servers-list by resource group and by subscription", async () => {
    const result = await harness.run("azure-sql-servers-list", { list_by_resource_group: "true" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${GROUP_PATH}/providers/Microsoft.Sql/servers`,
      query: { "api-version": "2021-11-01" },
    });
    expect(result.readable).toContain(
      "|sql-prod|westeurope|v12.0|sql-prod.database.windows.net|Ready|sqladmin|",
    );
    await harness.run("azure-sql-servers-list");
    expect(harness.lastCall().path).toBe(`/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Sql/servers`);
  });

  it("azure-sql-db-list and -db-audit-policy-list", async () => {
    const databases = await harness.run("azure-sql-db-list", { server_name: "sql-prod" });
    expect(harness.lastCall().path).toBe(`${SERVER.id}/databases`);
    expect(databases.readable).toContain("|orders|westeurope|Online|S0|");
    const policies = await harness.run("azure-sql-db-audit-policy-list", {
      server_name: "sql-prod",
      db_name: "orders",
    });
    expect(harness.lastCall().path).toBe(`${SERVER.id}/databases/orders/auditingSettings`);
    expect(policies.outputsPrefix).toBe("AzureSQL.DBAuditPolicy");
    expect(policies.readable).toContain("|default|Enabled|90|");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-sql-servers-list", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
