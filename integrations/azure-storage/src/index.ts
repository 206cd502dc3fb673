import {
  armScopeArguments,
  azureResourceManager,
  defineIntegration,
  resourceGroupListCommand,
  resourceGroupParameter,
  subscriptionIdParameter,
  subscriptionsListCommand,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  createBlobContainer,
  deleteBlobContainer,
  getBlobServiceProperties,
  listAccounts,
  listBlobContainers,
  STORAGE_MANAGEMENT_API_VERSION,
} from "./storage-accounts.js";

const scope = armScopeArguments();

// Azure RBAC roles with the read actions of Microsoft.Storage's management plane, least privileged first.
const STORAGE_READ = { rbac: ["Reader", "Storage Account Contributor"] } as const;

/**
 * Azure Storage (Azure Storage Management): storage accounts and blob services through Azure Resource Manager.
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureStorage/Integrations/AzureStorage/AzureStorage.yml (data/xsoar/azure-storage.json).
 */
export default defineIntegration({
  id: "azure-storage",
  version: packageJson.version,
  displayName: "Azure Storage",
  commandPrefix: "azure-storage",
  description:
    "Lists storage accounts, their blob service properties and blob containers (management plane).",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "55f9764e-300a-474a-a2bb-549cece85439",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: {
    application: ["Storage Account Contributor (Azure RBAC role)"],
    delegated: ["user_impersonation"],
  },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-storage-account-list": {
      description: "Lists the storage accounts of the resource group, or gets one.",
      arguments: [{ name: "account_name", description: "Get only this storage account." }, ...scope],
      outputs: [
        { path: "AzureStorage.StorageAccount.id", type: "string", description: "The account's resource ID." },
        { path: "AzureStorage.StorageAccount.name", type: "string", description: "The account's name." },
        { path: "AzureStorage.StorageAccount.kind", type: "string", description: "StorageV2, BlobStorage …" },
        {
          path: "AzureStorage.StorageAccount.location",
          type: "string",
          description: "The account's region.",
        },
        { path: "AzureStorage.StorageAccount.sku.name", type: "string", description: "The account's SKU." },
        {
          path: "AzureStorage.StorageAccount.properties.allowBlobPublicAccess",
          type: "boolean",
          description: "Whether blobs may be public.",
        },
        {
          path: "AzureStorage.StorageAccount.properties.minimumTlsVersion",
          type: "string",
          description: "The minimum TLS version.",
        },
      ],
      // Storage Accounts - List By Resource Group / Get Properties
      // (learn.microsoft.com/rest/api/storagerp/storage-accounts/list-by-resource-group) need
      // Microsoft.Storage/storageAccounts/read (learn.microsoft.com/azure/role-based-access-control/permissions/storage):
      // Reader, Storage Account Contributor.
      permissions: STORAGE_READ,
      run: listAccounts,
    },
    "azure-storage-blob-service-properties-get": {
      description: "Gets the blob service properties of a storage account (versioning, soft delete …).",
      arguments: [
        { name: "account_name", description: "The storage account's name.", required: true },
        ...scope,
      ],
      outputs: [
        {
          path: "AzureStorage.BlobServiceProperties.id",
          type: "string",
          description: "The blob service's resource ID.",
        },
        {
          path: "AzureStorage.BlobServiceProperties.properties.isVersioningEnabled",
          type: "boolean",
          description: "Blob versioning.",
        },
        {
          path: "AzureStorage.BlobServiceProperties.properties.deleteRetentionPolicy.enabled",
          type: "boolean",
          description: "Blob soft delete.",
        },
      ],
      // Blob Services - Get Service Properties (learn.microsoft.com/rest/api/storagerp/blob-services/get-service-properties):
      // Microsoft.Storage/storageAccounts/blobServices/read.
      permissions: STORAGE_READ,
      run: getBlobServiceProperties,
    },
    "azure-storage-blob-containers-list": {
      description: "Lists the blob containers of a storage account.",
      arguments: [
        { name: "account_name", description: "The storage account's name.", required: true },
        { name: "container_name", description: "Get only this blob container." },
        {
          name: "include_deleted",
          description: "true to include soft-deleted containers.",
          predefined: ["true", "false"],
        },
        { name: "maxpagesize", description: "The most containers to return (1-1000).", defaultValue: "50" },
        ...scope,
      ],
      outputs: [
        { path: "AzureStorage.BlobContainer.name", type: "string", description: "The container's name." },
        {
          path: "AzureStorage.BlobContainer.properties.publicAccess",
          type: "string",
          description: "None, Blob or Container.",
        },
        {
          path: "AzureStorage.BlobContainer.properties.lastModifiedTime",
          type: "date",
          description: "When it last changed.",
        },
      ],
      // Blob Containers - List (learn.microsoft.com/rest/api/storagerp/blob-containers/list):
      // Microsoft.Storage/storageAccounts/blobServices/containers/read.
      permissions: STORAGE_READ,
      run: listBlobContainers,
    },
    "azure-storage-blob-containers-create": {
      description: "Creates a blob container in a storage account.",
      arguments: [
        { name: "account_name", description: "The storage account's name.", required: true },
        {
          name: "container_name",
          description: "The container's name (3-63 lower-case letters, digits, -).",
          required: true,
        },
        { name: "default_encryption_scope", description: "The encryption scope of the container's blobs." },
        {
          name: "deny_encryption_scope_override",
          description: "true to keep blobs from using another encryption scope.",
          predefined: ["true", "false"],
        },
        {
          name: "public_access",
          description: "Public access to the container.",
          predefined: ["Blob", "Container", "None"],
        },
        ...scope,
      ],
      outputs: [
        {
          path: "AzureStorage.BlobContainer.id",
          type: "string",
          description: "The container's resource ID.",
        },
        { path: "AzureStorage.BlobContainer.name", type: "string", description: "The container's name." },
        { path: "AzureStorage.BlobContainer.type", type: "string", description: "The resource type." },
      ],
      // Blob Containers - Create (learn.microsoft.com/rest/api/storagerp/blob-containers/create):
      // Microsoft.Storage/storageAccounts/blobServices/containers/write, held by Storage Account Contributor.
      permissions: { rbac: ["Storage Account Contributor", "Contributor"] },
      run: createBlobContainer,
    },
    "azure-storage-blob-container-delete": {
      description: "Deletes a blob container of a storage account.",
      arguments: [
        { name: "account_name", description: "The storage account's name.", required: true },
        { name: "container_name", description: "The container's name.", required: true },
        ...scope,
      ],
      // Blob Containers - Delete (learn.microsoft.com/rest/api/storagerp/blob-containers/delete):
      // Microsoft.Storage/storageAccounts/blobServices/containers/delete.
      permissions: { rbac: ["Storage Account Contributor", "Contributor"] },
      run: deleteBlobContainer,
    },
    "azure-storage-subscriptions-list": {
      ...subscriptionsListCommand({
        outputsPrefix: "AzureStorage.Subscription",
        title: "Subscriptions List",
      }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-storage-resource-group-list": {
      ...resourceGroupListCommand({
        outputsPrefix: "AzureStorage.ResourceGroup",
        title: "Resource Groups List",
      }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // The test lists the default resource group's storage accounts (Microsoft.Storage/storageAccounts/read);
  // without a default subscription and group, -test reads the subscriptions list instead.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    const group = params["resource_group_name"];
    if (typeof subscription !== "string" || !subscription || typeof group !== "string" || !group) return;
    await api.get(
      `/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Storage/storageAccounts`,
      { "api-version": STORAGE_MANAGEMENT_API_VERSION },
      { expect: "collection" },
    );
  },
});
