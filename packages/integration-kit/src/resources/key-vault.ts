import { type CloudEndpoints, MsintError, ParameterError } from "@msint/auth-core";
import type { ApiClient } from "../api-client.js";
import type { CommandContext, ResolvedParams, ResourceDefinition } from "../manifest.js";
import type { ParameterDefinition } from "../parameters.js";
import { required, type ScopeOptions } from "./common.js";

/** Parameter "Key Vault Name": the vault whose keys, secrets and certificates the commands read. */
export const KEY_VAULT_NAME_PARAMETER: ParameterDefinition = {
  key: "vault_name",
  displayName: "Key Vault Name",
  type: "string",
  help: "The name of the key vault (Azure Portal > Key vaults; its Overview tab shows the Vault URI https://<name>.vault.azure.net).",
  validate: (value, definition) => {
    if (!/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(value)) {
      throw new ParameterError(
        `${definition.displayName}: "${value}" is not a key vault name. Use the 3-24 letters, digits and dashes of the Vault URI's first label.`,
        definition.displayName,
      );
    }
  },
};

/**
 * A Key Vault's data plane: `https://<vault><dns suffix>` of the instance's cloud, tokens for the cloud's Key Vault
 * resource (`https://vault.azure.net` on Worldwide). With Azure Cloud = Custom the Server URL is the vault URL.
 */
export function keyVault(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "key-vault",
    displayName: "Azure Key Vault",
    endpoint: (cloud: CloudEndpoints, params: ResolvedParams) =>
      `https://${required(params, KEY_VAULT_NAME_PARAMETER)}${cloud.keyVaultDnsSuffix}`,
    // A vault's audience is its DNS suffix as a host (https://vault.azure.net for <name>.vault.azure.net): in a
    // Custom cloud it comes from the vault URL in Server URL, never from the Worldwide catalog.
    audience: (cloud: CloudEndpoints) =>
      cloud.id === "custom" && cloud.resourceUrl ? vaultAudience(cloud.resourceUrl) : cloud.keyVault,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
    parameters: [KEY_VAULT_NAME_PARAMETER],
    // Listed as "Azure Key Vault" under "Microsoft APIs" of an app registration's API permissions.
    permissionsApi: "Azure Key Vault",
    // `-test`'s default read: one secret's metadata (Get Secrets, GET /secrets?maxresults=1, api-version 7.4,
    // learn.microsoft.com/rest/api/keyvault/secrets/get-secrets). Key Vault authorizes with Azure RBAC or the
    // vault's access policies, not with the token's roles.
    namedEndpoint: keyVaultUrl,
    probe: {
      request: () => ({ path: "/secrets", query: { "api-version": "7.4", maxresults: 1 } }),
      permissions: { rbac: ["Key Vault Reader", "Key Vault Secrets User", "access policy: secrets list"] },
    },
  };
}

/** `https://<name>.vault.example` → `https://vault.example` (a vault URL's host without its first label). */
function vaultAudience(vaultUrl: string): string {
  const url = new URL(vaultUrl);
  const labels = url.hostname.split(".");
  const host = labels.length > 2 ? labels.slice(1).join(".") : url.hostname;
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}`;
}

/**
 * The URL of the key vault `name` in the instance's cloud: `https://<name><vault DNS suffix>` of a named cloud
 * (https://other.vault.azure.net on Worldwide), or, with Azure Cloud = Custom, the Server URL's vault host with its
 * first label replaced (https://soc.vault.example → https://other.vault.example). The name is checked as a vault
 * name first, so the host is always a vault host of the cloud and the token (audience: the vault suffix) never goes
 * elsewhere.
 */
export function keyVaultUrl(cloud: CloudEndpoints, apiBase: string, name: string): string {
  KEY_VAULT_NAME_PARAMETER.validate?.(name, { ...KEY_VAULT_NAME_PARAMETER, displayName: "vault_name" });
  if (cloud.id !== "custom") return `https://${name.toLowerCase()}${cloud.keyVaultDnsSuffix}`;
  const url = new URL(apiBase);
  const labels = url.hostname.split(".");
  if (labels.length <= 2 || /^[\d.]+$/.test(url.hostname)) {
    throw new ParameterError(
      `vault_name: with Azure Cloud = Custom and Server URL ${url.origin}, only the instance's vault is reachable (Server URL is not a <vault>.<vault suffix> URL).`,
      "vault_name",
    );
  }
  return `${url.protocol}//${[name.toLowerCase(), ...labels.slice(1)].join(".")}${url.port ? `:${url.port}` : ""}`;
}

/**
 * The API client of the vault a Key Vault command addresses: its `vault_name` argument when it names another vault
 * than the instance's (a client the kit creates for that vault's origin with the same token), else the instance's.
 */
export function keyVaultApi(context: CommandContext, vaultName?: string): ApiClient {
  const name = (vaultName ?? context.args["vault_name"])?.trim();
  const own = String(context.params[KEY_VAULT_NAME_PARAMETER.key] ?? "").trim();
  if (!name || name.toLowerCase() === own.toLowerCase()) return context.api;
  if (!context.apiAt) {
    throw new MsintError(`Reaching the key vault ${name} needs the kit's runtime (context.apiAt).`);
  }
  return context.apiAt(name);
}
