import { DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Key Vault data plane and Resource Manager doubles (no routes added
// here), through client credentials and a managed identity. Requests: Get Secrets / Get Secret / Get Keys of
// learn.microsoft.com/rest/api/keyvault/secrets and …/keys (api-version 7.4, maxresults ≤ 25, nextLink paging), and
// Vaults - List By Resource Group / Get of learn.microsoft.com/rest/api/keyvault/keyvault/vaults (api-version
// 2022-07-01).

const SUBSCRIPTION = "0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b";
const VAULTS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.KeyVault/vaults`;
const PARAMS = { vault_name: "soc-vault", subscription_id: SUBSCRIPTION, resource_group_name: "soc-rg" };

let harness: Harness;

function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: PARAMS });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("azure-key-vault against the built-in doubles", () => {
  it("azure-key-vault-secret-list pages with maxresults on the vault's host", async () => {
    const result = await harness.run("azure-key-vault-secret-list", { limit: "2" });
    expect(
      harness.calls.map((call) => [call.host, call.path, call.query["maxresults"], call.query["$skiptoken"]]),
    ).toEqual([["soc-vault.vault.azure.net", "/secrets", "2", undefined]]);
    expect(harness.lastCall().query["api-version"]).toBe("7.4");
    expect(result.readable).toContain("|graph-secret|true|text/plain|");
    expect(result.readable).toContain("|splunk-token|false|");
    const all = await harness.run("azure-key-vault-secret-list", { limit: "3" });
    expect(all.readable).toContain("|sql-connection|true|application/x-connection-string|");
  });

  it("azure-key-vault-secret-get reads the current value into the context, never the markdown", async () => {
    const result = await harness.run("azure-key-vault-secret-get", { secret_name: "graph-secret" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "soc-vault.vault.azure.net",
      path: "/secrets/graph-secret",
      query: { "api-version": "7.4" },
    });
    expect(result.outputs).toMatchObject({ value: "graph-client-secret-v2" });
    expect(result.readable).not.toContain("graph-client-secret-v2");
    const id = (result.outputs as { id: string }).id;
    const older = await harness.run("azure-key-vault-secret-get", {
      secret_name: "graph-secret",
      secret_version: id.split("/").at(-1)!,
    });
    expect(harness.lastCall().path).toBe(`/secrets/graph-secret/${id.split("/").at(-1)}`);
    expect(older.outputs).toMatchObject({ value: "graph-client-secret-v2" });
    await expect(harness.run("azure-key-vault-secret-get", { secret_name: "nope" })).rejects.toThrow(
      "SecretNotFound",
    );
  });

  it("azure-key-vault-key-list lists the keys, the certificate's key as managed", async () => {
    const result = await harness.run("azure-key-vault-key-list");
    expect(harness.lastCall()).toMatchObject({
      path: "/keys",
      query: { "api-version": "7.4", maxresults: "25" },
    });
    expect(result.readable).toContain("|cmk|true|false|");
    expect(result.readable).toContain("|web-tls|true|true|");
  });

  it("azure-key-vault-list and -get read the vault at Resource Manager", async () => {
    const list = await harness.run("azure-key-vault-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: VAULTS,
      query: { "api-version": "2022-07-01" },
    });
    expect(list.readable).toContain(
      "|soc-vault|westeurope|https://soc-vault.vault.azure.net/|standard|false|1|",
    );
    const vault = await harness.run("azure-key-vault-get");
    expect(harness.lastCall().path).toBe(`${VAULTS}/soc-vault`);
    expect(vault.outputs).toMatchObject({ name: "soc-vault", properties: { enableSoftDelete: true } });
    await expect(harness.run("azure-key-vault-get", { vault_name: "other-vault" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("runs with a managed identity", async () => {
    const result = await harness.run("azure-key-vault-key-list", {}, { use_managed_identities: true });
    expect(result.outputs).toHaveLength(3);
    expect(harness.requests.some((call) => call.host === "169.254.169.254")).toBe(true);
  });
});

describe("azure-key-vault-test and access errors", () => {
  it("-test reads one secret and the vault's resource, each counted at the emulator", async () => {
    const result = await harness.run("azure-key-vault-test");
    const served = (service: string) =>
      harness.emulator.requests.filter((entry) => entry.service === service);
    expect(served("key-vault").map((entry) => entry.path)).toEqual(["/secrets"]);
    expect(served("arm").map((entry) => entry.path)).toEqual([`${VAULTS}/soc-vault`]);
    expect(result.readable).toContain("- Azure Key Vault: GET soc-vault.vault.azure.net/secrets → 200");
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${VAULTS}/soc-vault → 200`,
    );
  });

  it("a request without a token gets Key Vault's challenge", async () => {
    const response = await fetch(`${harness.emulator.url}/secrets?api-version=7.4`, {
      headers: { "x-forwarded-host": "soc-vault.vault.azure.net" },
    });
    expect(response.status).toBe(401);
    // Through the harness the sign-in authority is the emulator itself (through the proxy: login.microsoftonline.com).
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer authorization="${harness.emulator.url}/${DEMO_TENANT_ID}", resource="https://vault.azure.net"`,
    );
    expect(await response.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });

  it("an app without an access policy: -test fails naming the policy, and secret-get's 403 names its permission", async () => {
    await expect(harness.run("azure-key-vault-test", {}, noGrantApp())).rejects.toThrow(
      /answered HTTP 403[\s\S]*does not have secrets list permission[\s\S]*Key Vault Reader/,
    );
    await expect(
      harness.run("azure-key-vault-secret-get", { secret_name: "graph-secret" }, noGrantApp()),
    ).rejects.toThrow(
      "azure-key-vault-secret-get needs: Azure role Key Vault Secrets User, or access policy: secrets get",
    );
  });
});
