import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const ACCOUNTS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts`;
const ACCOUNT = {
  id: `${ACCOUNTS}/socstorage`,
  name: "socstorage",
  kind: "StorageV2",
  location: "westeurope",
  sku: { name: "Standard_LRS" },
  properties: { allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2" },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group_name: "data-rg" },
  });
  const { emulator } = harness;
  const accounts = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Storage/storageAccounts";
  emulator.addRoute("GET", accounts, { resource: "arm" }, (ctx) => ctx.json(200, { value: [ACCOUNT] }));
  emulator.addRoute("GET", `${accounts}/:name`, { resource: "arm" }, (ctx) => ctx.json(200, ACCOUNT));
  emulator.addRoute("GET", `${accounts}/:name/blobServices/default`, { resource: "arm" }, (ctx) =>
    ctx.json(200, {
      id: `${ACCOUNT.id}/blobServices/default`,
      name: "default",
      properties: { isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 7 } },
    }),
  );
  emulator.addRoute("GET", `${accounts}/:name/blobServices/default/containers`, { resource: "arm" }, (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: `${ACCOUNT.id}/blobServices/default/containers/evidence`,
          name: "evidence",
          properties: { publicAccess: "None", leaseState: "Available" },
        },
      ],
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("storage accounts", () => {
  it("azure-storage-account-list lists, or gets one account", async () => {
    const list = await harness.run("azure-storage-account-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: ACCOUNTS,
      query: { "api-version": "2022-09-01" },
    });
    expect(list.readable).toContain(
      `|socstorage|${SUBSCRIPTION}|data-rg|StorageV2|Standard_LRS|westeurope|false|TLS1_2|`,
    );
    const one = await harness.run("azure-storage-account-list", { account_name: "socstorage" });
    expect(harness.lastCall().path).toBe(`${ACCOUNTS}/socstorage`);
    expect(one.outputs).toEqual(ACCOUNT);
  });

  it("azure-storage-blob-service-properties-get and -blob-containers-list", async () => {
    const properties = await harness.run("azure-storage-blob-service-properties-get", {
      account_name: "socstorage",
    });
    expect(harness.lastCall().path).toBe(`${ACCOUNTS}/socstorage/blobServices/default`);
    expect(properties.readable).toContain("|default|true|true|7|");
    const containers = await harness.run("azure-storage-blob-containers-list", {
      account_name: "socstorage",
      maxpagesize: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      path: `${ACCOUNTS}/socstorage/blobServices/default/containers`,
      query: { $maxpagesize: "10" },
    });
    expect(containers.readable).toContain("|evidence|None|Available|");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-storage-account-list", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
