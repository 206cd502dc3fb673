import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const GROUP = "network-rg";
const BASE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Network`;
const firewall = (name: string) => ({
  name,
  id: `${BASE}/azureFirewalls/${name}`,
  location: "westeurope",
  properties: {
    provisioningState: "Succeeded",
    threatIntelMode: "Alert",
    ipConfigurations: [{ properties: { privateIPAddress: "10.0.1.4" } }],
  },
});

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group: GROUP },
  });
  const { emulator } = harness;
  const arm = { resource: "arm" };
  // Two pages, as ARM pages long lists with an absolute nextLink.
  emulator.addRoute("GET", "/subscriptions/:sub/providers/Microsoft.Network/azureFirewalls", arm, (ctx) =>
    ctx.query["$skiptoken"]
      ? ctx.json(200, { value: [firewall("fw-2")] })
      : ctx.json(200, {
          value: [firewall("fw-1")],
          nextLink: `https://${ctx.headers["x-forwarded-host"]}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/azureFirewalls?api-version=2021-03-01&$skiptoken=2`,
        }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/azureFirewalls",
    arm,
    (ctx) => ctx.json(200, { value: [firewall("fw-1")] }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/azureFirewalls/:name",
    arm,
    (ctx) => ctx.json(200, firewall(ctx.params["name"]!)),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/firewallPolicies",
    arm,
    (ctx) =>
      ctx.json(200, {
        value: [
          {
            name: "policy-1",
            id: `${BASE}/firewallPolicies/policy-1`,
            properties: { threatIntelMode: "Deny" },
          },
        ],
      }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("firewalls", () => {
  it("azure-firewall-list lists a resource group's firewalls", async () => {
    const result = await harness.run("azure-firewall-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${BASE}/azureFirewalls`,
      query: { "api-version": "2021-03-01" },
    });
    expect(result.readable).toContain(
      "|name|id|location|threat_intel_mode|private_ip_address|provisioning_state|",
    );
    expect(result.readable).toContain("|fw-1|");
    expect(result.outputsPrefix).toBe("AzureFirewall.Firewall");
  });

  it("azure-firewall-list follows ARM's nextLink across a subscription", async () => {
    const result = await harness.run("azure-firewall-list", { resource: "subscription" });
    expect(harness.calls.map((call) => call.query["$skiptoken"])).toEqual([undefined, "2"]);
    expect((result.outputs as Array<{ name: string }>).map((entry) => entry.name)).toEqual(["fw-1", "fw-2"]);
    await harness.run("azure-firewall-list", { resource: "subscription", limit: "1" });
    expect(harness.calls).toHaveLength(3);
  });

  it("azure-firewall-get gets each named firewall", async () => {
    const result = await harness.run("azure-firewall-get", { firewall_names: "fw-a, fw-b" });
    expect(harness.calls.map((call) => call.path)).toEqual([
      `${BASE}/azureFirewalls/fw-a`,
      `${BASE}/azureFirewalls/fw-b`,
    ]);
    expect(result.outputs).toHaveLength(2);
  });

  it("azure-firewall-policy-list lists policies", async () => {
    const result = await harness.run("azure-firewall-policy-list");
    expect(harness.lastCall().path).toBe(`${BASE}/firewallPolicies`);
    expect(result.readable).toContain("|policy-1|");
  });
});

describe("auth errors", () => {
  it("a token for another audience is refused by ARM", async () => {
    const error = await harness
      .runWithToken(
        "azure-firewall-list",
        {},
        {
          roles: [],
          params: {
            azure_cloud: "Custom",
            azure_ad_endpoint: harness.emulator.url,
            server_url: harness.emulator.url,
          },
        },
      )
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("InvalidAuthenticationToken");
  });
});
