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

/** `microsoft-atp-advanced-hunting`: POST /api/advancedqueries/run (run-advanced-query-api). */
export async function advancedHunting(context: CommandContext): Promise<CommandResult> {
  const query = context.args["query"];
  if (!query) throw new UsageError("query is required: the KQL query to run.");
  const response = await context.api.request<{ Schema?: Array<{ Name?: string }>; Results?: Entry[] }>({
    expect: "object",
    method: "POST",
    path: "/api/advancedqueries/run",
    body: { Query: query },
  });
  const results = response?.Results ?? [];
  const headers = response?.Schema?.map((column) => column.Name ?? "").filter(Boolean);
  return {
    readable: tableToMarkdown("Hunt results", results, headers?.length ? headers : undefined),
    outputsPrefix: "MicrosoftATP.Hunt",
    outputs: { Result: results },
    raw: response,
  };
}
