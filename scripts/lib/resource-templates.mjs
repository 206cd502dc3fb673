// What `pnpm gen integration` writes for each resource helper of @msint/integration-kit: the helper call, the
// instance parameters it needs, a first real command, and how the generated test serves and checks it.

/**
 * @typedef {object} ResourceTemplate
 * @property {string} label          Shown in the generator's choice list.
 * @property {string} helper         The kit export to import.
 * @property {string} call           The `resource:` expression.
 * @property {string[]} [extraImports] More kit exports the manifest uses.
 * @property {string} [parameters]   The `parameters:` expression of the manifest, if any.
 * @property {Record<string, string>} testParams  Instance parameters of the generated test.
 * @property {{ suffix: string, doc?: string, description: string, method: string, path: string, query?: string, body?: string, headers?: string, listKey?: string, title: string }} command
 * @property {{ resources?: Record<string, string[]>, routeResource?: string, route?: string, host: string, path: string, fake?: boolean, roles?: string[] }} test
 */

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";

/** @type {Record<string, ResourceTemplate>} */
export const RESOURCE_TEMPLATES = {
  graph: {
    label: "Microsoft Graph (graph)",
    helper: "graph",
    call: 'graph({ application: [".default"], delegated: ["User.Read.All", "offline_access"] })',
    testParams: {},
    command: {
      suffix: "users-list",
      description: "Lists the users of the tenant.",
      method: "GET",
      path: '"/v1.0/users"',
      query: '{ $top: limit, $select: "id,displayName,userPrincipalName" }',
      listKey: "value",
      title: "Users",
    },
    test: { host: "graph.microsoft.com", path: "/v1.0/users", roles: ["User.Read.All"] },
  },
  arm: {
    label: "Azure Resource Manager (azureResourceManager)",
    helper: "azureResourceManager",
    call: 'azureResourceManager({ delegated: ["user_impersonation", "offline_access"] })',
    extraImports: ["subscriptionIdParameter"],
    parameters: "[subscriptionIdParameter()]",
    testParams: { subscription_id: SUBSCRIPTION },
    command: {
      suffix: "resource-group-list",
      doc: "/subscriptions/{subscription_id}/resourcegroups",
      description: "Lists the resource groups of the subscription.",
      method: "GET",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source written into the generated package
      path: '`/subscriptions/${encodeURIComponent(String(context.params["subscription_id"] ?? ""))}/resourcegroups`',
      query: '{ "api-version": "2021-04-01", $top: limit }',
      listKey: "value",
      title: "Resource Groups",
    },
    test: {
      routeResource: "arm",
      route: "/subscriptions/:sub/resourcegroups",
      host: "management.azure.com",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
    },
  },
  "log-analytics": {
    label: "Log Analytics query API (logAnalytics)",
    helper: "logAnalytics",
    call: "logAnalytics()",
    parameters:
      '[{ key: "workspace_id", displayName: "Workspace ID", type: "string", help: "The workspace ID (Azure Portal > Log Analytics workspaces > Overview)." }]',
    testParams: { workspace_id: "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f" },
    command: {
      suffix: "tables-list",
      doc: "/v1/workspaces/{workspace_id}/metadata",
      description: "Lists the workspace's tables (the metadata API).",
      method: "GET",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source written into the generated package
      path: '`/v1/workspaces/${encodeURIComponent(String(context.params["workspace_id"] ?? ""))}/metadata`',
      listKey: "tables",
      title: "Tables",
    },
    test: {
      resources: { "log-analytics": ["https://api.loganalytics.io"] },
      routeResource: "log-analytics",
      route: "/v1/workspaces/:id/metadata",
      host: "api.loganalytics.io",
      path: "/v1/workspaces/b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f/metadata",
    },
  },
  "key-vault": {
    label: "Azure Key Vault data plane (keyVault)",
    helper: "keyVault",
    call: "keyVault()",
    testParams: { vault_name: "soc-vault" },
    command: {
      suffix: "secret-list",
      description: "Lists the vault's secrets (no values).",
      method: "GET",
      path: '"/secrets"',
      query: '{ "api-version": "7.4", maxresults: Math.min(limit, 25) }',
      listKey: "value",
      title: "Secrets",
    },
    test: {
      resources: { "key-vault": ["https://vault.azure.net"] },
      routeResource: "key-vault",
      route: "/secrets",
      host: "soc-vault.vault.azure.net",
      path: "/secrets",
    },
  },
  "storage-table": {
    label: 'Azure Table Storage (storage("table"))',
    helper: "storage",
    call: 'storage("table")',
    testParams: {
      account_name: "socstorage",
      sas_token: "sv=2020-10-02&ss=t&srt=sco&sp=rl&sig=c2lnbmF0dXJl",
    },
    command: {
      suffix: "tables-list",
      description: "Lists the tables of the storage account.",
      method: "GET",
      path: '"/Tables"',
      query: "{ $top: limit }",
      headers: '{ accept: "application/json;odata=nometadata" }',
      listKey: "value",
      title: "Tables",
    },
    test: { fake: true, host: "socstorage.table.core.windows.net", path: "/Tables" },
  },
  kusto: {
    label: "Azure Data Explorer cluster (kustoCluster)",
    helper: "kustoCluster",
    call: "kustoCluster()",
    testParams: { cluster_url: "https://help.kusto.windows.net" },
    command: {
      suffix: "databases-list",
      description: "Lists the cluster's databases (.show databases).",
      method: "POST",
      path: '"/v1/rest/mgmt"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source written into the generated package
      body: '{ db: "", csl: `.show databases | take ${limit}` }',
      listKey: "Tables",
      title: "Result tables",
    },
    test: {
      resources: { kusto: ["https://help.kusto.windows.net"] },
      routeResource: "kusto",
      route: "/v1/rest/mgmt",
      host: "help.kusto.windows.net",
      path: "/v1/rest/mgmt",
    },
  },
  "azure-devops": {
    label: "Azure DevOps (azureDevOps)",
    helper: "azureDevOps",
    call: "azureDevOps()",
    testParams: { organization: "contoso" },
    command: {
      suffix: "project-list",
      description: "Lists the organization's projects.",
      method: "GET",
      path: '"/_apis/projects"',
      query: '{ "api-version": "7.1", $top: limit }',
      listKey: "value",
      title: "Projects",
    },
    test: {
      resources: { "azure-devops": ["499b84ac-1321-427f-aa17-267ca6975798"] },
      routeResource: "azure-devops",
      route: "/:org/_apis/projects",
      host: "dev.azure.com",
      path: "/contoso/_apis/projects",
    },
  },
  "defender-for-endpoint": {
    label: "Microsoft Defender for Endpoint API by Endpoint Type (defenderForEndpoint)",
    helper: "defenderForEndpoint",
    call: "defenderForEndpoint()",
    testParams: {},
    command: {
      suffix: "machines-list",
      description: "Lists the onboarded machines.",
      method: "GET",
      path: '"/api/machines"',
      query: "{ $top: limit }",
      listKey: "value",
      title: "Machines",
    },
    test: {
      resources: { "defender-for-endpoint": ["https://securitycenter.onmicrosoft.com/windowsatpservice"] },
      routeResource: "defender-for-endpoint",
      route: "/api/machines",
      host: "api.securitycenter.microsoft.com",
      path: "/api/machines",
    },
  },
  "defender-for-cloud-apps": {
    label: "Microsoft Defender for Cloud Apps (defenderForCloudApps)",
    helper: "defenderForCloudApps",
    call: "defenderForCloudApps()",
    testParams: { url: "https://contoso.us3.portal.cloudappsecurity.com" },
    command: {
      suffix: "alerts-list",
      description: "Lists alerts.",
      method: "POST",
      path: '"/api/v1/alerts/"',
      body: "{ filters: {}, skip: 0, limit }",
      listKey: "data",
      title: "Alerts",
    },
    test: {
      resources: { "cloud-apps": ["05a65629-4c1b-48c1-a78b-804c4abdd4af"] },
      routeResource: "cloud-apps",
      route: "/api/v1/alerts/",
      host: "contoso.us3.portal.cloudappsecurity.com",
      path: "/api/v1/alerts/",
    },
  },
  "microsoft-365-defender": {
    label: "Microsoft 365 Defender API (microsoft365Defender)",
    helper: "microsoft365Defender",
    call: "microsoft365Defender()",
    testParams: {},
    command: {
      suffix: "incidents-list",
      description: "Lists incidents, newest first.",
      method: "GET",
      path: '"/api/incidents"',
      query: '{ $top: limit, $orderby: "createdTime desc" }',
      listKey: "value",
      title: "Incidents",
    },
    test: {
      resources: { "microsoft-365-defender": ["https://api.security.microsoft.com"] },
      routeResource: "microsoft-365-defender",
      route: "/api/incidents",
      host: "api.security.microsoft.com",
      path: "/api/incidents",
    },
  },
};

export const RESOURCE_NAMES = Object.keys(RESOURCE_TEMPLATES);
