import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const NETWORK = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Network`;
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group: GROUP },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const armRequests = () => harness.emulator.requests.filter((entry) => entry.service === "arm");

describe("Azure Firewall against the emulator's Resource Manager", () => {
  it("azure-firewall-list lists the resource group's firewalls (client credentials)", async () => {
    const result = await harness.run("azure-firewall-list");
    // Azure Firewalls - List: GET …/resourceGroups/{rg}/providers/Microsoft.Network/azureFirewalls
    // ?api-version=2021-03-01 (learn.microsoft.com/rest/api/firewall/azure-firewalls/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${NETWORK}/azureFirewalls`,
      query: { "api-version": "2021-03-01" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "fw-hub",
        id: `${NETWORK}/azureFirewalls/fw-hub`,
        location: "westeurope",
      }),
    ]);
    expect(result.readable).toContain("|fw-hub|");
    expect(result.readable).toContain("|Alert|10.0.1.4|Succeeded|");
  });

  it("azure-firewall-list resource=subscription lists the firewalls of every group", async () => {
    const result = await harness.run("azure-firewall-list", { resource: "subscription" });
    // Azure Firewalls - List All: GET /subscriptions/{id}/providers/Microsoft.Network/azureFirewalls
    // (learn.microsoft.com/rest/api/firewall/azure-firewalls/list-all).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/azureFirewalls`,
      query: { "api-version": "2021-03-01" },
    });
    expect((result.outputs as Array<{ name: string }>).map((firewall) => firewall.name)).toEqual([
      "fw-hub",
      "fw-soc",
    ]);
  });

  it("azure-firewall-list returns XSOAR's page of limit entries", async () => {
    const result = await harness.run("azure-firewall-list", {
      resource: "subscription",
      limit: "1",
      page: "2",
    });
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/azureFirewalls`,
    });
    expect((result.outputs as Array<{ name: string }>).map((firewall) => firewall.name)).toEqual(["fw-soc"]);
  });

  it("azure-firewall-get takes XSOAR's resource_group_name argument", async () => {
    await expect(
      harness.run("azure-firewall-get", { firewall_names: "fw-hub", resource_group_name: "no-such-rg" }),
    ).rejects.toThrow(/ResourceGroupNotFound|ResourceNotFound|not found/i);
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/no-such-rg/providers/Microsoft.Network/azureFirewalls/fw-hub`,
    );
  });

  it("azure-firewall-policy-get gets a policy by name", async () => {
    const result = await harness.run("azure-firewall-policy-get", { policy_names: "fw-policy-hub" });
    // Firewall Policies - Get: GET …/firewallPolicies/{name}?api-version=2021-03-01
    // (learn.microsoft.com/rest/api/firewall/firewall-policies/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${NETWORK}/firewallPolicies/fw-policy-hub`,
      query: { "api-version": "2021-03-01" },
    });
    expect(result.outputs).toEqual([expect.objectContaining({ name: "fw-policy-hub" })]);
    expect(result.readable).toContain("|fw-policy-hub|");
  });

  it("azure-firewall-ip-group-list, -get and -delete", async () => {
    const listed = await harness.run("azure-firewall-ip-group-list");
    // IP Groups - List By Resource Group: GET …/providers/Microsoft.Network/ipGroups
    // (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/list-by-resource-group).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${NETWORK}/ipGroups`,
      query: { "api-version": "2021-03-01" },
    });
    expect(listed.outputs).toEqual([
      expect.objectContaining({
        name: "ipg-trusted",
        properties: expect.objectContaining({ ipAddresses: ["10.0.0.0/8", "192.168.10.0/24"] }),
      }),
    ]);
    const got = await harness.run("azure-firewall-ip-group-get", { ip_group_names: "ipg-trusted" });
    // IP Groups - Get: GET …/ipGroups/{name} (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/get).
    expect(harness.lastCall().path).toBe(`${NETWORK}/ipGroups/ipg-trusted`);
    expect(got.readable).toContain("|ipg-trusted|");
    const deleted = await harness.run("azure-firewall-ip-group-delete", { ip_group_names: "ipg-trusted" });
    // IP Groups - Delete: DELETE …/ipGroups/{name} (learn.microsoft.com/rest/api/virtualnetwork/ip-groups/delete).
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `${NETWORK}/ipGroups/ipg-trusted` });
    expect(deleted.readable).toBe("IP Group ipg-trusted deleted successfully.");
    const after = await harness.run("azure-firewall-ip-group-list");
    expect(after.outputs).toEqual([]);
  });

  it("the Client ID defaults to XSOAR's built-in client (AzureFirewall.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("f5b37a76-f937-4c57-a9b5-31dab1c7e236");
  });

  it("azure-firewall-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-firewall-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
  });

  it("azure-firewall-resource-group-list lists the subscription's resource groups", async () => {
    const result = await harness.run("azure-firewall-resource-group-list");
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(result.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ name: GROUP })]));
  });

  it("azure-firewall-get gets a firewall by name, with its policy", async () => {
    const result = await harness.run("azure-firewall-get", { firewall_names: "fw-hub" });
    // Azure Firewalls - Get (learn.microsoft.com/rest/api/firewall/azure-firewalls/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${NETWORK}/azureFirewalls/fw-hub`,
      query: { "api-version": "2021-03-01" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "fw-hub",
        properties: expect.objectContaining({
          threatIntelMode: "Alert",
          firewallPolicy: { id: `${NETWORK}/firewallPolicies/fw-policy-hub` },
        }),
      }),
    ]);
  });

  it("azure-firewall-get of an unknown firewall answers ARM's ResourceNotFound", async () => {
    await expect(harness.run("azure-firewall-get", { firewall_names: "nope" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("azure-firewall-policy-list lists the firewall policies (managed identity)", async () => {
    const result = await harness.run("azure-firewall-policy-list", {}, { use_managed_identities: true });
    // Firewall Policies - List (learn.microsoft.com/rest/api/firewall/firewall-policies/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${NETWORK}/firewallPolicies`,
      query: { "api-version": "2021-03-01" },
    });
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect(result.outputs).toEqual([expect.objectContaining({ name: "fw-policy-hub" })]);
    expect(result.readable).toContain("|fw-policy-hub|");
  });

  // Last of this block: the policy is gone afterwards.
  it("azure-firewall-policy-delete deletes a policy: a later list no longer shows it", async () => {
    const deleted = await harness.run("azure-firewall-policy-delete", { policy_names: "fw-policy-hub" });
    // Firewall Policies - Delete: DELETE …/firewallPolicies/{name} (learn.microsoft.com/rest/api/firewall/firewall-policies/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${NETWORK}/firewallPolicies/fw-policy-hub`,
      query: { "api-version": "2021-03-01" },
    });
    expect(deleted.readable).toBe("Policy fw-policy-hub deleted successfully.");
    const after = await harness.run("azure-firewall-policy-list");
    expect(after.outputs).toEqual([]);
  });
});

describe("azure-firewall-test and permissions", () => {
  it("azure-firewall-test lists the default group's firewalls and names what it reached", async () => {
    const result = await harness.run("azure-firewall-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([`${NETWORK}/azureFirewalls`]);
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${NETWORK}/azureFirewalls → 200`,
    );
  });

  it("azure-firewall-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-firewall-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-firewall-get names its Azure role", async () => {
    await expect(harness.run("azure-firewall-get", { firewall_names: "fw-hub" }, NO_GRANT)).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-firewall-get needs: Azure role Reader, or Network Contributor/,
    );
  });
});
