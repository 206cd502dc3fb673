/**
 * Issue 11.7: with Azure Cloud = Custom, every API the integration calls has an endpoint of its own (Server URL for
 * the vault, Resource Manager URL for ARM) and nothing goes to a Worldwide host; a missing endpoint is named.
 * The harness's transport records every request with the host the integration asked for (token requests
 * included) before it hands it to the emulator: a request to a Worldwide host would show up there.
 */
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b";
// Vaults - List By Subscription (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-subscription).
const VAULTS = "/subscriptions/:sub/providers/Microsoft.KeyVault/vaults";
const LOGIN = "https://login.sovereign.example";
const VAULT = "https://soc-vault.vault.sovereign.example";
const ARM = "https://management.sovereign.example";
const CUSTOM_HOSTS = [
  "login.sovereign.example",
  "soc-vault.vault.sovereign.example",
  "ir-vault.vault.sovereign.example",
  "management.sovereign.example",
];

const custom = {
  azure_cloud: "Custom",
  azure_ad_endpoint: LOGIN,
  server_url: VAULT,
  resource_manager_url: ARM,
};

let harness: Harness;
/** Whether the vault answers with a next page on a Worldwide host. */
let foreignNextLink = false;

beforeAll(async () => {
  harness = await startHarness(integration, {
    // A vault's audience is its DNS suffix as a host; ARM's is its endpoint.
    resources: { "key-vault": ["https://vault.sovereign.example"], arm: [ARM] },
    params: { vault_name: "soc-vault", subscription_id: SUBSCRIPTION, resource_group_name: "soc-rg" },
  });
  const { emulator } = harness;
  emulator.addRoute("GET", VAULTS, { resource: "arm" }, (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: `/subscriptions/${ctx.params["sub"]}/resourceGroups/soc-rg/providers/Microsoft.KeyVault/vaults/soc-vault`,
          name: "soc-vault",
          location: "sovereign-1",
          properties: { vaultUri: `${VAULT}/`, sku: { family: "A", name: "standard" } },
        },
      ],
    }),
  );
  emulator.addRoute("GET", "/secrets", { resource: "key-vault" }, (ctx) =>
    ctx.json(200, {
      value: [{ id: `${VAULT}/secrets/graph-secret`, attributes: { enabled: true, created: 1714550400 } }],
      // A server may answer with a next page anywhere: a link to another host is not followed with the token.
      nextLink: foreignNextLink ? "https://soc-vault.vault.azure.net/secrets?$skiptoken=x" : null,
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

/** Every host the integration sent a request to so far (token requests included), before the harness sent it on. */
const hostsAsked = () => [...new Set(harness.requests.map((request) => request.host))].sort();

describe("Azure Key Vault in a Custom cloud", () => {
  it("calls only the custom hosts: vault data plane, Resource Manager and sign-in", async () => {
    const secrets = await harness.run("azure-key-vault-secret-list", {}, custom);
    expect(secrets.readable).toContain("|graph-secret|true|");
    const vaults = await harness.run("azure-key-vault-list", {}, custom);
    expect(vaults.readable).toContain("soc-vault");
    expect(harness.calls.map((call) => call.host)).toEqual([
      "soc-vault.vault.sovereign.example",
      "management.sovereign.example",
    ]);
    expect(
      hostsAsked().every((host) => CUSTOM_HOSTS.includes(host)),
      hostsAsked().join(", "),
    ).toBe(true);
    expect(hostsAsked()).toContain("login.sovereign.example");
    // Tokens for the custom audiences, never for https://vault.azure.net or https://management.azure.com.
    expect(harness.emulator.tokenRequests().map((request) => request.scope)).toEqual([
      "https://vault.sovereign.example/.default",
      `${ARM}/.default`,
    ]);
  });

  it("vault_name reaches another vault under the Server URL's vault suffix, with the same token", async () => {
    await harness.run("azure-key-vault-secret-list", {}, custom);
    await harness.run("azure-key-vault-secret-list", { vault_name: "ir-vault" }, custom);
    expect(harness.calls.map((call) => call.host)).toEqual([
      "soc-vault.vault.sovereign.example",
      "ir-vault.vault.sovereign.example",
    ]);
    // The instance's token for https://vault.sovereign.example serves both vaults.
    const [first, second] = harness.calls.map((call) => call.headers["authorization"]);
    expect(second).toBe(first);
    expect(
      hostsAsked().every((host) => CUSTOM_HOSTS.includes(host)),
      hostsAsked().join(", "),
    ).toBe(true);
  });

  it("a vault_name that is no vault name is refused before any request", async () => {
    await expect(
      harness.run("azure-key-vault-secret-list", { vault_name: "evil.example.com/x" }, custom),
    ).rejects.toThrow(/vault_name: "evil\.example\.com\/x" is not a key vault name/);
    expect(harness.requests).toHaveLength(0);
  });

  it("names Resource Manager URL when it is missing, before any request", async () => {
    const { resource_manager_url: _omitted, ...withoutArm } = custom;
    await expect(harness.run("azure-key-vault-list", {}, withoutArm)).rejects.toThrow(
      /Azure Cloud is Custom, so Resource Manager URL must be set: Azure Key Vault also calls Azure Resource Manager.*--param resource_manager_url=/,
    );
    expect(harness.requests).toHaveLength(0);
  });

  it("refuses plain http on a non-loopback Resource Manager URL, naming it", async () => {
    await expect(
      harness.run(
        "azure-key-vault-list",
        {},
        { ...custom, resource_manager_url: "http://management.sovereign.example" },
      ),
    ).rejects.toThrow(/^Resource Manager URL: http:\/\/management\.sovereign\.example uses plain http/);
    expect(harness.requests).toHaveLength(0);
  });

  it("refuses a nextLink to a Worldwide host instead of following it with the token", async () => {
    foreignNextLink = true;
    try {
      await expect(harness.run("azure-key-vault-secret-list", {}, custom)).rejects.toThrow(
        `Refusing to call https://soc-vault.vault.azure.net: it is not the instance's API endpoint ${VAULT}.`,
      );
    } finally {
      foreignNextLink = false;
    }
    expect(
      hostsAsked().every((host) => CUSTOM_HOSTS.includes(host)),
      hostsAsked().join(", "),
    ).toBe(true);
  });
});
