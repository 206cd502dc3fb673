import {
  azureResourceManager,
  defineIntegration,
  keyVault,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getVault, listVaults, testVault } from "./management.js";
import { getSecret, listKeys, listSecrets } from "./vault.js";

// Key Vault authorizes data-plane calls with Azure RBAC or the vault's access policies, never with the token's
// roles (learn.microsoft.com/azure/key-vault/general/rbac-guide, …/general/assign-access-policy); the vaults
// themselves are Resource Manager resources (Reader or Key Vault Reader).
const SECRETS_LIST = {
  rbac: ["Key Vault Reader", "Key Vault Secrets User", "access policy: secrets list"],
} as const;
const SECRETS_GET = { rbac: ["Key Vault Secrets User", "access policy: secrets get"] } as const;
const KEYS_LIST = {
  rbac: ["Key Vault Reader", "Key Vault Crypto User", "access policy: keys list"],
} as const;
const VAULTS_READ = {
  resource: "arm",
  delegated: ["user_impersonation"],
  rbac: ["Key Vault Reader", "Reader"],
} as const;

const subscriptionId = subscriptionIdArgument("override");
const resourceGroupName = resourceGroupArgument({ wording: "override" });
const vaultOutputs = [
  { path: "AzureKeyVault.KeyVault.id", type: "string", description: "The vault's resource ID." },
  { path: "AzureKeyVault.KeyVault.name", type: "string", description: "The vault's name." },
  { path: "AzureKeyVault.KeyVault.location", type: "string", description: "Its region." },
  { path: "AzureKeyVault.KeyVault.properties.vaultUri", type: "string", description: "Its data-plane URI." },
  {
    path: "AzureKeyVault.KeyVault.properties.enableRbacAuthorization",
    type: "boolean",
    description: "Whether Azure RBAC (not access policies) authorizes data-plane requests.",
  },
] as const;

const limit = {
  name: "limit",
  description: "The most entries to return (1-25 per page).",
  defaultValue: "25",
} as const;

/** Azure Key Vault: the keys and secrets of a key vault (data plane). */
export default defineIntegration({
  id: "azure-key-vault",
  version: packageJson.version,
  displayName: "Azure Key Vault",
  commandPrefix: "azure-key-vault",
  description:
    "Lists the secrets and keys of a key vault and reads secret values; lists and shows key vaults through Azure Resource Manager.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: keyVault(),
  // The vaults themselves are managed through Azure Resource Manager, with a token of its own.
  additionalResources: { arm: azureResourceManager() },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  permissions: {
    application: [
      "Key Vault Secrets User and Key Vault Reader (Azure RBAC), or a Get/List access policy",
      "Reader on the resource group (Azure RBAC) for azure-key-vault-list and -get",
    ],
  },
  commands: {
    "azure-key-vault-list": {
      description: "Lists the resource group's key vaults (Azure Resource Manager).",
      arguments: [
        subscriptionId,
        resourceGroupName,
        { name: "limit", description: "The most vaults to list (1-500).", defaultValue: "50" },
      ],
      outputs: [...vaultOutputs],
      // Vaults - List By Resource Group (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-resource-group).
      permissions: VAULTS_READ,
      run: listVaults,
    },
    "azure-key-vault-get": {
      description: "Shows a key vault's settings (Azure Resource Manager).",
      arguments: [
        { name: "vault_name", description: "Another vault than the instance's." },
        subscriptionId,
        resourceGroupName,
      ],
      outputs: [...vaultOutputs],
      // Vaults - Get (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/get).
      permissions: VAULTS_READ,
      run: getVault,
    },
    "azure-key-vault-secret-list": {
      description: "Lists the secrets of the vault (no values).",
      arguments: [limit],
      outputs: [
        { path: "AzureKeyVault.Secret.id", type: "string", description: "The secret's identifier." },
        {
          path: "AzureKeyVault.Secret.attributes.enabled",
          type: "boolean",
          description: "Whether it is enabled.",
        },
        { path: "AzureKeyVault.Secret.attributes.exp", type: "number", description: "Expiry, Unix time." },
        { path: "AzureKeyVault.Secret.contentType", type: "string", description: "The content type." },
      ],
      // Get Secrets (learn.microsoft.com/rest/api/keyvault/secrets/get-secrets): "secrets/list".
      permissions: SECRETS_LIST,
      run: listSecrets,
    },
    "azure-key-vault-secret-get": {
      description: "Gets a secret with its value.",
      arguments: [
        { name: "secret_name", description: "The secret's name.", required: true },
        { name: "secret_version", description: "A version (default: the current one)." },
      ],
      outputs: [
        { path: "AzureKeyVault.Secret.id", type: "string", description: "The secret's identifier." },
        { path: "AzureKeyVault.Secret.value", type: "string", description: "The secret's value." },
        {
          path: "AzureKeyVault.Secret.attributes.enabled",
          type: "boolean",
          description: "Whether it is enabled.",
        },
      ],
      // Get Secret (learn.microsoft.com/rest/api/keyvault/secrets/get-secret): "secrets/get".
      permissions: SECRETS_GET,
      run: getSecret,
    },
    "azure-key-vault-key-list": {
      description: "Lists the keys of the vault.",
      arguments: [limit],
      outputs: [
        { path: "AzureKeyVault.Key.kid", type: "string", description: "The key's identifier." },
        {
          path: "AzureKeyVault.Key.attributes.enabled",
          type: "boolean",
          description: "Whether it is enabled.",
        },
        {
          path: "AzureKeyVault.Key.managed",
          type: "boolean",
          description: "Whether Key Vault manages it (certificate keys).",
        },
      ],
      // Get Keys (learn.microsoft.com/rest/api/keyvault/keys/get-keys): "keys/list".
      permissions: KEYS_LIST,
      run: listKeys,
    },
  },
  // One secret's metadata from the vault, then the vault's Resource Manager resource when the instance names its
  // subscription and resource group (otherwise the kit's probe lists the subscriptions).
  async test(context) {
    await context.api.get("/secrets", { "api-version": "7.4", maxresults: 1 }, { expect: "collection" });
    await testVault(context);
  },
  testPermissions: [SECRETS_LIST, VAULTS_READ],
});
