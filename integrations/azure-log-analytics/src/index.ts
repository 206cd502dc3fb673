import {
  armScopeArguments,
  azureResourceManager,
  defineIntegration,
  logAnalytics,
  resourceGroupParameter,
  subscriptionIdParameter,
  validators,
  workspaceNameParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  listResourceGroups,
  listSavedSearches,
  listSubscriptions,
  listWorkspaces,
  testWorkspace,
} from "./management.js";
import { executeQuery, listTables, testQuery } from "./query.js";

// The query API: a user's token needs the delegated Data.Read of the "Log Analytics API"; an application needs no
// API permission, only an Azure role that may read the workspace (learn.microsoft.com/azure/azure-monitor/logs/api/
// register-app-for-token, learn.microsoft.com/azure/azure-monitor/logs/manage-access).
const QUERY = {
  delegated: ["Data.Read"],
  rbac: ["Log Analytics Reader", "Reader"],
} as const;
// Workspaces and saved searches are Resource Manager resources: Azure RBAC, delegated user_impersonation of Azure
// Service Management.
const MANAGEMENT = {
  resource: "arm",
  delegated: ["user_impersonation"],
  rbac: ["Log Analytics Reader", "Reader"],
} as const;

/**
 * Azure Log Analytics: KQL queries against a Log Analytics workspace through the Log Analytics query API.
 * Command, argument and output names and the broker app name are XSOAR's, from demisto/content
 * Packs/AzureLogAnalytics/Integrations/AzureLogAnalytics/AzureLogAnalytics.yml (data/xsoar/azure-log-analytics.json).
 */
export default defineIntegration({
  id: "azure-log-analytics",
  version: packageJson.version,
  displayName: "Azure Log Analytics",
  commandPrefix: "azure-log-analytics",
  description:
    "Runs KQL queries on a Log Analytics workspace and lists its tables; lists workspaces and saved searches through Azure Resource Manager.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: true,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-azure-log-analytics",
  resource: logAnalytics({ application: [".default"], delegated: ["Data.Read", "offline_access"] }),
  // Workspaces and saved searches are managed through Azure Resource Manager, with a token of its own.
  additionalResources: { arm: azureResourceManager() },
  permissions: {
    application: ["Log Analytics Reader (Azure RBAC role on the workspace)"],
    delegated: ["Data.Read", "Azure Service Management user_impersonation"],
  },
  parameters: [
    {
      key: "workspaceID",
      displayName: "Workspace ID",
      type: "string",
      help: "The workspace's ID (a GUID): Azure Portal > Log Analytics workspaces > your workspace > Overview > Workspace ID. Its Overview tab also shows the Resource group and Subscription ID.",
      validate: validators.noStraySpace,
    },
    subscriptionIdParameter("subscriptionID", "Subscription ID"),
    resourceGroupParameter("resourceGroupName", "Resource Group Name"),
    workspaceNameParameter("workspaceName", "Workspace Name"),
  ],
  commands: {
    "azure-log-analytics-execute-query": {
      description: "Runs a KQL query on the workspace.",
      arguments: [
        { name: "query", description: "The KQL query, e.g. SecurityEvent | take 10.", required: true },
        { name: "timespan", description: "An ISO 8601 duration or interval the query covers, e.g. P1D." },
        { name: "workspace_id", description: "Another workspace than the instance's." },
        {
          name: "timeout",
          description: "Seconds the service may run the query (sent as Prefer: wait=<seconds>).",
          defaultValue: "10",
        },
      ],
      outputs: [
        { path: "AzureLogAnalytics.Query.Query", type: "string", description: "The query." },
        {
          path: "AzureLogAnalytics.Query.TableName",
          type: "string",
          description: "The result table's name.",
        },
        { path: "AzureLogAnalytics.Query.Data", type: "unknown", description: "The rows, as objects." },
      ],
      // Query - Execute (POST /v1/workspaces/{workspaceId}/query,
      // learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute).
      permissions: QUERY,
      run: executeQuery,
    },
    "azure-log-analytics-workspace-list": {
      description: "Lists the resource group's Log Analytics workspaces (Azure Resource Manager).",
      arguments: [
        ...armScopeArguments("override"),
        {
          name: "limit",
          description: "msint only (XSOAR lists them all): the most workspaces to list (1-500).",
          defaultValue: "50",
        },
      ],
      outputs: [
        { path: "AzureLogAnalytics.Workspace.name", type: "string", description: "The workspace's name." },
        {
          path: "AzureLogAnalytics.Workspace.customerId",
          type: "string",
          description: "Its Workspace ID, for queries.",
        },
        { path: "AzureLogAnalytics.Workspace.location", type: "string", description: "Its region." },
      ],
      // Workspaces - List By Resource Group (learn.microsoft.com/rest/api/loganalytics/workspaces/list-by-resource-group).
      permissions: MANAGEMENT,
      run: listWorkspaces,
    },
    "azure-log-analytics-list-saved-searches": {
      description: "Lists the workspace's saved searches (Azure Resource Manager).",
      arguments: [
        ...armScopeArguments("override"),
        { name: "workspace_name", description: "Another workspace than the instance's." },
        { name: "limit", description: "The most saved searches per page (1-500).", defaultValue: "50" },
        {
          name: "page",
          description: "The page to return, from 0 (pages of limit saved searches).",
          defaultValue: "0",
        },
      ],
      outputs: [
        { path: "AzureLogAnalytics.SavedSearch.id", type: "string", description: "The saved search's ID." },
        { path: "AzureLogAnalytics.SavedSearch.category", type: "string", description: "Its category." },
        { path: "AzureLogAnalytics.SavedSearch.displayName", type: "string", description: "Its name." },
        { path: "AzureLogAnalytics.SavedSearch.query", type: "string", description: "Its KQL query." },
      ],
      // Saved Searches - List By Workspace (learn.microsoft.com/rest/api/loganalytics/saved-searches/list-by-workspace).
      permissions: MANAGEMENT,
      run: listSavedSearches,
    },
    "azure-log-analytics-list-tables": {
      description: "msint only: lists the workspace's tables and their columns (the metadata API).",
      arguments: [{ name: "workspace_id", description: "Another workspace than the instance's." }],
      outputs: [
        { path: "AzureLogAnalytics.Table.name", type: "string", description: "The table's name." },
        { path: "AzureLogAnalytics.Table.columns", type: "unknown", description: "Its columns." },
      ],
      // Metadata - Get (GET /v1/workspaces/{workspaceId}/metadata,
      // learn.microsoft.com/rest/api/loganalytics/dataaccess/metadata/get).
      permissions: QUERY,
      run: listTables,
    },
    "azure-log-analytics-subscriptions-list": {
      description: "Lists the subscriptions the identity can see (Azure Resource Manager).",
      outputs: [
        {
          path: "AzureLogAnalytics.Subscription.subscriptionId",
          type: "string",
          description: "The subscription ID.",
        },
        { path: "AzureLogAnalytics.Subscription.displayName", type: "string", description: "Its name." },
        { path: "AzureLogAnalytics.Subscription.state", type: "string", description: "Enabled, Disabled …" },
      ],
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { resource: "arm", delegated: ["user_impersonation"], rbac: ["Reader"] },
      run: listSubscriptions,
    },
    "azure-log-analytics-resource-group-list": {
      description: "Lists the resource groups of the subscription (Azure Resource Manager).",
      arguments: [
        { name: "subscription_id", description: "Another subscription than the instance's." },
        { name: "limit", description: "The most groups to return (1-1000).", defaultValue: "50" },
        { name: "tag", description: 'Only groups with this tag, as {"key":"value"}.' },
      ],
      outputs: [
        { path: "AzureLogAnalytics.ResourceGroup.name", type: "string", description: "The group's name." },
        { path: "AzureLogAnalytics.ResourceGroup.location", type: "string", description: "Its region." },
        { path: "AzureLogAnalytics.ResourceGroup.tags", type: "unknown", description: "Its tags." },
      ],
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { resource: "arm", delegated: ["user_impersonation"], rbac: ["Reader"] },
      run: listResourceGroups,
    },
  },
  // A one-row query of the workspace, then the workspace's Resource Manager resource.
  async test(context) {
    await testQuery(context);
    await testWorkspace(context);
  },
  testPermissions: [QUERY, MANAGEMENT],
});
