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
import { listAuditPolicies, listDatabases, listServers, SQL_API_VERSION } from "./sql.js";

const scope = armScopeArguments();

// XSOAR's paging of the list commands: how many entries to skip, then at most limit.
const paging = [
  { name: "limit", description: "The most entries to return (1-1000).", defaultValue: "50" },
  { name: "offset", description: "How many entries to skip before the first returned.", defaultValue: "0" },
] as const;

/**
 * Azure SQL Management: Azure SQL servers, databases and auditing settings through Azure Resource Manager.
 * Command, argument and output names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureSQLManagement/Integrations/AzureSQLManagement/AzureSQLManagement.yml
 * (data/xsoar/azure-sql-management.json).
 */
export default defineIntegration({
  id: "azure-sql-management",
  version: packageJson.version,
  displayName: "Azure SQL Management",
  commandPrefix: "azure-sql",
  description: "Lists Azure SQL servers and databases and reads database auditing settings.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  // XSOAR's "Application ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "8f9010bb-4efe-4cfa-a197-98a2694b7e0c",
  // Resource Manager's entry under "API permissions" of an app registration (delegated user_impersonation).
  resource: {
    ...azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
    permissionsApi: "Azure Service Management",
  },
  permissions: { application: ["SQL Security Manager (Azure RBAC role)"], delegated: ["user_impersonation"] },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-sql-servers-list": {
      description:
        "Lists the SQL servers of the subscription (or of the resource group with list_by_resource_group=true).",
      arguments: [
        ...paging,
        ...scope,
        {
          name: "list_by_resource_group",
          description: "true to list only the resource group's servers.",
          defaultValue: "false",
          predefined: ["true", "false"],
        },
      ],
      outputs: [
        { path: "AzureSQL.Server.id", type: "string", description: "The server's resource ID." },
        { path: "AzureSQL.Server.name", type: "string", description: "The server's name." },
        { path: "AzureSQL.Server.location", type: "string", description: "The server's region." },
        { path: "AzureSQL.Server.kind", type: "string", description: "The server's kind." },
        {
          path: "AzureSQL.Server.properties.fullyQualifiedDomainName",
          type: "string",
          description: "The server's FQDN.",
        },
        {
          path: "AzureSQL.Server.properties.administratorLogin",
          type: "string",
          description: "The administrator login.",
        },
        { path: "AzureSQL.Server.properties.state", type: "string", description: "The server's state." },
      ],
      // Servers - List / List By Resource Group (learn.microsoft.com/rest/api/sql/servers/list) need
      // Microsoft.Sql/servers/read (learn.microsoft.com/azure/role-based-access-control/permissions/databases):
      // Reader, SQL Server Contributor.
      permissions: { rbac: ["Reader", "SQL Server Contributor"] },
      run: listServers,
    },
    "azure-sql-db-list": {
      description: "Lists the databases of a server.",
      arguments: [
        { name: "server_name", description: "The SQL server's name.", required: true },
        ...paging,
        ...scope,
      ],
      outputs: [
        { path: "AzureSQL.DB.id", type: "string", description: "The database's resource ID." },
        { path: "AzureSQL.DB.name", type: "string", description: "The database's name." },
        { path: "AzureSQL.DB.properties.status", type: "string", description: "The database's status." },
        { path: "AzureSQL.DB.sku.name", type: "string", description: "The database's SKU." },
      ],
      // Databases - List By Server (learn.microsoft.com/rest/api/sql/databases/list-by-server):
      // Microsoft.Sql/servers/databases/read.
      permissions: { rbac: ["Reader", "SQL Server Contributor"] },
      run: listDatabases,
    },
    "azure-sql-db-audit-policy-list": {
      description: "Lists the auditing settings of a database.",
      arguments: [
        { name: "server_name", description: "The SQL server's name.", required: true },
        { name: "db_name", description: "The database's name.", required: true },
        ...paging,
        ...scope,
      ],
      outputs: [
        {
          path: "AzureSQL.DBAuditPolicy.id",
          type: "string",
          description: "The auditing setting's resource ID.",
        },
        {
          path: "AzureSQL.DBAuditPolicy.properties.state",
          type: "string",
          description: "Enabled or Disabled.",
        },
        {
          path: "AzureSQL.DBAuditPolicy.properties.retentionDays",
          type: "number",
          description: "Days audit logs are kept.",
        },
        {
          path: "AzureSQL.DBAuditPolicy.properties.auditActionsAndGroups",
          type: "unknown",
          description: "Audited actions.",
        },
      ],
      // Database Blob Auditing Policies - List By Database
      // (learn.microsoft.com/rest/api/sql/database-blob-auditing-policies/list-by-database):
      // Microsoft.Sql/servers/databases/auditingSettings/read, held by Reader and SQL Security Manager.
      permissions: { rbac: ["Reader", "SQL Security Manager"] },
      run: listAuditPolicies,
    },
    "azure-sql-subscriptions-list": {
      ...subscriptionsListCommand({ outputsPrefix: "AzureSQL.Subscription", title: "Subscriptions List" }),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list) answers the subscriptions
      // the identity holds any role on, Reader at least.
      permissions: { rbac: ["Reader"] },
    },
    "azure-sql-resource-group-list": {
      ...resourceGroupListCommand({ outputsPrefix: "AzureSQL.ResourceGroup", title: "Resource Groups List" }),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list):
      // Microsoft.Resources/subscriptions/resourceGroups/read, held by Reader.
      permissions: { rbac: ["Reader"] },
    },
  },
  // The test lists the default resource group's SQL servers (Microsoft.Sql/servers/read); without a default
  // subscription and group, -test reads the subscriptions list instead.
  testPermissions: { rbac: ["Reader"] },
  async test({ api, params }) {
    const subscription = params["subscription_id"];
    const group = params["resource_group_name"];
    if (typeof subscription !== "string" || !subscription || typeof group !== "string" || !group) return;
    await api.get(
      `/subscriptions/${encodeURIComponent(subscription)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Sql/servers`,
      { "api-version": SQL_API_VERSION },
      { expect: "collection" },
    );
  },
});
