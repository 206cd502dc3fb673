import { type CommandContext, type CommandResult, UsageError } from "@msint/integration-kit";

// learn.microsoft.com/defender-cloud-apps/api-alerts-close-benign, api-alerts-close-false-positive,
// api-alerts-close-true-positive: POST with filters (or alert IDs), comment, reason, and optional feedback.

type Kind = "benign" | "false_positive" | "true_positive";

// The false-positive reasons by XSOAR's names; numbers are sent as given.
const FALSE_POSITIVE_REASONS: Record<string, number> = {
  "Not of interest": 0,
  "Too many similar alerts": 1,
  "Alert is not accurate": 2,
  Other: 3,
};

function reasonOf(kind: Kind, raw: string | undefined): number | undefined {
  if (!raw || raw === "None" || kind === "true_positive") return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const named = kind === "false_positive" ? FALSE_POSITIVE_REASONS[raw.trim()] : undefined;
  if (named === undefined)
    throw new UsageError(
      `reasonId must be a number${kind === "false_positive" ? ` or one of ${Object.keys(FALSE_POSITIVE_REASONS).join(", ")}` : ""} (got "${raw}").`,
    );
  return named;
}

/** XSOAR's custom_filter (a JSON object of filters) if given, else the alert IDs. */
export function filtersOf(context: CommandContext): Record<string, unknown> {
  const custom = context.args["custom_filter"];
  if (custom) {
    try {
      const parsed: unknown = JSON.parse(custom);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        const object = parsed as Record<string, unknown>;
        return (object["filters"] as Record<string, unknown> | undefined) ?? object;
      }
    } catch {
      // Falls through to the message below.
    }
    throw new UsageError(`custom_filter must be a JSON object of filters (got ${custom}).`);
  }
  const ids = (context.args["alert_ids"] ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError("Give alert_ids (comma-separated) or custom_filter.");
  return { id: { eq: ids } };
}

/** `microsoft-cas-alert-close-<kind>`: POST /api/v1/alerts/close_<kind>/. */
export async function closeAlerts(context: CommandContext, kind: Kind): Promise<CommandResult> {
  const { args } = context;
  const comment = args["comment"] && args["comment"] !== "None" ? args["comment"] : undefined;
  const reason = reasonOf(kind, args["reasonId"]);
  const sendFeedback = args["sendFeedback"] === "true";
  const allowContact = args["allowContact"] === "true";
  const body: Record<string, unknown> = {
    filters: filtersOf(context),
    ...(comment ? { comment } : {}),
    ...(reason === undefined ? {} : { reason }),
    sendFeedback,
    ...(sendFeedback && args["feedbackText"] ? { feedbackText: args["feedbackText"] } : {}),
    allowContact,
    ...(allowContact && args["contactEmail"] ? { contactEmail: args["contactEmail"] } : {}),
  };
  const response = await context.api.request<Record<string, number>>({
    expect: "object",
    method: "POST",
    path: `/api/v1/alerts/close_${kind}/`,
    body,
  });
  return {
    readable: `${response?.[`closed_${kind}`] ?? 0} alerts were closed as ${kind.replace("_", " ")}.`,
    raw: response,
  };
}
