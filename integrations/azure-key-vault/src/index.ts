import { defineIntegration, keyVault } from "@msint/integration-kit";
import { getSecret, listKeys, listSecrets } from "./vault.js";

const limit = {
  name: "limit",
  description: "The most entries to return (1-25 per page).",
  defaultValue: "25",
} as const;

/** Azure Key Vault: the keys and secrets of a key vault (data plane). */
export default defineIntegration({
  id: "azure-key-vault",
  displayName: "Azure Key Vault",
  commandPrefix: "azure-key-vault",
  description: "Lists the secrets and keys of a key vault and reads secret values.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: keyVault(),
  permissions: {
    application: ["Key Vault Secrets User and Key Vault Reader (Azure RBAC), or a Get/List access policy"],
  },
  commands: {
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
      run: listKeys,
    },
  },
  async test({ api }) {
    await api.get("/secrets", { "api-version": "7.4", maxresults: 1 });
  },
});
