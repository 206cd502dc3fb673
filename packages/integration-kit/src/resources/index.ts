// The resources an integration's API can live on, one module per kind, and the helpers their commands share.

export {
  armScopeArguments,
  azureResourceManager,
  type ListLayout,
  RESOURCE_GROUPS_API_VERSION,
  RESOURCE_MANAGER_URL_PARAMETER,
  resourceGroupArgument,
  resourceGroupListCommand,
  resourceGroupParameter,
  resourceGroupPath,
  resourceGroupsPath,
  resourceGroupTagFilter,
  type ScopeWording,
  SUBSCRIPTIONS_API_VERSION,
  subscriptionIdArgument,
  subscriptionIdParameter,
  subscriptionPath,
  subscriptionsListCommand,
  workspaceNameParameter,
} from "./arm.js";
export {
  argumentOrParameter,
  type CollectionPage,
  collectPages,
  limitArgument,
  qualifyScope,
  type ScopeOptions,
} from "./common.js";
export {
  CLOUD_APPS_ENDPOINT_TYPE_PARAMETER,
  CLOUD_APPS_RESOURCE_ID,
  CLOUD_APPS_URL_PARAMETER,
  DEFENDER_ENDPOINT_TYPE_PARAMETER,
  defenderForCloudApps,
  defenderForEndpoint,
  MICROSOFT_365_DEFENDER_AUDIENCE,
  MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER,
  microsoft365Defender,
} from "./defender.js";
export { AZURE_DEVOPS_ORGANIZATION_PARAMETER, AZURE_DEVOPS_RESOURCE_ID, azureDevOps } from "./devops.js";
export { graph } from "./graph.js";
export { KEY_VAULT_NAME_PARAMETER, keyVault, keyVaultApi, keyVaultUrl } from "./key-vault.js";
export { KUSTO_CLUSTER_URL_PARAMETER, kustoCluster } from "./kusto.js";
export { logAnalytics } from "./log-analytics.js";
export { office365Management } from "./office-365.js";
export {
  listStorageEntries,
  STORAGE_API_VERSION,
  STORAGE_AUDIENCE,
  STORAGE_MAX_RESULTS,
  type StorageListing,
  type StorageService,
  storage,
  storageName,
  storageXml,
} from "./storage.js";
