import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const CLUSTER = {
  id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/aks-rg/providers/Microsoft.ContainerService/managedClusters/prod-aks`,
  name: "prod-aks",
  location: "eastus",
  properties: {
    kubernetesVersion: "1.27.3",
    provisioningState: "Succeeded",
    powerState: { code: "Running" },
    fqdn: "prod-aks-dns.hcp.eastus.azmk8s.io",
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { subscription_id: SUBSCRIPTION } });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.ContainerService/managedClusters",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [CLUSTER] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ContainerService/managedClusters",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [CLUSTER] }),
  );
  emulator.addRoute("GET", "/subscriptions", { resource: "arm" }, (ctx) =>
    ctx.json(200, { value: [{ subscriptionId: SUBSCRIPTION, displayName: "Production", state: "Enabled" }] }),
  );
  emulator.addRoute("GET", "/subscriptions/:sub/resourcegroups", { resource: "arm" }, (ctx) =>
    ctx.json(200, { value: [{ name: "aks-rg", location: "eastus", tags: { Environment: "prod" } }] }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("clusters", () => {
  it("azure-ks-clusters-list lists the subscription's clusters", async () => {
    const result = await harness.run("azure-ks-clusters-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.ContainerService/managedClusters`,
      query: { "api-version": "2023-02-01" },
    });
    expect(result.readable).toContain(
      "### AKS Clusters List\n|Name|Status|Location|Version|Power State|FQDN|",
    );
    expect(result.readable).toContain("|prod-aks|Succeeded|eastus|1.27.3|Running|");
    expect(result).toMatchObject({ outputsPrefix: "AzureKS.ManagedCluster", outputs: [CLUSTER] });
  });

  it("azure-ks-clusters-list narrows to a resource group", async () => {
    await harness.run("azure-ks-clusters-list", { resource_group_name: "aks-rg" });
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/aks-rg/providers/Microsoft.ContainerService/managedClusters`,
    );
  });

  it("talks to the US Government ARM endpoint in US GCC-High", async () => {
    await harness.run("azure-ks-subscriptions-list", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall().host).toBe("management.usgovcloudapi.net");
  });

  it("azure-ks-subscriptions-list and -resource-group-list", async () => {
    const subscriptions = await harness.run("azure-ks-subscriptions-list");
    expect(harness.lastCall()).toMatchObject({
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(subscriptions.readable).toContain(`|${SUBSCRIPTION}|Production|Enabled|`);
    const groups = await harness.run("azure-ks-resource-group-list", { tag: '{"Environment":"prod"}' });
    expect(harness.lastCall().query).toEqual({
      "api-version": "2021-04-01",
      $filter: "tagName eq 'Environment' and tagValue eq 'prod'",
    });
    expect(groups.outputsPrefix).toBe("AzureKS.ResourceGroup");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-ks-clusters-list", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
