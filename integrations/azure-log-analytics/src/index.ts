import { defineIntegration, logAnalytics, validators } from "@msint/integration-kit";
import { executeQuery, listTables } from "./query.js";

/** Azure Log Analytics: KQL queries against a Log Analytics workspace through the Log Analytics query API. */
export default defineIntegration({
  id: "azure-log-analytics",
  displayName: "Azure Log Analytics",
  commandPrefix: "azure-log-analytics",
  description: "Runs KQL queries on a Log Analytics workspace and lists its tables.",
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
  permissions: {
    application: ["Log Analytics Reader (Azure RBAC role on the workspace)"],
    delegated: ["Data.Read"],
  },
  parameters: [
    {
      key: "workspaceID",
      displayName: "Workspace ID",
      type: "string",
      help: "The workspace's ID (a GUID): Azure Portal > Log Analytics workspaces > your workspace > Overview > Workspace ID. Its Overview tab also shows the Resource group and Subscription ID.",
      validate: validators.noStraySpace,
    },
  ],
  commands: {
    "azure-log-analytics-execute-query": {
      description: "Runs a KQL query on the workspace.",
      arguments: [
        { name: "query", description: "The KQL query, e.g. SecurityEvent | take 10.", required: true },
        { name: "timespan", description: "An ISO 8601 duration or interval the query covers, e.g. P1D." },
        { name: "workspace_id", description: "Another workspace than the instance's." },
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
      run: executeQuery,
    },
    "azure-log-analytics-list-tables": {
      description: "Lists the workspace's tables and their columns (the metadata API).",
      arguments: [{ name: "workspace_id", description: "Another workspace than the instance's." }],
      outputs: [
        { path: "AzureLogAnalytics.Table.name", type: "string", description: "The table's name." },
        { path: "AzureLogAnalytics.Table.columns", type: "unknown", description: "Its columns." },
      ],
      run: listTables,
    },
  },
});
