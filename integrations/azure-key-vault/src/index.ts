import {
  azureResourceManager,
  defineIntegration,
  keyVault,
  type OutputDefinition,
  resourceGroupArgument,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  createOrUpdateVault,
  deleteVault,
  getVault,
  listResourceGroups,
  listSubscriptions,
  listVaults,
  testVault,
  updateAccessPolicy,
} from "./management.js";
import {
  deleteKey,
  deleteSecret,
  getCertificate,
  getCertificatePolicy,
  getKey,
  getSecret,
  listCertificates,
  listKeys,
  listSecrets,
} from "./vault.js";

// Command names, arguments and context paths as XSOAR's Azure Key Vault (demisto/content
// Packs/AzureKeyVault/Integrations/AzureKeyVault/AzureKeyVault.yml and AzureKeyVault.py, data/xsoar/azure-key-vault.json).

// Key Vault authorizes data-plane calls with Azure RBAC or the vault's access policies, never with the token's
// roles (learn.microsoft.com/azure/key-vault/general/rbac-guide "Azure built-in roles for Key Vault data plane
// operations", …/general/assign-access-policy); the vaults themselves are Resource Manager resources
// (learn.microsoft.com/azure/key-vault/general/rbac-guide "Key Vault Contributor", Reader for reads).
const SECRETS_LIST = {
  rbac: ["Key Vault Reader", "Key Vault Secrets User", "access policy: secrets list"],
} as const;
const SECRETS_GET = { rbac: ["Key Vault Secrets User", "access policy: secrets get"] } as const;
const SECRETS_DELETE = { rbac: ["Key Vault Secrets Officer", "access policy: secrets delete"] } as const;
const KEYS_LIST = {
  rbac: ["Key Vault Reader", "Key Vault Crypto User", "access policy: keys list"],
} as const;
const KEYS_GET = { rbac: ["Key Vault Reader", "Key Vault Crypto User", "access policy: keys get"] } as const;
const KEYS_DELETE = { rbac: ["Key Vault Crypto Officer", "access policy: keys delete"] } as const;
const CERTIFICATES_LIST = {
  rbac: ["Key Vault Reader", "Key Vault Certificate User", "access policy: certificates list"],
} as const;
const CERTIFICATES_GET = {
  rbac: ["Key Vault Reader", "Key Vault Certificate User", "access policy: certificates get"],
} as const;
const VAULTS_READ = {
  resource: "arm",
  delegated: ["user_impersonation"],
  rbac: ["Key Vault Reader", "Reader"],
} as const;
const VAULTS_WRITE = {
  resource: "arm",
  delegated: ["user_impersonation"],
  rbac: ["Key Vault Contributor", "Contributor"],
} as const;
const ARM_READ = { resource: "arm", delegated: ["user_impersonation"], rbac: ["Reader"] } as const;

const subscriptionId = subscriptionIdArgument("default");
const resourceGroupName = resourceGroupArgument({ wording: "default" });
const vaultName = {
  name: "vault_name",
  description: "The key vault's name (default: the instance's Key Vault Name).",
} as const;
const listArguments = [
  vaultName,
  { name: "limit", description: "The most entries to return.", defaultValue: "50" },
  { name: "offset", description: "How many entries to skip first.", defaultValue: "0" },
] as const;

/** XSOAR's context paths of one output prefix, each documented with the table's wording. */
function outputs(
  prefix: string,
  fields: Record<string, [OutputDefinition["type"], string]>,
): OutputDefinition[] {
  return Object.entries(fields).map(([field, [type, description]]) => ({
    path: `${prefix}.${field}`,
    type,
    description,
  }));
}

const attributes = (prefix: string) =>
  outputs(prefix, {
    "attributes.enabled": ["boolean", "Whether it is enabled."],
    "attributes.created": ["date", "When it was created."],
    "attributes.updated": ["date", "When it last changed."],
    "attributes.recoveryLevel": ["string", "Its deletion recovery level."],
  });
const vaultOutputs = [
  ...outputs("AzureKeyVault.KeyVault", {
    id: ["string", "The vault's resource ID."],
    name: ["string", "The vault's name."],
    type: ["string", "The resource type."],
    location: ["string", "Its region."],
    "properties.sku.family": ["string", "SKU family."],
    "properties.sku.name": ["string", "SKU name: standard or premium."],
    "properties.tenantId": ["string", "The tenant that authenticates its requests."],
    "properties.accessPolicies.tenantId": ["string", "An access policy's tenant."],
    "properties.accessPolicies.objectId": [
      "string",
      "An access policy's user, group or application object ID.",
    ],
    "properties.accessPolicies.permissions.keys": ["unknown", "Its key permissions."],
    "properties.accessPolicies.permissions.secrets": ["unknown", "Its secret permissions."],
    "properties.accessPolicies.permissions.certificates": ["unknown", "Its certificate permissions."],
    "properties.enabledForDeployment": ["boolean", "Whether VMs may retrieve its certificates."],
    "properties.enabledForDiskEncryption": ["boolean", "Whether Disk Encryption may use it."],
    "properties.enabledForTemplateDeployment": ["boolean", "Whether ARM templates may read its secrets."],
    "properties.enableSoftDelete": ["boolean", "Whether soft delete is on."],
    "properties.vaultUri": ["string", "Its data-plane URI."],
    "properties.provisioningState": ["string", "Its provisioning state."],
  }),
];
const keyBundleOutputs = [
  ...outputs("AzureKeyVault.Key", {
    "key.kid": ["string", "The key's identifier (with its version)."],
    "key.kty": ["string", "Key type (RSA, EC, …)."],
    "key.key_ops": ["unknown", "Operations the key allows."],
    "key.n": ["string", "RSA modulus."],
    "key.e": ["string", "RSA public exponent."],
  }),
  ...attributes("AzureKeyVault.Key"),
];
const secretOutputs = [
  ...outputs("AzureKeyVault.Secret", { id: ["string", "The secret's identifier."] }),
  ...attributes("AzureKeyVault.Secret"),
];
const permissionArguments = (prefix: string) =>
  (["keys", "secrets", "certificates", "storage"] as const).map((kind) => ({
    name: kind,
    description: `${prefix} ${kind} permissions, comma-separated (get,list,…).`,
  }));

/** Azure Key Vault: key vaults (Resource Manager) and their keys, secrets and certificates (data plane). */
export default defineIntegration({
  id: "azure-key-vault",
  version: packageJson.version,
  displayName: "Azure Key Vault",
  commandPrefix: "azure-key-vault",
  description:
    "Creates, updates, lists and deletes key vaults and their access policies through Azure Resource Manager; reads and deletes the keys, secrets and certificates of any vault of the instance's cloud.",
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
      "Reader on the resource group (Azure RBAC) for azure-key-vault-list and -get; Key Vault Contributor to create, update or delete vaults",
    ],
  },
  commands: {
    "azure-key-vault-create-update": {
      description:
        "Creates a key vault or replaces its settings (Azure Resource Manager), with one access policy for object_id (default permissions: get,list of keys, secrets and certificates).",
      arguments: [
        { ...vaultName, description: "The key vault's name.", required: true },
        { name: "location", description: "Its Azure region.", defaultValue: "westus" },
        { name: "sku_name", description: "standard or premium.", predefined: ["standard", "premium"] },
        {
          name: "object_id",
          description: "The user, group or application object ID of the access policy.",
          required: true,
        },
        ...permissionArguments("The access policy's"),
        {
          name: "enabled_for_deployment",
          description: "VMs may retrieve its certificates.",
          predefined: ["true", "false"],
        },
        {
          name: "enabled_for_disk_encryption",
          description: "Disk Encryption may use it.",
          predefined: ["true", "false"],
        },
        {
          name: "enabled_for_template_deployment",
          description: "ARM templates may read its secrets.",
          predefined: ["true", "false"],
        },
        {
          name: "default_action",
          description: "Network rules' default: Allow or Deny.",
          predefined: ["Allow", "Deny"],
        },
        {
          name: "bypass",
          description: "Traffic that bypasses the network rules.",
          predefined: ["AzureServices", "None"],
        },
        { name: "vnet_subnet_id", description: "A virtual network subnet's resource ID allowed in." },
        {
          name: "ignore_missing_vnet_service_endpoint",
          description: "Accept the subnet before its service endpoint is configured.",
          defaultValue: "true",
        },
        { name: "ip_rules", description: "Allowed IPv4 addresses or ranges, comma-separated." },
        subscriptionId,
        resourceGroupName,
      ],
      outputs: vaultOutputs,
      // Vaults - Create Or Update (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/create-or-update).
      permissions: VAULTS_WRITE,
      run: createOrUpdateVault,
    },
    "azure-key-vault-delete": {
      description: "Deletes a key vault (Azure Resource Manager).",
      arguments: [
        { ...vaultName, required: true, description: "The key vault's name." },
        subscriptionId,
        resourceGroupName,
      ],
      // Vaults - Delete (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/delete).
      permissions: VAULTS_WRITE,
      run: deleteVault,
    },
    "azure-key-vault-get": {
      description: "Shows a key vault's settings (Azure Resource Manager).",
      arguments: [vaultName, subscriptionId, resourceGroupName],
      outputs: vaultOutputs,
      // Vaults - Get (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/get).
      permissions: VAULTS_READ,
      run: getVault,
    },
    "azure-key-vault-list": {
      description: "Lists the subscription's key vaults (Azure Resource Manager).",
      arguments: [
        { name: "limit", description: "The most vaults to list.", defaultValue: "50" },
        { name: "offset", description: "How many vaults to skip first.", defaultValue: "0" },
        subscriptionId,
      ],
      outputs: vaultOutputs,
      // Vaults - List By Subscription (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-subscription).
      permissions: VAULTS_READ,
      run: listVaults,
    },
    "azure-key-vault-access-policy-update": {
      description:
        "Adds, replaces or removes object_id's access policy of a key vault (Azure Resource Manager).",
      arguments: [
        vaultName,
        {
          name: "operation_kind",
          description: "add, remove or replace.",
          required: true,
          predefined: ["add", "remove", "replace"],
        },
        { name: "object_id", description: "The user, group or application object ID.", required: true },
        ...permissionArguments("The"),
        subscriptionId,
        resourceGroupName,
      ],
      outputs: outputs("AzureKeyVault.VaultAccessPolicy", {
        id: ["string", "The access policy resource's ID."],
        type: ["string", "Its resource type."],
        "properties.accessPolicies.tenantId": ["string", "The policy's tenant."],
        "properties.accessPolicies.objectId": ["string", "The policy's object ID."],
        "properties.accessPolicies.permissions.keys": ["unknown", "Key permissions."],
        "properties.accessPolicies.permissions.secrets": ["unknown", "Secret permissions."],
        "properties.accessPolicies.permissions.certificates": ["unknown", "Certificate permissions."],
      }),
      // Vaults - Update Access Policy (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/update-access-policy).
      permissions: VAULTS_WRITE,
      run: updateAccessPolicy,
    },
    "azure-key-vault-key-get": {
      description: "Gets a key's public part and attributes.",
      arguments: [
        vaultName,
        { name: "key_name", description: "The key's name.", required: true },
        { name: "key_version", description: "A version (default: the current one)." },
      ],
      outputs: keyBundleOutputs,
      // Get Key (learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key): "keys/get".
      permissions: KEYS_GET,
      run: getKey,
    },
    "azure-key-vault-key-list": {
      description: "Lists the keys of a vault.",
      arguments: [...listArguments],
      outputs: [
        ...outputs("AzureKeyVault.Key", {
          kid: ["string", "The key's identifier."],
          managed: ["boolean", "msint: whether Key Vault manages it (certificate keys)."],
          "attributes.recoverableDays": ["number", "Days it stays recoverable after deletion."],
        }),
        ...attributes("AzureKeyVault.Key"),
      ],
      // Get Keys (learn.microsoft.com/rest/api/keyvault/keys/get-keys/get-keys): "keys/list".
      permissions: KEYS_LIST,
      run: listKeys,
    },
    "azure-key-vault-key-delete": {
      description: "Deletes a key, every version (recoverable where soft delete is on).",
      arguments: [vaultName, { name: "key_name", description: "The key's name.", required: true }],
      outputs: [
        ...outputs("AzureKeyVault.Key", {
          recoveryId: ["string", "The deleted key's recovery ID."],
          deletedDate: ["date", "When it was deleted."],
        }),
        ...keyBundleOutputs,
      ],
      // Delete Key (learn.microsoft.com/rest/api/keyvault/keys/delete-key/delete-key): "keys/delete".
      permissions: KEYS_DELETE,
      run: deleteKey,
    },
    "azure-key-vault-secret-get": {
      description:
        "Gets a secret with its value (the value goes to the context, not to the readable output).",
      arguments: [
        vaultName,
        { name: "secret_name", description: "The secret's name.", required: true },
        { name: "secret_version", description: "A version (default: the current one)." },
      ],
      outputs: [
        ...outputs("AzureKeyVault.Secret", { value: ["string", "The secret's value."] }),
        ...secretOutputs,
      ],
      // Get Secret (learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret): "secrets/get".
      permissions: SECRETS_GET,
      run: getSecret,
    },
    "azure-key-vault-secret-list": {
      description: "Lists the secrets of a vault (no values).",
      arguments: [...listArguments],
      outputs: [
        ...secretOutputs,
        ...outputs("AzureKeyVault.Secret", {
          "attributes.nbf": ["date", "Not valid before."],
          "attributes.exp": ["date", "Expiry."],
          "attributes.recoverableDays": ["number", "Days it stays recoverable after deletion."],
          contentType: ["string", "msint: the content type."],
        }),
      ],
      // Get Secrets (learn.microsoft.com/rest/api/keyvault/secrets/get-secrets/get-secrets): "secrets/list".
      permissions: SECRETS_LIST,
      run: listSecrets,
    },
    "azure-key-vault-secret-delete": {
      description: "Deletes a secret, every version (recoverable where soft delete is on).",
      arguments: [vaultName, { name: "secret_name", description: "The secret's name.", required: true }],
      outputs: [
        ...outputs("AzureKeyVault.Secret", {
          recoveryId: ["string", "The deleted secret's recovery ID."],
          deletedDate: ["date", "When it was deleted."],
          scheduledPurgeDate: ["date", "When it will be purged."],
        }),
        ...secretOutputs,
      ],
      // Delete Secret (learn.microsoft.com/rest/api/keyvault/secrets/delete-secret/delete-secret): "secrets/delete".
      permissions: SECRETS_DELETE,
      run: deleteSecret,
    },
    "azure-key-vault-certificate-get": {
      description: "Gets a certificate, its public part and policy.",
      arguments: [
        vaultName,
        { name: "certificate_name", description: "The certificate's name.", required: true },
        { name: "certificate_version", description: "A version (default: the current one)." },
      ],
      outputs: [
        ...outputs("AzureKeyVault.Certificate", {
          id: ["string", "The certificate's identifier."],
          kid: ["string", "Its key's identifier."],
          sid: ["string", "Its secret's identifier."],
          x5t: ["string", "Its thumbprint."],
          cer: ["string", "The certificate (DER, base64)."],
          "attributes.exp": ["date", "Expiry."],
          policy: ["unknown", "Its management policy."],
        }),
        ...attributes("AzureKeyVault.Certificate"),
      ],
      // Get Certificate (learn.microsoft.com/rest/api/keyvault/certificates/get-certificate): "certificates/get".
      permissions: CERTIFICATES_GET,
      run: getCertificate,
    },
    "azure-key-vault-certificate-list": {
      description: "Lists the certificates of a vault.",
      arguments: [...listArguments],
      outputs: outputs("AzureKeyVault.Certificate", {
        id: ["string", "The certificate's identifier."],
        x5t: ["string", "Its thumbprint."],
        "attributes.enabled": ["boolean", "Whether it is enabled."],
        "attributes.created": ["date", "When it was created."],
        "attributes.updated": ["date", "When it last changed."],
      }),
      // Get Certificates (learn.microsoft.com/rest/api/keyvault/certificates/get-certificates): "certificates/list".
      permissions: CERTIFICATES_LIST,
      run: listCertificates,
    },
    "azure-key-vault-certificate-policy-get": {
      description: "Gets a certificate's management policy (key, subject, lifetime actions, issuer).",
      arguments: [
        vaultName,
        { name: "certificate_name", description: "The certificate's name.", required: true },
      ],
      outputs: outputs("AzureKeyVault.CertificatePolicy", {
        id: ["string", "The policy's identifier."],
        key_props: ["unknown", "Key properties."],
        x509_props: ["unknown", "X.509 properties (subject, SANs, validity)."],
        lifetime_actions: ["unknown", "Actions taken over the certificate's lifetime."],
        issuer: ["unknown", "The issuer."],
        "attributes.enabled": ["boolean", "Whether it is enabled."],
        "attributes.created": ["date", "When it was created."],
        "attributes.updated": ["date", "When it last changed."],
        CertificateName: ["string", "msint: the certificate's name."],
      }),
      // Get Certificate Policy (learn.microsoft.com/rest/api/keyvault/certificates/get-certificate-policy): "certificates/get".
      permissions: CERTIFICATES_GET,
      run: getCertificatePolicy,
    },
    "azure-key-vault-subscriptions-list": {
      description: "Lists the subscriptions the instance can reach (Azure Resource Manager).",
      outputs: outputs("AzureKeyVault.Subscription", {
        id: ["string", "The subscription's resource ID."],
        displayName: ["string", "Its name."],
        state: ["string", "Its state."],
        subscriptionPolicies: ["unknown", "Its policies."],
        authorizationSource: ["string", "How access was granted."],
        managedByTenants: ["unknown", "Tenants that manage it."],
        tenantId: ["string", "Its tenant."],
      }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list): any role on a subscription.
      permissions: ARM_READ,
      run: listSubscriptions,
    },
    "azure-key-vault-resource-group-list": {
      description: "Lists the subscription's resource groups (Azure Resource Manager).",
      arguments: [
        subscriptionId,
        { name: "limit", description: "The most groups to list.", defaultValue: "50" },
        { name: "tag", description: 'Only groups with this tag: {"name":"value"}.' },
      ],
      outputs: outputs("AzureKeyVault.ResourceGroup", {
        id: ["string", "The group's resource ID."],
        name: ["string", "Its name."],
        location: ["string", "Its region."],
        tags: ["unknown", "Its tags."],
        "properties.provisioningState": ["string", "Its provisioning state."],
      }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list): Reader.
      permissions: ARM_READ,
      run: listResourceGroups,
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
