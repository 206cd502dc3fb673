import {
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  type Harness,
  startHarness,
} from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const VAULT = "https://soc-vault.vault.azure.net";
const SUBSCRIPTION = "0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b";
const VAULTS = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/vaults";

function armVault(subscription: string, group: string, name: string) {
  return {
    id: `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.KeyVault/vaults/${name}`,
    name,
    location: "westeurope",
    properties: {
      vaultUri: `https://${name}.vault.azure.net/`,
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      accessPolicies: [],
    },
  };
}

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "key-vault": ["https://vault.azure.net", "https://vault.usgovcloudapi.net"] },
    params: { vault_name: "soc-vault", subscription_id: SUBSCRIPTION, resource_group_name: "soc-rg" },
  });
  // Vaults - List By Subscription (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-subscription).
  harness.emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.KeyVault/vaults",
    { resource: "arm" },
    (ctx) => ctx.json(200, { value: [armVault(ctx.params["sub"]!, "soc-rg", "soc-vault")], nextLink: null }),
  );
  harness.emulator.addRoute("GET", `${VAULTS}/:name`, { resource: "arm" }, (ctx) =>
    ctx.params["name"] === "soc-vault"
      ? ctx.json(200, armVault(ctx.params["sub"]!, ctx.params["rg"]!, "soc-vault"))
      : ctx.error(
          404,
          "ResourceNotFound",
          `The Resource 'Microsoft.KeyVault/vaults/${ctx.params["name"]}' under resource group '${ctx.params["rg"]}' was not found.`,
        ),
  );
  const { emulator } = harness;
  const vault = { resource: "key-vault" };
  emulator.addRoute("GET", "/secrets", vault, (ctx) =>
    ctx.query["$skiptoken"]
      ? ctx.json(200, {
          value: [
            { id: `${VAULT}/secrets/splunk-token`, attributes: { enabled: false, created: 1714550400 } },
          ],
          nextLink: null,
        })
      : ctx.json(200, {
          value: [
            {
              id: `${VAULT}/secrets/graph-secret`,
              contentType: "text/plain",
              attributes: { enabled: true, created: 1714550400, exp: 1735689600 },
            },
          ],
          nextLink: `${VAULT}/secrets?api-version=7.4&$skiptoken=abc&maxresults=25`,
        }),
  );
  emulator.addRoute("GET", "/secrets/:name", vault, (ctx) =>
    ctx.params["name"] === "graph-secret"
      ? ctx.json(200, {
          id: `${VAULT}/secrets/graph-secret/4387e9f3d6e14c459867679a90fd0f79`,
          value: "s3cr3t-value",
          attributes: { enabled: true, updated: 1714550400 },
        })
      : ctx.error(
          404,
          "SecretNotFound",
          `A secret with (name/id) ${ctx.params["name"]} was not found in this key vault.`,
        ),
  );
  emulator.addRoute("GET", "/keys", vault, (ctx) =>
    ctx.json(200, {
      value: [{ kid: `${VAULT}/keys/cmk`, attributes: { enabled: true, created: 1714550400 } }],
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Key Vault manifest", () => {
  it("names the Key Vault parameter", () => {
    expect(integration.parameter("vault_name")?.displayName).toBe("Key Vault Name");
  });
});

describe("secrets and keys", () => {
  it("azure-key-vault-secret-list follows nextLink on the vault's own host with a token for https://vault.azure.net", async () => {
    const result = await harness.run("azure-key-vault-secret-list");
    expect(
      harness.calls.map((call) => [
        call.host,
        call.path,
        call.query["api-version"],
        call.query["$skiptoken"],
      ]),
    ).toEqual([
      ["soc-vault.vault.azure.net", "/secrets", "7.4", undefined],
      ["soc-vault.vault.azure.net", "/secrets", "7.4", "abc"],
    ]);
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe("https://vault.azure.net/.default");
    expect(result.readable).toContain(
      "|graph-secret|true|text/plain|2024-05-01T08:00:00.000Z|2025-01-01T00:00:00.000Z|",
    );
    expect(result.readable).toContain("|splunk-token|false|");
  });

  it("azure-key-vault-secret-get keeps the value out of the markdown", async () => {
    const result = await harness.run("azure-key-vault-secret-get", { secret_name: "graph-secret" });
    expect(harness.lastCall()).toMatchObject({
      path: "/secrets/graph-secret",
      query: { "api-version": "7.4" },
    });
    expect(result.outputs).toMatchObject({ value: "s3cr3t-value" });
    expect(result.readable).not.toContain("s3cr3t-value");
    await expect(harness.run("azure-key-vault-secret-get", { secret_name: "nope" })).rejects.toThrow(
      "SecretNotFound",
    );
  });

  it("azure-key-vault-key-list; US GCC-High vaults live under vault.usgovcloudapi.net", async () => {
    const result = await harness.run("azure-key-vault-key-list", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall()).toMatchObject({ host: "soc-vault.vault.usgovcloudapi.net", path: "/keys" });
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe("https://vault.usgovcloudapi.net/.default");
    expect(result.readable).toContain("|cmk|true|false|");
  });

  it("names the Key Vault Name parameter when it is missing", async () => {
    await expect(harness.run("azure-key-vault-key-list", {}, { vault_name: "" })).rejects.toThrow(
      "Key Vault Name is not set",
    );
  });
});

describe("vaults through Azure Resource Manager (a second resource, its own token)", () => {
  it("azure-key-vault-list and -get call ARM with an ARM token, the secrets calls keep the vault's", async () => {
    const before = harness.emulator.tokenRequests().length;
    const list = await harness.run("azure-key-vault-list", {});
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.KeyVault/vaults`,
      query: { "api-version": "2022-07-01", $top: "50" },
    });
    expect(list.outputs).toEqual([
      expect.objectContaining({
        name: "soc-vault",
        properties: expect.objectContaining({
          vaultUri: "https://soc-vault.vault.azure.net/",
          sku: { family: "A", name: "standard" },
        }),
      }),
    ]);
    expect(list.readable).toContain(
      "|soc-vault|westeurope|https://soc-vault.vault.azure.net/|standard|true|0|",
    );

    const one = await harness.run("azure-key-vault-get", {});
    expect(harness.lastCall().path).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.KeyVault/vaults/soc-vault`,
    );
    expect(one.outputs).toMatchObject({ name: "soc-vault", properties: { enableRbacAuthorization: true } });
    await harness.run("azure-key-vault-secret-list", {});
    expect(harness.lastCall().host).toBe("soc-vault.vault.azure.net");

    const scopes = harness.emulator
      .tokenRequests()
      .slice(before)
      .map((request) => request.scope);
    expect(scopes).toContain("https://management.azure.com/.default");
    expect(new Set(scopes).size).toBe(scopes.length);
    await expect(harness.run("azure-key-vault-get", { vault_name: "gone-vault" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("US GCC-High: management.usgovcloudapi.net, signed in at login.microsoftonline.us", async () => {
    await harness.run("azure-key-vault-list", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall().host).toBe("management.usgovcloudapi.net");
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(
      "https://management.usgovcloudapi.net/.default",
    );
  });
});

describe("auth errors", () => {
  it("an expired client secret fails with AADSTS7000222", async () => {
    await expect(
      harness.run(
        "azure-key-vault-key-list",
        {},
        { auth_id: DEMO_EXPIRED_CLIENT_ID, enc_key: DEMO_EXPIRED_CLIENT_SECRET },
      ),
    ).rejects.toThrow("AADSTS7000222");
  });
});
