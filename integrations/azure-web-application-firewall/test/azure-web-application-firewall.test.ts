import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const GROUP = `/subscriptions/${SUBSCRIPTION}/resourceGroups/web-rg`;
const POLICIES = `${GROUP}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies`;
const POLICY = {
  id: `${POLICIES}/waf-prod`,
  name: "waf-prod",
  location: "westeurope",
  properties: {
    policySettings: { mode: "Prevention", state: "Enabled" },
    customRules: [{ name: "block-bad-ips" }],
    provisioningState: "Succeeded",
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group_name: "web-rg" },
  });
  const { emulator } = harness;
  const policies =
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies";
  emulator.addRoute("GET", policies, { resource: "arm" }, (ctx) => ctx.json(200, { value: [POLICY] }));
  emulator.addRoute("GET", `${policies}/:name`, { resource: "arm" }, (ctx) => ctx.json(200, POLICY));
  emulator.addRoute("DELETE", `${policies}/:name`, { resource: "arm" }, (ctx) => ctx.empty(202));
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [POLICY] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
    { resource: "arm" },
    (ctx) =>
      ctx.json(200, {
        value: [
          {
            id: `${GROUP}/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies/fd-waf`,
            name: "fd-waf",
            location: "Global",
            properties: {
              policySettings: { mode: "Detection", enabledState: "Enabled" },
              customRules: { rules: [] },
            },
          },
        ],
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("policies", () => {
  it("azure-waf-policies-get lists the group's policies or gets one", async () => {
    const list = await harness.run("azure-waf-policies-get");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: POLICIES,
      query: { "api-version": "2020-05-01" },
    });
    expect(list.readable).toContain("|waf-prod|westeurope|Prevention|Enabled|1|Succeeded|");
    await harness.run("azure-waf-policies-get", { policy_name: "waf-prod" });
    expect(harness.lastCall().path).toBe(`${POLICIES}/waf-prod`);
  });

  it("azure-waf-policies-list-all-in-subscription and -policy-delete", async () => {
    await harness.run("azure-waf-policies-list-all-in-subscription");
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies`,
    );
    const result = await harness.run("azure-waf-policy-delete", { policy_name: "waf-prod" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `${POLICIES}/waf-prod` });
    expect(result.readable).toBe("Policy waf-prod was deleted successfully.");
  });

  it("azure-waf-front-door-policies-list uses the Front Door API version", async () => {
    const result = await harness.run("azure-waf-front-door-policies-list");
    expect(harness.lastCall()).toMatchObject({
      path: `${GROUP}/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies`,
      query: { "api-version": "2020-11-01" },
    });
    expect(result.readable).toContain("|fd-waf|Global|Detection|Enabled|0|");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-waf-policies-get", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
