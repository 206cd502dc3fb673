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
const PARAMS = {
  vault_name: "soc-vault",
  subscription_id: SUBSCRIPTION,
  resource_group_name: "soc-rg",
  tenant_id: DEMO_TENANT_ID,
};
/** The emulator's seeded subscription (packages/entra-emulator/src/services/arm-infrastructure-seed.ts). */
const DEMO_SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const OBJECT_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

let harness: Harness;

/** The `aud` claim of a bearer token. */
function audience(authorization: string | undefined): unknown {
  const payload = authorization?.replace(/^Bearer /, "").split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).aud;
}

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

  it("azure-key-vault-list and -get read the vaults at Resource Manager", async () => {
    // Vaults - List By Subscription (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-subscription):
    // GET /subscriptions/{id}/providers/Microsoft.KeyVault/vaults?api-version=…&$top=…
    const list = await harness.run("azure-key-vault-list", { limit: "1", offset: "1" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.KeyVault/vaults`,
      query: { "api-version": "2022-07-01", $top: "2" },
    });
    expect(list.readable).toContain("|ir-vault|westeurope|https://ir-vault.vault.azure.net/|premium|true|0|");
    expect(list.readable).not.toContain("|soc-vault|");
    const all = await harness.run("azure-key-vault-list");
    expect(all.readable).toContain(
      "|soc-vault|westeurope|https://soc-vault.vault.azure.net/|standard|false|1|",
    );
    // Vaults - Get (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/get).
    const vault = await harness.run("azure-key-vault-get");
    expect(harness.lastCall().path).toBe(`${VAULTS}/soc-vault`);
    expect(vault.outputsPrefix).toBe("AzureKeyVault.KeyVault");
    expect(vault.outputs).toMatchObject({
      name: "soc-vault",
      type: "Microsoft.KeyVault/vaults",
      properties: { enableSoftDelete: true, sku: { family: "A", name: "standard" } },
    });
    await expect(harness.run("azure-key-vault-get", { vault_name: "other-vault" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("azure-key-vault-create-update, -access-policy-update and -delete change the vaults", async () => {
    // Vaults - Create Or Update (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/create-or-update).
    const created = await harness.run("azure-key-vault-create-update", {
      vault_name: "case-vault",
      object_id: OBJECT_ID,
      location: "northeurope",
      secrets: "get,list,set",
      sku_name: "premium",
      enabled_for_deployment: "true",
      default_action: "Deny",
      ip_rules: "203.0.113.0/24",
    });
    const put = harness.lastCall();
    expect(put).toMatchObject({
      method: "PUT",
      host: "management.azure.com",
      path: `${VAULTS}/case-vault`,
      query: { "api-version": "2022-07-01" },
    });
    expect(put.body).toEqual({
      location: "northeurope",
      properties: {
        tenantId: DEMO_TENANT_ID,
        sku: { family: "A", name: "premium" },
        accessPolicies: [
          {
            tenantId: DEMO_TENANT_ID,
            objectId: OBJECT_ID,
            permissions: {
              keys: ["get", "list"],
              secrets: ["get", "list", "set"],
              certificates: ["get", "list"],
            },
          },
        ],
        enabledForDeployment: true,
        networkAcls: {
          defaultAction: "Deny",
          bypass: "AzureServices",
          ipRules: [{ value: "203.0.113.0/24" }],
          virtualNetworkRules: [],
        },
      },
    });
    expect(created.outputs).toMatchObject({
      name: "case-vault",
      location: "northeurope",
      properties: { vaultUri: "https://case-vault.vault.azure.net/", provisioningState: "Succeeded" },
    });
    // Vaults - Update Access Policy (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/update-access-policy).
    const policy = await harness.run("azure-key-vault-access-policy-update", {
      vault_name: "case-vault",
      operation_kind: "add",
      object_id: OBJECT_ID,
      keys: "get,list,delete",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${VAULTS}/case-vault/accessPolicies/add`,
    });
    expect(policy.outputsPrefix).toBe("AzureKeyVault.VaultAccessPolicy");
    const after = await harness.run("azure-key-vault-get", { vault_name: "case-vault" });
    expect(after.outputs).toMatchObject({
      properties: {
        accessPolicies: [{ objectId: OBJECT_ID, permissions: { keys: ["get", "list", "delete"] } }],
      },
    });
    // Vaults - Delete (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/delete).
    const deleted = await harness.run("azure-key-vault-delete", { vault_name: "case-vault" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: `${VAULTS}/case-vault` });
    expect(deleted.readable).toBe("Deleted Key Vault case-vault successfully.");
    await expect(harness.run("azure-key-vault-get", { vault_name: "case-vault" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("azure-key-vault-subscriptions-list and -resource-group-list read Resource Manager", async () => {
    // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list).
    const subscriptions = await harness.run("azure-key-vault-subscriptions-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(subscriptions.outputsPrefix).toBe("AzureKeyVault.Subscription");
    expect(subscriptions.outputs).toContainEqual(
      expect.objectContaining({ subscriptionId: DEMO_SUBSCRIPTION, displayName: "msint Demo Production" }),
    );
    // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list): $top and a tag $filter.
    const groups = await harness.run("azure-key-vault-resource-group-list", {
      subscription_id: DEMO_SUBSCRIPTION,
      tag: '{"Environment":"prod"}',
    });
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${DEMO_SUBSCRIPTION}/resourcegroups`,
      query: {
        "api-version": "2021-04-01",
        $top: "50",
        $filter: "tagName eq 'Environment' and tagValue eq 'prod'",
      },
    });
    expect(groups.outputs).toEqual([
      expect.objectContaining({ name: "soc-rg", tags: { Environment: "prod" } }),
    ]);
  });

  it("azure-key-vault-key-get and -key-delete (Get Key, Delete Key)", async () => {
    // learn.microsoft.com/rest/api/keyvault/keys/get-key: GET /keys/{name}/{version}?api-version=7.4
    const key = await harness.run("azure-key-vault-key-get", { key_name: "cmk" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/keys/cmk",
      query: { "api-version": "7.4" },
    });
    expect(key.outputsPrefix).toBe("AzureKeyVault.Key");
    expect(key.outputs).toMatchObject({
      key: { kty: "RSA", e: "AQAB", key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] },
      attributes: { enabled: true, created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    const kid = (key.outputs as { key: { kid: string } }).key.kid;
    await harness.run("azure-key-vault-key-get", { key_name: "cmk", key_version: kid.split("/").at(-1)! });
    expect(harness.lastCall().path).toBe(`/keys/cmk/${kid.split("/").at(-1)}`);
    // learn.microsoft.com/rest/api/keyvault/keys/delete-key: DELETE /keys/{name}
    const deleted = await harness.run("azure-key-vault-key-delete", { key_name: "signing-key" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: "/keys/signing-key" });
    expect(deleted.outputs).toMatchObject({
      recoveryId: "https://soc-vault.vault.azure.net/deletedkeys/signing-key",
      deletedDate: expect.stringMatching(/^\d{4}-/),
      key: { kty: "EC" },
    });
    const keys = await harness.run("azure-key-vault-key-list");
    expect(keys.readable).not.toContain("|signing-key|");
  });

  it("azure-key-vault-secret-delete (Delete Secret) removes the secret", async () => {
    // learn.microsoft.com/rest/api/keyvault/secrets/delete-secret: DELETE /secrets/{name}
    const deleted = await harness.run("azure-key-vault-secret-delete", { secret_name: "splunk-token" });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      host: "soc-vault.vault.azure.net",
      path: "/secrets/splunk-token",
      query: { "api-version": "7.4" },
    });
    expect(deleted.outputs).toMatchObject({
      recoveryId: "https://soc-vault.vault.azure.net/deletedsecrets/splunk-token",
      scheduledPurgeDate: expect.stringMatching(/^\d{4}-/),
    });
    expect(JSON.stringify(deleted.outputs)).not.toContain("splunk-hec-token");
    await expect(harness.run("azure-key-vault-secret-get", { secret_name: "splunk-token" })).rejects.toThrow(
      "SecretNotFound",
    );
  });

  it("azure-key-vault-certificate-list, -get and -policy-get", async () => {
    // learn.microsoft.com/rest/api/keyvault/certificates/get-certificates: GET /certificates?maxresults=…
    const list = await harness.run("azure-key-vault-certificate-list");
    expect(harness.lastCall()).toMatchObject({
      path: "/certificates",
      query: { "api-version": "7.4", maxresults: "25" },
    });
    expect(list.readable).toContain("|web-tls|");
    // learn.microsoft.com/rest/api/keyvault/certificates/get-certificate: GET /certificates/{name}
    const certificate = await harness.run("azure-key-vault-certificate-get", { certificate_name: "web-tls" });
    expect(harness.lastCall().path).toBe("/certificates/web-tls");
    expect(certificate.outputsPrefix).toBe("AzureKeyVault.Certificate");
    expect(certificate.outputs).toMatchObject({
      id: "https://soc-vault.vault.azure.net/certificates/web-tls",
      kid: "https://soc-vault.vault.azure.net/keys/web-tls",
      cer: expect.any(String),
      policy: { issuer: { name: "Self" } },
    });
    // learn.microsoft.com/rest/api/keyvault/certificates/get-certificate-policy: GET /certificates/{name}/policy
    const policy = await harness.run("azure-key-vault-certificate-policy-get", {
      certificate_name: "web-tls",
    });
    expect(harness.lastCall().path).toBe("/certificates/web-tls/policy");
    expect(policy.outputsPrefix).toBe("AzureKeyVault.CertificatePolicy");
    expect(policy.outputs).toMatchObject({
      x509_props: { subject: "CN=portal.contoso.com" },
      lifetime_actions: [{ action: { action_type: "AutoRenew" } }],
    });
  });

  it("vault_name reaches another vault of the cloud with the same token, never another host", async () => {
    const secrets = await harness.run("azure-key-vault-secret-list", { vault_name: "ir-vault" });
    expect(harness.lastCall()).toMatchObject({ host: "ir-vault.vault.azure.net", path: "/secrets" });
    expect(secrets.readable).toContain("ir-vault Secrets List");
    expect(secrets.readable).toContain("|ir-webhook|");
    const secret = await harness.run("azure-key-vault-secret-get", {
      vault_name: "ir-vault",
      secret_name: "ir-webhook",
    });
    expect(secret.outputs).toMatchObject({ value: "ir-webhook-token" });
    await harness.run("azure-key-vault-key-get", { vault_name: "ir-vault", key_name: "ir-key" });
    expect(harness.lastCall().host).toBe("ir-vault.vault.azure.net");
    // The other vault gets the instance's Key Vault token (audience https://vault.azure.net), not another one.
    expect(audience(harness.lastCall().headers["authorization"])).toBe("https://vault.azure.net");
    await expect(
      harness.run("azure-key-vault-secret-list", { vault_name: "attacker.example.com#" }),
    ).rejects.toThrow("is not a key vault name");
    expect(harness.requests.some((call) => call.host.includes("attacker"))).toBe(false);
  });

  it("runs with a managed identity", async () => {
    const result = await harness.run("azure-key-vault-key-list", {}, { use_managed_identities: true });
    expect(result.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: "https://soc-vault.vault.azure.net/keys/cmk" }),
      ]),
    );
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
    await expect(
      harness.run("azure-key-vault-key-delete", { key_name: "cmk" }, noGrantApp()),
    ).rejects.toThrow(
      "azure-key-vault-key-delete needs: Azure role Key Vault Crypto Officer, or access policy: keys delete",
    );
  });
});
