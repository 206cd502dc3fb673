import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const NSGS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/network-rg/providers/Microsoft.Network/networkSecurityGroups`;
const RULE = {
  name: "allow-https",
  id: `${NSGS}/web-nsg/securityRules/allow-https`,
  etag: 'W/"1"',
  properties: {
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  },
};

let harness: Harness;
const deleted: string[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group_name: "network-rg" },
  });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/networkSecurityGroups",
    { resource: "arm" },
    (ctx) =>
      ctx.json(200, {
        value: [{ name: "web-nsg", id: `${NSGS}/web-nsg`, etag: 'W/"7"', location: "westeurope" }],
      }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/networkSecurityGroups/:nsg/securityRules",
    { resource: "arm" },
    (ctx) =>
      ctx.params["nsg"] === "web-nsg"
        ? ctx.json(200, { value: [RULE] })
        : ctx.error(
            404,
            "ResourceNotFound",
            `The Resource 'Microsoft.Network/networkSecurityGroups/${ctx.params["nsg"]}' was not found.`,
          ),
  );
  emulator.addRoute(
    "DELETE",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Network/networkSecurityGroups/:nsg/securityRules/:rule",
    { resource: "arm" },
    (ctx) => {
      deleted.push(ctx.params["rule"]!);
      return ctx.empty(202);
    },
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("security groups and rules", () => {
  it("azure-nsg-security-groups-list", async () => {
    const result = await harness.run("azure-nsg-security-groups-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: NSGS,
      query: { "api-version": "2022-09-01" },
    });
    expect(result.readable).toContain("|web-nsg|");
    expect(result.outputs).toEqual([
      { name: "web-nsg", id: `${NSGS}/web-nsg`, etag: 'W/"7"', location: "westeurope" },
    ]);
  });

  it("azure-nsg-security-rules-list flattens the rule properties", async () => {
    const result = await harness.run("azure-nsg-security-rules-list", { security_group_name: "web-nsg" });
    expect(harness.lastCall().path).toBe(`${NSGS}/web-nsg/securityRules`);
    expect(result.readable).toContain("|allow-https|100|Inbound|Allow|Tcp|*|*|*|443|");
    expect(result.outputs).toEqual([
      expect.objectContaining({ name: "allow-https", securityGroupName: "web-nsg", priority: 100 }),
    ]);
    await expect(
      harness.run("azure-nsg-security-rules-list", { security_group_name: "nope" }),
    ).rejects.toThrow("ResourceNotFound");
  });

  it("azure-nsg-security-rule-delete DELETEs the rule", async () => {
    const result = await harness.run("azure-nsg-security-rule-delete", {
      security_group_name: "web-nsg",
      security_rule_name: "allow-https",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${NSGS}/web-nsg/securityRules/allow-https`,
      query: { "api-version": "2022-09-01" },
    });
    expect(deleted).toEqual(["allow-https"]);
    expect(result.readable).toBe("Rule allow-https deleted.");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-nsg-security-groups-list", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
