import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import {
  ALERT_COLUMNS,
  type Entry,
  filter,
  listArgument,
  quote,
  required,
  timeArgument,
  toContextAlert,
  wholeNumber,
} from "./context.js";

/**
 * `microsoft-atp-list-alerts`: GET /api/alerts with `$filter` on severity, status, category and
 * alertCreationTime, and `$top`; nothing else (learn.microsoft.com/defender-endpoint/api/get-alerts documents
 * `$filter` on those properties, `$top`, `$skip` and `$expand`, not `$orderby`).
 */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const response = await context.api.get<{ value?: Entry[] }>(
    "/api/alerts",
    {
      $filter: filter([
        args["severity"] && `severity eq ${quote(args["severity"])}`,
        args["status"] && `status eq ${quote(args["status"])}`,
        args["category"] && `category eq ${quote(args["category"])}`,
        args["creation_time"] &&
          `alertCreationTime ge ${timeArgument(args["creation_time"], "creation_time")}`,
      ]),
      $top: wholeNumber(args["limit"] ?? "50", "limit", 1, 10000),
    },
    { expect: "collection" },
  );
  const alerts = (response?.value ?? []).map(toContextAlert);
  return {
    readable: tableToMarkdown("Microsoft Defender ATP alerts:", alerts, ALERT_COLUMNS),
    outputsPrefix: "MicrosoftATP.Alert",
    outputsKeyField: "ID",
    outputs: alerts,
    raw: response,
  };
}

/** `microsoft-atp-get-alert-by-id`: GET /api/alerts/{id} for each ID (get-alert-info-by-id). */
export async function getAlertById(context: CommandContext): Promise<CommandResult> {
  const alerts: Entry[] = [];
  for (const id of listArgument(required(context, "alert_ids"))) {
    const alert = await context.api.get<Entry>(`/api/alerts/${encodeURIComponent(id)}`);
    if (alert) alerts.push(toContextAlert(alert));
  }
  return {
    readable: tableToMarkdown("Microsoft Defender ATP alerts:", alerts, ALERT_COLUMNS),
    outputsPrefix: "MicrosoftATP.Alert",
    outputsKeyField: "ID",
    outputs: alerts.length === 1 ? alerts[0] : alerts,
    raw: alerts,
  };
}

/** `microsoft-atp-update-alert`: PATCH /api/alerts/{id} (update-alert). */
export async function updateAlert(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const alertId = required(context, "alert_id");
  const body = Object.fromEntries(
    Object.entries({
      status: args["status"],
      assignedTo: args["assigned_to"],
      classification: args["classification"],
      determination: args["determination"],
      comment: args["comment"],
    }).filter(([, value]) => value),
  );
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      "Give at least one of status, assigned_to, classification, determination or comment to update.",
    );
  }
  const alert = await context.api.request<Entry>({
    expect: "object",
    method: "PATCH",
    path: `/api/alerts/${encodeURIComponent(alertId)}`,
    body,
  });
  const entry = toContextAlert(alert ?? {});
  return {
    readable: `The alert ${alertId} has been updated successfully`,
    outputsPrefix: "MicrosoftATP.Alert",
    outputsKeyField: "ID",
    outputs: entry,
    raw: alert,
  };
}

interface HuntQuery {
  query: string;
  name?: string;
  timeRange?: string;
}

const SPAN_UNITS: Record<string, string> = { minute: "m", hour: "h", day: "d", week: "d" };

/** `7 days` → `| where Timestamp > ago(7d)` (weeks as days); anything else is a usage error. */
function lookBack(timeRange: string): string {
  const match = /^\s*(\d+)\s*(minute|hour|day|week)s?\s*$/i.exec(timeRange);
  if (!match) throw new UsageError(`time_range must look like "12 hours" or "7 days" (got "${timeRange}").`);
  const unit = match[2]!.toLowerCase();
  const amount = Number(match[1]) * (unit === "week" ? 7 : 1);
  return ` | where Timestamp > ago(${amount}${SPAN_UNITS[unit]})`;
}

function huntQueries(context: CommandContext): HuntQuery[] {
  const { args } = context;
  if (args["query_batch"]) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args["query_batch"]);
    } catch {
      parsed = undefined;
    }
    const queries = (parsed as { queries?: unknown } | undefined)?.queries;
    if (!Array.isArray(queries) || queries.length === 0) {
      throw new UsageError('query_batch must be JSON like {"queries": [{"name": "…", "query": "…"}]}.');
    }
    return queries.map((entry: { query?: unknown; name?: unknown; time_range?: unknown }) => {
      if (typeof entry?.query !== "string" || typeof entry.name !== "string") {
        throw new UsageError("Each query of query_batch needs a name and a query.");
      }
      const timeRange = typeof entry.time_range === "string" ? entry.time_range : args["time_range"];
      return { query: entry.query, name: entry.name, ...(timeRange ? { timeRange } : {}) };
    });
  }
  const query = args["query"];
  if (!query) throw new UsageError("query (or query_batch) is required: the KQL query to run.");
  return [
    {
      query,
      ...(args["name"] ? { name: args["name"] } : {}),
      ...(args["time_range"] ? { timeRange: args["time_range"] } : {}),
    },
  ];
}

/**
 * `microsoft-atp-advanced-hunting`: POST /api/advancedqueries/run per query (run-advanced-query-api); `time_range`
 * appends a Timestamp condition, `name` (and each query of `query_batch`) files the rows under Result.<name>.
 */
export async function advancedHunting(context: CommandContext): Promise<CommandResult> {
  const readable: string[] = [];
  const named: Record<string, Entry[]> = {};
  let unnamed: Entry[] | undefined;
  const raw: unknown[] = [];
  for (const hunt of huntQueries(context)) {
    const query = hunt.timeRange ? `${hunt.query}${lookBack(hunt.timeRange)}` : hunt.query;
    const response = await context.api.request<{ Schema?: Array<{ Name?: string }>; Results?: Entry[] }>({
      expect: "object",
      method: "POST",
      path: "/api/advancedqueries/run",
      body: { Query: query },
    });
    raw.push(response);
    const results = response?.Results ?? [];
    const headers = response?.Schema?.map((column) => column.Name ?? "").filter(Boolean);
    const title = hunt.name ? `Hunt results for ${hunt.name} query` : "Hunt results";
    readable.push(tableToMarkdown(title, results, headers?.length ? headers : undefined));
    if (hunt.name) named[hunt.name] = results;
    else unnamed = results;
  }
  return {
    readable: readable.join("\n"),
    outputsPrefix: "MicrosoftATP.Hunt",
    outputs: { Result: unnamed ?? named },
    raw: raw.length === 1 ? raw[0] : raw,
  };
}
