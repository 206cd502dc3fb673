import { defineIntegration, kustoCluster } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { cancelRunningQuery, executeQuery, listQueries, listRunningQueries } from "./kusto.js";

const databaseArgument = {
  name: "database_name",
  description: "The database to run in.",
  required: true,
} as const;

// Permissions: Kusto tokens carry no app roles; a user's token carries user_impersonation and the rest is the
// database's role assignments (learn.microsoft.com/kusto/access-control/role-based-access-control).
const USER_IMPERSONATION = ["user_impersonation"];

// XSOAR's paging of the query lists.
const listArguments = [
  databaseArgument,
  { name: "client_activity_id", description: "Only the query with this client activity ID." },
  { name: "limit", description: "The most queries to return (without page_size).", defaultValue: "50" },
  { name: "page", description: "The page to return, from 1 (with page_size).", defaultValue: "1" },
  {
    name: "page_size",
    description: "Queries per page; with it, page chooses the page and limit is ignored.",
  },
] as const;

/**
 * Azure Data Explorer: KQL queries and query management on a Kusto cluster.
 * Command and argument names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureDataExplorer/Integrations/AzureDataExplorer/AzureDataExplorer.yml (data/xsoar/azure-data-explorer.json).
 */
export default defineIntegration({
  id: "azure-data-explorer",
  version: packageJson.version,
  displayName: "Azure Data Explorer",
  commandPrefix: "azure-data-explorer",
  description: "Runs KQL queries on an Azure Data Explorer cluster and lists and cancels running queries.",
  flows: {
    xsoarApp: "device",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: false,
    nationalClouds: false,
  },
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code.
  builtInClientId: "a9ce8db2-847a-46af-9bfb-725d8a8d3c53",
  resource: kustoCluster({ application: [".default"], delegated: ["user_impersonation", "offline_access"] }),
  permissions: {
    application: ["Database Viewer (cluster or database permission)"],
    delegated: ["user_impersonation"],
  },
  commands: {
    "azure-data-explorer-search-query-execute": {
      description: "Runs a KQL query on a database.",
      arguments: [
        { name: "query", description: "The KQL query.", required: true },
        databaseArgument,
        { name: "timeout", description: "The server timeout in minutes (0.1-60).", defaultValue: "5" },
        {
          name: "client_activity_id",
          description: "msint only: an ID to find the query again (default: a new GUID).",
        },
      ],
      outputs: [
        { path: "AzureDataExplorer.SearchQueryResults.query", type: "string", description: "The query." },
        {
          path: "AzureDataExplorer.SearchQueryResults.client_activity_id",
          type: "string",
          description: "The query's activity ID.",
        },
        {
          path: "AzureDataExplorer.SearchQueryResults.database_name",
          type: "string",
          description: "The database.",
        },
        {
          path: "AzureDataExplorer.SearchQueryResults.data",
          type: "unknown",
          description: "The result rows.",
        },
      ],
      // Queries need the Viewer role on the database (learn.microsoft.com/kusto/api/rest/request).
      permissions: { delegated: USER_IMPERSONATION, rbac: ["Database Viewer"] },
      run: executeQuery,
    },
    "azure-data-explorer-search-query-list": {
      description: "Lists completed queries (.show queries).",
      arguments: listArguments,
      outputs: [
        {
          path: "AzureDataExplorer.SearchQuery.ClientActivityId",
          type: "string",
          description: "The query's activity ID.",
        },
        { path: "AzureDataExplorer.SearchQuery.Text", type: "string", description: "The query text." },
        { path: "AzureDataExplorer.SearchQuery.State", type: "string", description: "Completed, Failed …" },
        { path: "AzureDataExplorer.SearchQuery.StartedOn", type: "date", description: "When it started." },
      ],
      // learn.microsoft.com/kusto/management/show-queries-command: a Viewer sees its own queries, a Database
      // Admin or Monitor everyone's.
      permissions: {
        delegated: USER_IMPERSONATION,
        rbac: ["Database Viewer (own queries)", "Database Admin or Database Monitor (all queries)"],
      },
      run: listQueries,
    },
    "azure-data-explorer-running-search-query-list": {
      description: "Lists running queries (.show running queries).",
      arguments: listArguments,
      outputs: [
        {
          path: "AzureDataExplorer.RunningSearchQuery.ClientActivityId",
          type: "string",
          description: "The query's activity ID.",
        },
        { path: "AzureDataExplorer.RunningSearchQuery.Text", type: "string", description: "The query text." },
        { path: "AzureDataExplorer.RunningSearchQuery.User", type: "string", description: "Who runs it." },
      ],
      // learn.microsoft.com/kusto/management/show-running-queries-command
      permissions: {
        delegated: USER_IMPERSONATION,
        rbac: ["Database Viewer (own queries)", "Database Admin or Database Monitor (all queries)"],
      },
      run: listRunningQueries,
    },
    "azure-data-explorer-running-search-query-cancel": {
      description: "Cancels a running query (.cancel query).",
      arguments: [
        databaseArgument,
        { name: "client_activity_id", description: "The running query's activity ID.", required: true },
        { name: "reason", description: "Why it is cancelled." },
      ],
      outputs: [
        {
          path: "AzureDataExplorer.CanceledSearchQuery.RunningQueryCanceled",
          type: "boolean",
          description: "Whether it was cancelled.",
        },
        {
          path: "AzureDataExplorer.CanceledSearchQuery.ClientRequestId",
          type: "string",
          description: "The query's activity ID.",
        },
      ],
      // learn.microsoft.com/kusto/management/cancel-query-command: the principal that started the query, or a
      // Database Admin.
      permissions: { delegated: USER_IMPERSONATION, rbac: ["Database Admin (or the query's own principal)"] },
      run: cancelRunningQuery,
    },
  },
  async test({ api }) {
    await api.request({
      expect: "object",
      method: "POST",
      path: "/v1/rest/mgmt",
      body: { db: "", csl: ".show version" },
    });
  },
});
