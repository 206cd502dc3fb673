import { randomUUID } from "node:crypto";
import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

interface KustoTable {
  TableName?: string;
  Columns?: Array<{ ColumnName?: string; DataType?: string }>;
  Rows?: unknown[][];
}

/** The first table of a Kusto v1 response, its rows as objects. */
function primaryRows(response: { Tables?: KustoTable[] } | undefined): Record<string, unknown>[] {
  const table = response?.Tables?.[0];
  const names = (table?.Columns ?? []).map((column) => column.ColumnName ?? "");
  return (table?.Rows ?? []).map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
}

function timeoutOf(context: CommandContext): string {
  const minutes = Number(context.args["timeout"] ?? "5");
  if (!(minutes >= 0.1 && minutes <= 60))
    throw new UsageError(`timeout must be 0.1 to 60 minutes (got "${context.args["timeout"]}").`);
  const total = Math.round(minutes * 60);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** `.show` / `.cancel` management commands: POST /v1/rest/mgmt. */
async function management(context: CommandContext, csl: string) {
  return context.api.request<{ Tables?: KustoTable[] }>({
    expect: "object",
    method: "POST",
    path: "/v1/rest/mgmt",
    body: { db: context.args["database_name"], csl },
  });
}

/** `azure-data-explorer-search-query-execute`: POST /v1/rest/query with the client request ID header. */
export async function executeQuery(
  context: CommandContext<{ database_name: string; query: string }>,
): Promise<CommandResult> {
  const query = context.args["query"];
  const database = context.args["database_name"];
  const activityId = context.args["client_activity_id"] || `XSOAR-DataExplorer;${randomUUID()}`;
  const response = await context.api.request<{ Tables?: KustoTable[] }>({
    expect: "object",
    method: "POST",
    path: "/v1/rest/query",
    body: { db: database, csl: query, properties: { Options: { servertimeout: timeoutOf(context) } } },
    headers: { "x-ms-client-request-id": activityId },
  });
  const rows = primaryRows(response);
  return {
    readable: tableToMarkdown(
      `Results of executing search query with client activity ID: ${activityId}`,
      rows,
    ),
    outputsPrefix: "AzureDataExplorer.SearchQueryResults",
    outputsKeyField: "client_activity_id",
    outputs: { query, database_name: database, client_activity_id: activityId, data: rows },
    raw: response,
  };
}

/** Kusto string literal: double quotes, backslash and quote escaped. */
const literal = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** A whole number of at least 1 from an argument. */
function positive(context: CommandContext, name: string, fallback: number): number {
  const raw = context.args[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${name} must be a whole number from 1 (got "${raw}").`);
  return value;
}

/**
 * XSOAR's list arguments as KQL after `.show …`: client_activity_id filters, and the rows are page × page_size
 * (or limit), of which the command keeps the page.
 */
function listQuery(context: CommandContext, show: string): { csl: string; skip: number } {
  const id = context.args["client_activity_id"];
  const where = id ? ` | where ClientActivityId == ${literal(id)}` : "";
  const size = context.args["page_size"] ? positive(context, "page_size", 50) : undefined;
  const page = positive(context, "page", 1);
  const take = size ? page * size : positive(context, "limit", 50);
  return { csl: `${show}${where} | take ${take}`, skip: size ? (page - 1) * size : 0 };
}

/** `azure-data-explorer-search-query-list`: `.show queries`. */
export async function listQueries(context: CommandContext): Promise<CommandResult> {
  const { csl, skip } = listQuery(context, ".show queries | sort by StartedOn desc");
  const rows = primaryRows(await management(context, csl)).slice(skip);
  return {
    readable: tableToMarkdown("List of Completed Search Queries", rows, [
      "ClientActivityId",
      "User",
      "Text",
      "Database",
      "StartedOn",
      "State",
    ]),
    outputsPrefix: "AzureDataExplorer.SearchQuery",
    outputsKeyField: "ClientActivityId",
    outputs: rows,
  };
}

/** `azure-data-explorer-running-search-query-list`: `.show running queries`. */
export async function listRunningQueries(context: CommandContext): Promise<CommandResult> {
  const { csl, skip } = listQuery(context, ".show running queries");
  const rows = primaryRows(await management(context, csl)).slice(skip);
  return {
    readable: tableToMarkdown("List of Currently running Search Queries", rows, [
      "ClientActivityId",
      "User",
      "Text",
      "StartedOn",
    ]),
    outputsPrefix: "AzureDataExplorer.RunningSearchQuery",
    outputsKeyField: "ClientActivityId",
    outputs: rows,
  };
}

/** `azure-data-explorer-running-search-query-cancel`: `.cancel query "<id>" with (reason=…)`. */
export async function cancelRunningQuery(
  context: CommandContext<{ client_activity_id: string }>,
): Promise<CommandResult> {
  const id = context.args["client_activity_id"];
  const reason = context.args["reason"];
  const rows = primaryRows(
    await management(
      context,
      `.cancel query ${literal(id)}${reason ? ` with (reason=${literal(reason)})` : ""}`,
    ),
  );
  return {
    readable: tableToMarkdown("Canceled Search Query", rows),
    outputsPrefix: "AzureDataExplorer.CanceledSearchQuery",
    outputsKeyField: "ClientRequestId",
    outputs: rows[0] ?? { ClientRequestId: id },
  };
}
