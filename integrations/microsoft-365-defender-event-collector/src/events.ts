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

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/** XSOAR's first_fetch: a relative time ("3 days", "12 hours", "30 minutes") or an ISO 8601 time. */
export function firstFetchTime(raw: string, now = Date.now()): Date {
  const relative = /^\s*(\d+)\s*(minute|hour|day|week)s?(\s+ago)?\s*$/i.exec(raw);
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!.toLowerCase()]!);
  if (!Number.isNaN(Date.parse(raw))) return new Date(raw);
  throw new UsageError(
    `first_fetch must be a relative time such as "3 days" or an ISO 8601 time such as 2024-05-01T00:00:00Z (got "${raw}").`,
  );
}

/** `microsoft-365-defender-get-events`: GET /api/alerts?$expand=evidence&$filter=alertCreationTime gt …. */
export async function getEvents(context: CommandContext): Promise<CommandResult> {
  if (context.args["push_to_xsiam"] === "true") {
    throw new UsageError(
      "push_to_xsiam=true pushes the events to Cortex XSIAM, which msint does not do: run it without push_to_xsiam to print them.",
    );
  }
  const after = firstFetchTime(context.args["first_fetch"] || "3 days");
  const response = await context.api.get<{ value?: Alert[] }>(
    "/api/alerts",
    {
      $expand: "evidence",
      $filter: `alertCreationTime gt ${after.toISOString()}`,
      $top: limitArgument(context, 10000),
    },
    { expect: "collection" },
  );
  // List alerts documents $filter, $top, $skip and $expand, not $orderby (learn.microsoft.com/defender-endpoint/api/get-alerts):
  // the page is put oldest first here.
  const created = (alert: Alert) => String(alert["alertCreationTime"] ?? "");
  const events = [...(response?.value ?? [])].sort((a, b) => created(a).localeCompare(created(b)));
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
