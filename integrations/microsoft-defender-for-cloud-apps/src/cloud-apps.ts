import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Entry = Record<string, unknown>;

const SEVERITY = { Low: 0, Medium: 1, High: 2 } as const;
const RESOLUTION = { Open: 0, Dismissed: 1, Resolved: 2 } as const;

function skipOf(context: CommandContext): number {
  const skip = Number(context.args["skip"] ?? "0");
  if (!Number.isInteger(skip) || skip < 0)
    throw new UsageError(`skip must be a whole number (got "${context.args["skip"]}").`);
  return skip;
}

/** The list endpoints take a POST body: filters, skip, limit, sort. */
async function list(context: CommandContext, path: string, filters: Record<string, unknown>) {
  return context.api.request<{ data?: Entry[]; total?: number; hasNext?: boolean }>({
    expect: "object",
    method: "POST",
    path,
    body: {
      filters,
      skip: skipOf(context),
      limit: limitArgument(context, 100),
      sortField: "date",
      sortDirection: "desc",
    },
  });
}

const time = (value: unknown) => (typeof value === "number" ? new Date(value).toISOString() : value);

/** `microsoft-cas-alerts-list`: POST /api/v1/alerts/. */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  const filters: Record<string, unknown> = {};
  const severity = context.args["severity"] as keyof typeof SEVERITY | undefined;
  const resolution = context.args["resolution_status"] as keyof typeof RESOLUTION | undefined;
  if (severity) filters["severity"] = { eq: SEVERITY[severity] };
  if (resolution) filters["resolutionStatus"] = { eq: RESOLUTION[resolution] };
  const response = await list(context, "/api/v1/alerts/", filters);
  const alerts = response?.data ?? [];
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Alerts",
      alerts.map((alert) => ({
        "Alert ID": alert["_id"],
        Title: alert["title"],
        Severity: alert["severityValue"],
        "Resolution Status": alert["resolutionStatusValue"],
        Time: time(alert["timestamp"]),
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Alerts",
    outputsKeyField: "_id",
    outputs: alerts,
    raw: response,
  };
}

/** `microsoft-cas-activities-list`: POST /api/v1/activities/. */
export async function listActivities(context: CommandContext): Promise<CommandResult> {
  const filters: Record<string, unknown> = {};
  if (context.args["ip"]) filters["ip.address"] = { eq: [context.args["ip"]] };
  const response = await list(context, "/api/v1/activities/", filters);
  const activities = response?.data ?? [];
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Activities",
      activities.map((activity) => ({
        "Activity ID": activity["_id"],
        Description: activity["description"],
        Time: time(activity["timestamp"]),
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Activities",
    outputsKeyField: "_id",
    outputs: activities,
    raw: response,
  };
}

/** `microsoft-cas-files-list`: POST /api/v1/files/. */
export async function listFiles(context: CommandContext): Promise<CommandResult> {
  const filters: Record<string, unknown> = {};
  if (context.args["filename"]) filters["filename"] = { eq: context.args["filename"] };
  const response = await list(context, "/api/v1/files/", filters);
  const files = response?.data ?? [];
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Files",
      files.map((file) => ({
        "File ID": file["_id"],
        Name: file["name"],
        Owner: file["ownerAddress"],
        "File Type": file["fileTypeDisplay"],
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Files",
    outputsKeyField: "_id",
    outputs: files,
    raw: response,
  };
}

/** `microsoft-cas-alert-close-true-positive`: POST /api/v1/alerts/close_true_positive/. */
export async function closeAlertTruePositive(
  context: CommandContext<{ alert_ids: string }>,
): Promise<CommandResult> {
  const ids = context.args["alert_ids"]
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const response = await context.api.request<{ closed_true_positive?: number }>({
    expect: "object",
    method: "POST",
    path: "/api/v1/alerts/close_true_positive/",
    body: { filters: { id: { eq: ids } }, comment: context.args["comment"] },
  });
  return {
    readable: `${response?.closed_true_positive ?? ids.length} alerts were closed as true positive.`,
    raw: response,
  };
}
