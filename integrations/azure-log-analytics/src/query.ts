import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  tableToMarkdown,
} from "@msint/integration-kit";

interface QueryTable {
  name?: string;
  columns?: Array<{ name?: string; type?: string }>;
  rows?: unknown[][];
}

function workspacePath(context: CommandContext): string {
  const workspace = argumentOrParameter(context, "workspace_id", {
    key: "workspaceID",
    displayName: "Workspace ID",
  });
  return `/v1/workspaces/${encodeURIComponent(workspace)}`;
}

/** Rows as objects keyed by column name, as the XSOAR integration writes them. */
function toObjects(table: QueryTable): Record<string, unknown>[] {
  const names = (table.columns ?? []).map((column) => column.name ?? "");
  return (table.rows ?? []).map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
}

/** `azure-log-analytics-execute-query`: POST /v1/workspaces/{id}/query. */
export async function executeQuery(context: CommandContext<{ query: string }>): Promise<CommandResult> {
  const query = context.args["query"];
  const response = await context.api.request<{ tables?: QueryTable[] }>({
    expect: "object",
    method: "POST",
    path: `${workspacePath(context)}/query`,
    // The query API's server timeout: Prefer: wait=<seconds> (learn.microsoft.com/azure/azure-monitor/logs/api/timeouts).
    headers: { Prefer: `wait=${Number.parseInt(context.args["timeout"] ?? "10", 10) || 10}` },
    body: { query, ...(context.args["timespan"] ? { timespan: context.args["timespan"] } : {}) },
  });
  const tables = response?.tables ?? [];
  const outputs = tables.map((table) => ({ Query: query, TableName: table.name, Data: toObjects(table) }));
  const readable = tables.length
    ? tables
        .map((table) =>
          tableToMarkdown(
            `Query Results - ${table.name}`,
            toObjects(table),
            (table.columns ?? []).map((column) => column.name ?? ""),
          ),
        )
        .join("\n")
    : tableToMarkdown("Query Results", []);
  return {
    readable,
    outputsPrefix: "AzureLogAnalytics.Query",
    outputsKeyField: "Query",
    outputs,
    raw: response,
  };
}

/**
 * `azure-log-analytics-test`'s read of the query API: `print Test = 1` on the workspace (Query - Get), which needs
 * Data.Read and read access to the workspace but reads no table.
 */
export async function testQuery(context: CommandContext): Promise<void> {
  await context.api.get(`${workspacePath(context)}/query`, { query: "print Test = 1" });
}

/** `azure-log-analytics-list-tables`: GET /v1/workspaces/{id}/metadata. */
export async function listTables(context: CommandContext): Promise<CommandResult> {
  const metadata = await context.api.get<{
    tables?: Array<{ name?: string; columns?: Array<{ name?: string; type?: string }> }>;
  }>(`${workspacePath(context)}/metadata`);
  const tables = (metadata?.tables ?? []).map((table) => ({
    name: table.name,
    columns: table.columns ?? [],
  }));
  return {
    readable: tableToMarkdown(
      "Workspace Tables",
      tables.map((table) => ({
        Name: table.name,
        Columns: table.columns.map((column) => column.name).join(", "),
      })),
    ),
    outputsPrefix: "AzureLogAnalytics.Table",
    outputsKeyField: "name",
    outputs: tables,
    raw: metadata,
  };
}
