import { DEMO_CLIENT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const NSGS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Network/networkSecurityGroups`;
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

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

describe("Azure Network Security Groups against the emulator's Resource Manager", () => {
  it("azure-nsg-security-groups-list lists the seeded groups (client credentials)", async () => {
    const result = await harness.run("azure-nsg-security-groups-list");
    // Network Security Groups - List: GET …/providers/Microsoft.Network/networkSecurityGroups?api-version=2022-09-01
    // (learn.microsoft.com/rest/api/virtualnetwork/network-security-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: NSGS,
      query: { "api-version": "2022-09-01" },
    });
    expect(result.outputs).toEqual([
      { name: "web-nsg", id: `${NSGS}/web-nsg`, etag: 'W/"web-nsg-1"', location: "westeurope" },
      { name: "db-nsg", id: `${NSGS}/db-nsg`, etag: 'W/"db-nsg-1"', location: "westeurope" },
    ]);
  });

  it("azure-nsg-security-rules-list lists the rules of several groups up to the limit", async () => {
    const result = await harness.run("azure-nsg-security-rules-list", {
      security_group_name: "web-nsg,db-nsg",
      limit: "4",
    });
    // Security Rules - List: GET …/networkSecurityGroups/{nsg}/securityRules (…/virtualnetwork/security-rules/list).
    expect(harness.calls.map((call) => call.path)).toEqual([
      `${NSGS}/web-nsg/securityRules`,
      `${NSGS}/db-nsg/securityRules`,
    ]);
    expect(harness.lastCall().query).toEqual({ "api-version": "2022-09-01" });
    const rules = result.outputs as Array<Record<string, unknown>>;
    expect(rules.map((rule) => [rule["securityGroupName"], rule["name"], rule["priority"]])).toEqual([
      ["web-nsg", "allow-https", 100],
      ["web-nsg", "allow-ssh-admin", 110],
      ["web-nsg", "deny-all-inbound", 4096],
      ["db-nsg", "allow-sql-from-web", 100],
    ]);
    expect(result.readable).toContain("|allow-ssh-admin|110|Inbound|Allow|Tcp|10.0.0.0/8|");
  });

  it("azure-nsg-security-rules-list starts at XSOAR's 1-based offset", async () => {
    const result = await harness.run("azure-nsg-security-rules-list", {
      security_group_name: "web-nsg",
      limit: "1",
      offset: "2",
    });
    expect(harness.lastCall()).toMatchObject({ path: `${NSGS}/web-nsg/securityRules` });
    const rules = result.outputs as Array<Record<string, unknown>>;
    expect(rules.map((rule) => rule["name"])).toEqual(["allow-ssh-admin"]);
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureNetworkSecurityGroups.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("d4736600-e3d5-4c97-8e65-57abd2b979fe");
  });

  it("azure-nsg-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-nsg-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
  });

  it("azure-nsg-resource-group-list lists the subscription's resource groups", async () => {
    const result = await harness.run("azure-nsg-resource-group-list", { limit: "50" });
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(result.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ name: GROUP })]));
  });

  it("azure-nsg-security-rule-create, -update and -get write and read a rule", async () => {
    const created = await harness.run("azure-nsg-security-rule-create", {
      security_group_name: "db-nsg",
      security_rule_name: "allow-rdp-admin",
      direction: "Inbound",
      protocol: "TCP",
      source: "10.1.0.0/16,10.2.0.0/16",
      priority: "300",
      destination_ports: "3389",
    });
    // Security Rules - Create Or Update: PUT …/securityRules/{rule}?api-version=2022-09-01 with properties
    // (learn.microsoft.com/rest/api/virtualnetwork/security-rules/create-or-update).
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${NSGS}/db-nsg/securityRules/allow-rdp-admin`,
      query: { "api-version": "2022-09-01" },
      body: {
        properties: {
          protocol: "Tcp",
          access: "Allow",
          direction: "Inbound",
          priority: 300,
          sourceAddressPrefixes: ["10.1.0.0/16", "10.2.0.0/16"],
          destinationAddressPrefix: "*",
          sourcePortRange: "*",
          destinationPortRange: "3389",
        },
      },
    });
    expect(created.outputs).toEqual([
      expect.objectContaining({ name: "allow-rdp-admin", securityGroupName: "db-nsg", priority: 300 }),
    ]);

    harness.clear();
    await harness.run("azure-nsg-security-rule-update", {
      security_group_name: "db-nsg",
      security_rule_name: "allow-rdp-admin",
      action: "Deny",
    });
    // Update: Security Rules - Get, then Create Or Update with the whole rule and the changed property.
    expect(harness.calls.map((call) => call.method)).toEqual(["GET", "PUT"]);
    expect(harness.lastCall().body).toMatchObject({
      properties: { access: "Deny", priority: 300, destinationPortRange: "3389" },
    });

    const got = await harness.run("azure-nsg-security-rule-get", {
      security_group_name: "db-nsg",
      security_rule_name: "allow-rdp-admin",
    });
    // Security Rules - Get: GET …/securityRules/{rule} (learn.microsoft.com/rest/api/virtualnetwork/security-rules/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${NSGS}/db-nsg/securityRules/allow-rdp-admin`,
      query: { "api-version": "2022-09-01" },
    });
    expect(got.readable).toContain("|allow-rdp-admin|300|Inbound|Deny|Tcp|");
    await harness.run("azure-nsg-security-rule-delete", {
      security_group_name: "db-nsg",
      security_rule_name: "allow-rdp-admin",
    });
  });

  it("azure-nsg-security-rule-delete deletes a rule: a later list no longer shows it", async () => {
    const result = await harness.run("azure-nsg-security-rule-delete", {
      security_group_name: "web-nsg",
      security_rule_name: "allow-ssh-admin",
    });
    // Security Rules - Delete: DELETE …/securityRules/{rule}?api-version=2022-09-01, 202 Accepted
    // (learn.microsoft.com/rest/api/virtualnetwork/security-rules/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${NSGS}/web-nsg/securityRules/allow-ssh-admin`,
      query: { "api-version": "2022-09-01" },
    });
    expect(armRequests().at(-1)?.status).toBe(202);
    expect(result.readable).toBe("Rule allow-ssh-admin deleted.");
    const after = await harness.run("azure-nsg-security-rules-list", { security_group_name: "web-nsg" });
    expect((after.outputs as Array<{ name: string }>).map((rule) => rule.name)).toEqual([
      "allow-https",
      "deny-all-inbound",
    ]);
  });

  it("an unknown security group answers ARM's ParentResourceNotFound", async () => {
    await expect(
      harness.run("azure-nsg-security-rules-list", { security_group_name: "nope" }),
    ).rejects.toThrow("ParentResourceNotFound");
  });

  it("runs with Azure Managed Identities (the emulated machine's identity)", async () => {
    const result = await harness.run("azure-nsg-security-groups-list", {}, { use_managed_identities: true });
    // The token came from the instance metadata service (IMDS), not from the app registration.
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect((result.outputs as unknown[]).length).toBe(2);
  });

  it("runs with Authorization Code: the signed-in user's token (user_impersonation)", async () => {
    const app = harness.emulator.seed.tenants[0]!.apps.find(
      (candidate) => candidate.clientId === DEMO_CLIENT_ID,
    )!;
    app.redirectUris = [...(app.redirectUris ?? []), "https://localhost/callback"];
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "https://localhost/callback",
    });
    const login = await instance.run("azure-nsg-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    expect(new URL(loginUrl).searchParams.get("scope")).toContain(
      "https://management.azure.com/user_impersonation",
    );
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const result = await instance.run("azure-nsg-security-groups-list");
    expect((result.outputs as Array<{ name: string }>).map((group) => group.name)).toEqual([
      "web-nsg",
      "db-nsg",
    ]);
  });
});

describe("azure-nsg-test and permissions", () => {
  it("azure-nsg-test lists the default group's security groups and names what it reached", async () => {
    const result = await harness.run("azure-nsg-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([NSGS]);
    expect(result.readable).toContain(`- Azure Resource Manager: GET management.azure.com${NSGS} → 200`);
  });

  it("azure-nsg-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-nsg-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-nsg-security-rule-delete names its Azure role", async () => {
    await expect(
      harness.run(
        "azure-nsg-security-rule-delete",
        { security_group_name: "db-nsg", security_rule_name: "allow-sql-from-web" },
        NO_GRANT,
      ),
    ).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-nsg-security-rule-delete needs: Azure role Network Contributor/,
    );
  });
});
