import { DEMO_CLIENT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const NETWORK = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Network`;
const POLICIES = `${NETWORK}/ApplicationGatewayWebApplicationFirewallPolicies`;
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
const names = (outputs: unknown) => (outputs as Array<{ name: string }>).map((entry) => entry.name);

describe("Azure Web Application Firewall against the emulator's Resource Manager", () => {
  it("azure-waf-policies-get lists the resource group's policies, or gets one", async () => {
    const all = await harness.run("azure-waf-policies-get");
    // Web Application Firewall Policies - List: GET …/ApplicationGatewayWebApplicationFirewallPolicies
    // ?api-version=2020-05-01 (learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: POLICIES,
      query: { "api-version": "2020-05-01" },
    });
    expect(names(all.outputs)).toEqual(["waf-policy-web", "waf-policy-api"]);
    expect(all.readable).toContain("|waf-policy-web|westeurope|Prevention|Enabled|1|Succeeded|");

    const one = await harness.run("azure-waf-policies-get", { policy_name: "waf-policy-api" });
    // … - Get: GET …/ApplicationGatewayWebApplicationFirewallPolicies/{policyName} (…/get).
    expect(harness.lastCall()).toMatchObject({
      path: `${POLICIES}/waf-policy-api`,
      query: { "api-version": "2020-05-01" },
    });
    expect(one.outputs).toEqual([
      expect.objectContaining({
        name: "waf-policy-api",
        properties: expect.objectContaining({
          policySettings: expect.objectContaining({ mode: "Detection" }),
        }),
      }),
    ]);
  });

  it("azure-waf-policies-list-all-in-subscription lists every group's policies", async () => {
    const result = await harness.run("azure-waf-policies-list-all-in-subscription");
    // … - List All: GET /subscriptions/{id}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies.
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies`,
      query: { "api-version": "2020-05-01" },
    });
    expect(names(result.outputs)).toEqual(["waf-policy-web", "waf-policy-api", "waf-policy-soc"]);
  });

  it("azure-waf-policies-list-all-in-subscription honours XSOAR's limit and verbose", async () => {
    const result = await harness.run("azure-waf-policies-list-all-in-subscription", {
      limit: "1",
      verbose: "true",
    });
    expect(names(result.outputs)).toEqual(["waf-policy-web"]);
    // verbose adds each policy's custom and managed rules to the table.
    expect(result.readable).toMatch(/managedRules/);
    const brief = await harness.run("azure-waf-policies-list-all-in-subscription", { limit: "1" });
    expect(brief.readable).not.toMatch(/managedRules/);
  });

  it("the Application ID defaults to XSOAR's built-in client (AzureWAF.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("cf22fd73-29f1-4245-8e16-533704926d20");
  });

  it("azure-waf-subscriptions-list lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-waf-subscriptions-list");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.readable).toContain(`|${SUBSCRIPTION}|msint Demo Production|Enabled|`);
  });

  it("azure-waf-resource-group-list lists the subscription's resource groups", async () => {
    const result = await harness.run("azure-waf-resource-group-list");
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(names(result.outputs)).toContain(GROUP);
  });

  it("azure-waf-front-door-policies-list lists the Front Door policies (managed identity)", async () => {
    const result = await harness.run(
      "azure-waf-front-door-policies-list",
      {},
      { use_managed_identities: true },
    );
    // Policies - List: GET …/FrontDoorWebApplicationFirewallPolicies?api-version=2020-11-01
    // (learn.microsoft.com/rest/api/frontdoorservice/webapplicationfirewall/policies/list).
    expect(harness.lastCall()).toMatchObject({
      path: `${NETWORK}/FrontDoorWebApplicationFirewallPolicies`,
      query: { "api-version": "2020-11-01" },
    });
    expect(harness.emulator.requests.map((entry) => entry.path)).toContain("/metadata/identity/oauth2/token");
    expect(names(result.outputs)).toEqual(["fdwafglobal"]);
    expect(result.readable).toContain("|fdwafglobal|Global|Prevention|Enabled|1|Succeeded|");
  });

  it("azure-waf-policy-delete deletes a policy (signed-in user): a later list no longer shows it", async () => {
    const app = harness.emulator.seed.tenants[0]!.apps.find(
      (candidate) => candidate.clientId === DEMO_CLIENT_ID,
    )!;
    app.redirectUris = [...(app.redirectUris ?? []), "https://localhost/callback"];
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "https://localhost/callback",
    });
    const login = await instance.run("azure-waf-generate-login-url");
    await instance.set({ auth_code: await harness.signIn((login.outputs as { LoginUrl: string }).LoginUrl) });
    const result = await instance.run("azure-waf-policy-delete", { policy_name: "waf-policy-api" });
    // … - Delete: DELETE …/ApplicationGatewayWebApplicationFirewallPolicies/{policyName}, 202 Accepted (…/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${POLICIES}/waf-policy-api`,
      query: { "api-version": "2020-05-01" },
    });
    expect(armRequests().at(-1)?.status).toBe(202);
    expect(result.readable).toBe("Policy waf-policy-api was deleted successfully.");
    expect(names((await harness.run("azure-waf-policies-get")).outputs)).toEqual(["waf-policy-web"]);
  });
});

describe("azure-waf-test and permissions", () => {
  it("azure-waf-test lists the default group's policies and names what it reached", async () => {
    const result = await harness.run("azure-waf-test");
    expect(armRequests().map((entry) => entry.path)).toEqual([POLICIES]);
    expect(result.readable).toContain(`- Azure Resource Manager: GET management.azure.com${POLICIES} → 200`);
  });

  it("azure-waf-test without a role fails naming the Azure role", async () => {
    await expect(harness.run("azure-waf-test", {}, NO_GRANT)).rejects.toThrow(
      /HTTP 403[\s\S]*The test needs the Azure role Reader/,
    );
  });

  it("a 403 of azure-waf-policy-delete names its Azure role", async () => {
    await expect(
      harness.run("azure-waf-policy-delete", { policy_name: "waf-policy-web" }, NO_GRANT),
    ).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-waf-policy-delete needs: Azure role Network Contributor/,
    );
  });
});
