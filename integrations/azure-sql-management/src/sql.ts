import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  subscriptionPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.Sql API version of the XSOAR integration. */
export const SQL_API_VERSION = "2021-11-01";

interface ArmResource {
  id?: string;
  name?: string;
  location?: string;
  kind?: string;
  sku?: { name?: string; tier?: string };
  properties?: Record<string, unknown>;
}

function serverPath(context: CommandContext<{ server_name: string }>): string {
  return `${resourceGroupPath(context)}/providers/Microsoft.Sql/servers/${encodeURIComponent(context.args["server_name"])}`;
}

/** XSOAR's offset and limit: reads offset + limit entries and returns the last limit of them. */
async function pageOf(context: CommandContext, path: string): Promise<ArmResource[]> {
  const limit = limitArgument(context, 1000);
  const offset = Math.max(Number.parseInt(context.args["offset"] ?? "0", 10) || 0, 0);
  const { items } = await collectPages<ArmResource>(
    context.api,
    path,
    { "api-version": SQL_API_VERSION },
    offset + limit,
  );
  return items.slice(offset, offset + limit);
}

/** `azure-sql-servers-list`: GET …/providers/Microsoft.Sql/servers. */
export async function listServers(context: CommandContext): Promise<CommandResult> {
  const scope =
    context.args["list_by_resource_group"] === "true"
      ? resourceGroupPath(context)
      : subscriptionPath(context);
  const items = await pageOf(context, `${scope}/providers/Microsoft.Sql/servers`);
  const rows = items.map((server) => ({
    name: server.name,
    location: server.location,
    kind: server.kind,
    fullyQualifiedDomainName: server.properties?.["fullyQualifiedDomainName"],
    state: server.properties?.["state"],
    administratorLogin: server.properties?.["administratorLogin"],
  }));
  return {
    readable: tableToMarkdown("Servers List", rows),
    outputsPrefix: "AzureSQL.Server",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-sql-db-list`: GET …/servers/{server}/databases. */
export async function listDatabases(
  context: CommandContext<{ server_name: string }>,
): Promise<CommandResult> {
  const items = await pageOf(context, `${serverPath(context)}/databases`);
  const rows = items.map((database) => ({
    name: database.name,
    location: database.location,
    status: database.properties?.["status"],
    sku: database.sku?.name,
    maxSizeBytes: database.properties?.["maxSizeBytes"],
  }));
  return {
    readable: tableToMarkdown(`Database List of ${context.args["server_name"]}`, rows),
    outputsPrefix: "AzureSQL.DB",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-sql-db-audit-policy-list`: GET …/servers/{server}/databases/{db}/auditingSettings. */
export async function listAuditPolicies(
  context: CommandContext<{ db_name: string; server_name: string }>,
): Promise<CommandResult> {
  const database = encodeURIComponent(context.args["db_name"]);
  const items = await pageOf(context, `${serverPath(context)}/databases/${database}/auditingSettings`);
  const rows = items.map((policy) => ({
    name: policy.name,
    state: policy.properties?.["state"],
    retentionDays: policy.properties?.["retentionDays"],
    isAzureMonitorTargetEnabled: policy.properties?.["isAzureMonitorTargetEnabled"],
    auditActionsAndGroups: policy.properties?.["auditActionsAndGroups"],
  }));
  return {
    readable: tableToMarkdown(`Database Audit Settings for ${context.args["db_name"]}`, rows),
    outputsPrefix: "AzureSQL.DBAuditPolicy",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}
