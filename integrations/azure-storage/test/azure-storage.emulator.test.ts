import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const ACCOUNTS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Storage/storageAccounts`;
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};
// The emulated machine's user-assigned managed identity, which the seed makes a Reader of Resource Manager.
const USER_ASSIGNED_CLIENT_ID = "3e5f7a9b-1c2d-4e3f-8a5b-6c7d8e9f0a1b";

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

describe("Azure Storage (management) against the emulator's Resource Manager", () => {
  it("azure-storage-account-list lists the resource group's accounts, or gets one", async () => {
    const result = await harness.run("azure-storage-account-list");
    // Storage Accounts - List By Resource Group: GET …/providers/Microsoft.Storage/storageAccounts
    // ?api-version=2022-09-01 (learn.microsoft.com/rest/api/storagerp/storage-accounts/list-by-resource-group).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: ACCOUNTS,
      query: { "api-version": "2022-09-01" },
    });
    expect(result.readable).toContain(
      `|msintdemostorage|${SUBSCRIPTION}|${GROUP}|StorageV2|Standard_LRS|westeurope|false|TLS1_2|`,
    );
    expect(result.readable).toContain("|msintpublicweb|");

    const one = await harness.run("azure-storage-account-list", { account_name: "msintpublicweb" });
    // Storage Accounts - Get Properties (learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties).
    expect(harness.lastCall()).toMatchObject({
      path: `${ACCOUNTS}/msintpublicweb`,
      query: { "api-version": "2022-09-01" },
    });
    expect(one.outputs).toMatchObject({
      name: "msintpublicweb",
      properties: { allowBlobPublicAccess: true, minimumTlsVersion: "TLS1_0" },
    });
  });

  it("azure-storage-blob-service-properties-get reads versioning and soft delete (system-assigned managed identity)", async () => {
    const result = await harness.run(
      "azure-storage-blob-service-properties-get",
      { account_name: "msintdemostorage" },
      { use_managed_identities: true },
    );
    // Blob Services - Get Service Properties: GET …/storageAccounts/{account}/blobServices/default
    // (learn.microsoft.com/rest/api/storagerp/blob-services/get-service-properties).
    expect(harness.lastCall()).toMatchObject({
      path: `${ACCOUNTS}/msintdemostorage/blobServices/default`,
      query: { "api-version": "2022-09-01" },
    });
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect(result.outputs).toMatchObject({
      name: "default",
      properties: { isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 14 } },
    });
    expect(result.readable).toContain("|default|true|true|14|true|");
  });

  it("azure-storage-blob-containers-list lists an account's containers, page by page (user-assigned identity)", async () => {
    const result = await harness.run(
      "azure-storage-blob-containers-list",
      { account_name: "msintdemostorage", maxpagesize: "1" },
      { use_managed_identities: true, managed_identities_client_id: USER_ASSIGNED_CLIENT_ID },
    );
    // Blob Containers - List: GET …/blobServices/default/containers?$maxpagesize=… (learn.microsoft.com/rest/api/storagerp/blob-containers/list).
    expect(harness.lastCall()).toMatchObject({
      path: `${ACCOUNTS}/msintdemostorage/blobServices/default/containers`,
      query: { "api-version": "2022-09-01", $maxpagesize: "1" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "evidence",
        properties: expect.objectContaining({ publicAccess: "None" }),
      }),
    ]);
    const all = await harness.run("azure-storage-blob-containers-list", { account_name: "msintpublicweb" });
    expect(all.readable).toContain("|$web|Blob|Available|2025-06-02T08:15:30.0000000Z|");
  });

  it("azure-storage-blob-containers-list gets one container, or asks for deleted ones too", async () => {
    const one = await harness.run("azure-storage-blob-containers-list", {
      account_name: "msintdemostorage",
      container_name: "evidence",
    });
    // Blob Containers - Get: GET …/blobServices/default/containers/{containerName}
    // (learn.microsoft.com/rest/api/storagerp/blob-containers/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${ACCOUNTS}/msintdemostorage/blobServices/default/containers/evidence`,
      query: { "api-version": "2022-09-01" },
    });
    expect(one.outputs).toEqual([expect.objectContaining({ name: "evidence" })]);
    await harness.run("azure-storage-blob-containers-list", {
      account_name: "msintdemostorage",
      include_deleted: "true",
    });
    // Blob Containers - List: $include=deleted lists soft-deleted containers too (…/blob-containers/list).
    expect(harness.lastCall().query).toMatchObject({ $include: "deleted", $maxpagesize: "50" });
  });

  it("azure-storage-blob-containers-create and -blob-container-delete: a later list shows the change", async () => {
    const created = await harness.run("azure-storage-blob-containers-create", {
      account_name: "msintdemostorage",
      container_name: "case-files",
      public_access: "None",
      deny_encryption_scope_override: "false",
    });
    // Blob Containers - Create: PUT …/blobServices/default/containers/{name}?api-version=2022-09-01
    // (learn.microsoft.com/rest/api/storagerp/blob-containers/create).
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${ACCOUNTS}/msintdemostorage/blobServices/default/containers/case-files`,
      query: { "api-version": "2022-09-01" },
      body: { properties: { publicAccess: "None", denyEncryptionScopeOverride: false } },
    });
    expect(created.outputs).toMatchObject({ name: "case-files" });
    const listed = await harness.run("azure-storage-blob-containers-list", {
      account_name: "msintdemostorage",
    });
    expect((listed.outputs as Array<{ name: string }>).map((container) => container.name)).toContain(
      "case-files",
    );
    const deleted = await harness.run("azure-storage-blob-container-delete", {
      account_name: "msintdemostorage",
      container_name: "case-files",
    });
    // Blob Containers - Delete: DELETE …/containers/{name} (learn.microsoft.com/rest/api/storagerp/blob-containers/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${ACCOUNTS}/msintdemostorage/blobServices/default/containers/case-files`,
    });
    expect(deleted.readable).toBe("The blob container case-files was deleted successfully.");
    const after = await harness.run("azure-storage-blob-containers-list", {
      account_name: "msintdemostorage",
    });
    expect((after.outputs as Array<{ name: string }>).map((container) => container.name)).not.toContain(
      "case-files",
    );
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureStorage.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("55f9764e-300a-474a-a2bb-549cece85439");
  });

  it("azure-storage-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-storage-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
  });

  it("azure-storage-resource-group-list lists the subscription's resource groups", async () => {
    const result = await harness.run("azure-storage-resource-group-list");
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(result.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ name: GROUP })]));
  });

  it("an unknown account answers ARM's ResourceNotFound", async () => {
    await expect(harness.run("azure-storage-account-list", { account_name: "nope" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });
});

describe("azure-storage-test and permissions", () => {
  it("azure-storage-test lists the default group's accounts and names what it reached", async () => {
    const result = await harness.run("azure-storage-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([ACCOUNTS]);
    expect(result.readable).toContain(`- Azure Resource Manager: GET management.azure.com${ACCOUNTS} → 200`);
  });

  it("azure-storage-test with a managed identity reaches Resource Manager too", async () => {
    const result = await harness.run("azure-storage-test", {}, { use_managed_identities: true });
    expect(armRequests()).toHaveLength(1);
    expect(result.readable).toContain("authenticated with Azure Managed Identities");
  });

  it("azure-storage-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-storage-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-storage-blob-containers-list names its Azure role", async () => {
    await expect(
      harness.run("azure-storage-blob-containers-list", { account_name: "msintdemostorage" }, NO_GRANT),
    ).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-storage-blob-containers-list needs: Azure role Reader, or Storage Account Contributor/,
    );
  });
});
