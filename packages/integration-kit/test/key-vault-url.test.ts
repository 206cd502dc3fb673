import { CLOUDS, customCloud } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import { keyVault, keyVaultUrl } from "../src/index.js";

// Another vault than the instance's (a Key Vault command's vault_name): its URL is built from the name and the
// cloud's vault DNS suffix (learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates
// "Object identifiers": https://{vault-name}.vault.azure.net, …usgovcloudapi.net, …azure.cn), so the instance's
// Key Vault token (audience https://vault.<suffix>) only ever goes to a vault host.
describe("keyVaultUrl", () => {
  it("builds https://<name><vault suffix> of the named cloud", () => {
    expect(keyVaultUrl(CLOUDS.com, "https://soc-vault.vault.azure.net", "ir-vault")).toBe(
      "https://ir-vault.vault.azure.net",
    );
    expect(keyVaultUrl(CLOUDS["gcc-high"], "https://soc.vault.usgovcloudapi.net", "IR-Vault")).toBe(
      "https://ir-vault.vault.usgovcloudapi.net",
    );
  });

  it("in a Custom cloud, replaces the first label of the Server URL's vault host", () => {
    const cloud = customCloud({
      loginHost: "https://login.sovereign.example",
      resourceUrl: "https://soc-vault.vault.sovereign.example",
    });
    expect(keyVaultUrl(cloud, "https://soc-vault.vault.sovereign.example:8443", "ir-vault")).toBe(
      "https://ir-vault.vault.sovereign.example:8443",
    );
    expect(() => keyVaultUrl(cloud, "http://127.0.0.1:4000", "ir-vault")).toThrow(
      "only the instance's vault is reachable",
    );
  });

  it("refuses what is not a vault name, so no other host can be formed", () => {
    for (const name of ["evil.example.com", "a", "vault/../x", "x@attacker", "-leading"]) {
      expect(() => keyVaultUrl(CLOUDS.com, "https://soc.vault.azure.net", name), name).toThrow(
        "is not a key vault name",
      );
    }
  });

  it("is the keyVault() resource's namedEndpoint (what context.apiAt uses)", () => {
    expect(keyVault().namedEndpoint).toBe(keyVaultUrl);
  });
});
