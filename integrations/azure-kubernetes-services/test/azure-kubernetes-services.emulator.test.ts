import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const SECOND_SUBSCRIPTION = "2c3d4e5f-6071-4829-93ab-bcdef0123456";
const CLUSTERS = "providers/Microsoft.ContainerService/managedClusters";
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { subscription_id: SUBSCRIPTION } });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const armRequests = () => harness.emulator.requests.filter((entry) => entry.service === "arm");

describe("Azure Kubernetes Services against the emulator's Resource Manager", () => {
  it("azure-ks-clusters-list lists the subscription's clusters (client credentials)", async () => {
    const result = await harness.run("azure-ks-clusters-list");
    // Managed Clusters - List: GET /subscriptions/{id}/providers/Microsoft.ContainerService/managedClusters
    // ?api-version=2023-02-01 (learn.microsoft.com/rest/api/aks/managed-clusters/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/${CLUSTERS}`,
      query: { "api-version": "2023-02-01" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "aks-prod",
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/msint-demo/${CLUSTERS}/aks-prod`,
      }),
    ]);
    expect(result.readable).toContain("|aks-prod|Succeeded|westeurope|1.29.4|Running|");
  });

  it("azure-ks-clusters-list of one resource group of another subscription (managed identity)", async () => {
    const result = await harness.run(
      "azure-ks-clusters-list",
      { subscription_id: SECOND_SUBSCRIPTION, resource_group_name: "dev-rg" },
      { use_managed_identities: true },
    );
    // Managed Clusters - List By Resource Group (learn.microsoft.com/rest/api/aks/managed-clusters/list-by-resource-group).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SECOND_SUBSCRIPTION}/resourceGroups/dev-rg/${CLUSTERS}`,
      query: { "api-version": "2023-02-01" },
    });
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect(result.readable).toContain("|aks-dev|Succeeded|northeurope|1.29.4|Stopped|");
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureKubernetesServices.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("ab217a43-e09b-4f80-ae93-482fc7a3d1a3");
  });

  it("azure-ks-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-ks-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
    expect(result.readable).toContain(`|${SECOND_SUBSCRIPTION}|msint Demo Development|Enabled|`);
  });

  it("azure-ks-resource-group-list filters by tag", async () => {
    const result = await harness.run("azure-ks-resource-group-list", {
      tag: '{"Environment":"prod"}',
      limit: "10",
    });
    // Resource Groups - List with $filter=tagName eq '…' and tagValue eq '…'
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01", $filter: "tagName eq 'Environment' and tagValue eq 'prod'" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ name: "soc-rg", location: "eastus", tags: { Environment: "prod" } }),
    ]);
  });

  it("runs in US Government (GCC-High): management.usgovcloudapi.net", async () => {
    const result = await harness.run("azure-ks-clusters-list", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall()).toMatchObject({
      host: "management.usgovcloudapi.net",
      path: `/subscriptions/${SUBSCRIPTION}/${CLUSTERS}`,
    });
    expect((result.outputs as unknown[]).length).toBe(1);
  });
});

describe("azure-ks-test and permissions", () => {
  it("azure-ks-test lists the default subscription's clusters and names what it reached", async () => {
    const result = await harness.run("azure-ks-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([`/subscriptions/${SUBSCRIPTION}/${CLUSTERS}`]);
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com/subscriptions/${SUBSCRIPTION}/${CLUSTERS} → 200`,
    );
  });

  it("azure-ks-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-ks-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-ks-resource-group-list names its Azure role", async () => {
    await expect(harness.run("azure-ks-resource-group-list", {}, NO_GRANT)).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-ks-resource-group-list needs: Azure role Reader/,
    );
  });
});
