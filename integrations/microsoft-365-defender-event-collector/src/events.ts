import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Alert = Record<string, unknown>;

const row = (alert: Alert) => ({
  id: alert["id"],
  title: alert["title"],
  severity: alert["severity"],
  status: alert["status"],
  alertCreationTime: alert["alertCreationTime"],
  evidence: Array.isArray(alert["evidence"]) ? (alert["evidence"] as unknown[]).length : 0,
});

/** `microsoft-365-defender-get-events`: GET /api/alerts?$expand=evidence&$filter=alertCreationTime gt …. */
export async function getEvents(context: CommandContext<{ first_fetch: string }>): Promise<CommandResult> {
  const after = context.args["first_fetch"];
  if (Number.isNaN(Date.parse(after))) {
    throw new UsageError(
      `first_fetch must be an ISO 8601 time such as 2024-05-01T00:00:00Z (got "${after}").`,
    );
  }
  const response = await context.api.get<{ value?: Alert[] }>(
    "/api/alerts",
    {
      $expand: "evidence",
      $filter: `alertCreationTime gt ${new Date(after).toISOString()}`,
      $orderby: "alertCreationTime asc",
      $top: limitArgument(context, 10000),
    },
    { expect: "collection" },
  );
  const events = response?.value ?? [];
  return {
    readable: tableToMarkdown("Microsoft 365 Defender Alerts", events.map(row)),
    outputsPrefix: "Microsoft365Defender.Alert",
    outputsKeyField: "id",
    outputs: events,
    raw: response,
  };
}

/** `microsoft-365-defender-get-event`: GET /api/alerts/{id}?$expand=evidence. */
export async function getEvent(context: CommandContext<{ alert_id: string }>): Promise<CommandResult> {
  const alert = await context.api.get<Alert>(`/api/alerts/${encodeURIComponent(context.args["alert_id"])}`, {
    $expand: "evidence",
  });
  return {
    readable: tableToMarkdown(`Microsoft 365 Defender Alert ${alert["id"]}`, [row(alert)]),
    outputsPrefix: "Microsoft365Defender.Alert",
    outputsKeyField: "id",
    outputs: alert,
    raw: alert,
  };
}
