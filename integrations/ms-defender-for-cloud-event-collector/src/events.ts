import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/** The Microsoft.Security alerts API version of the XSIAM collector. */
export const ALERTS_API_VERSION = "2022-01-01";

interface SecurityAlert {
  id?: string;
  name?: string;
  properties?: {
    alertDisplayName?: string;
    severity?: string;
    status?: string;
    timeGeneratedUtc?: string;
    compromisedEntity?: string;
  };
}

function securityPath(context: CommandContext): string {
  const subscription = argumentOrParameter(context, "subscription_id", {
    key: "sub_id",
    displayName: "Subscription ID to use",
  });
  return `/subscriptions/${encodeURIComponent(subscription)}/providers/Microsoft.Security`;
}

const row = (alert: SecurityAlert) => ({
  Name: alert.name,
  "Display Name": alert.properties?.alertDisplayName,
  Severity: alert.properties?.severity,
  Status: alert.properties?.status,
  "Time Generated": alert.properties?.timeGeneratedUtc,
  "Compromised Entity": alert.properties?.compromisedEntity,
});

/** `ms-defender-for-cloud-get-events`: GET /subscriptions/{id}/providers/Microsoft.Security/alerts, every page. */
export async function getEvents(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const after = context.args["first_fetch"];
  if (after && Number.isNaN(Date.parse(after))) {
    throw new UsageError(
      `first_fetch must be an ISO 8601 time such as 2024-05-01T00:00:00Z (got "${after}").`,
    );
  }
  // The alerts API has no time filter: read every page, keep the newer alerts, oldest first.
  const { items } = await collectPages<SecurityAlert>(context.api, `${securityPath(context)}/alerts`, {
    "api-version": ALERTS_API_VERSION,
  });
  const since = after ? Date.parse(after) : Number.NEGATIVE_INFINITY;
  const events = items
    .filter((alert) => Date.parse(alert.properties?.timeGeneratedUtc ?? "") > since)
    .sort(
      (a, b) =>
        Date.parse(a.properties?.timeGeneratedUtc ?? "") - Date.parse(b.properties?.timeGeneratedUtc ?? ""),
    )
    .slice(0, limit);
  return {
    readable: tableToMarkdown("Microsoft Defender For Cloud - List Alerts", events.map(row)),
    outputsPrefix: "MicrosoftDefenderForCloud.Alert",
    outputsKeyField: "id",
    outputs: events,
    raw: items,
    ...(context.args["should_push_events"] === "true"
      ? {
          notices: [
            "should_push_events=true: msint does not push events to Cortex XSIAM; they are only shown.",
          ],
        }
      : {}),
  };
}

/** `ms-defender-for-cloud-get-event`: GET …/providers/Microsoft.Security/locations/{loc}/alerts/{name}. */
export async function getEvent(
  context: CommandContext<{ alert_name: string; location: string }>,
): Promise<CommandResult> {
  const location = encodeURIComponent(context.args["location"]);
  const name = encodeURIComponent(context.args["alert_name"]);
  const alert = await context.api.get<SecurityAlert>(
    `${securityPath(context)}/locations/${location}/alerts/${name}`,
    {
      "api-version": ALERTS_API_VERSION,
    },
  );
  return {
    readable: tableToMarkdown("Microsoft Defender For Cloud - Alert", [row(alert)]),
    outputsPrefix: "MicrosoftDefenderForCloud.Alert",
    outputsKeyField: "id",
    outputs: alert,
    raw: alert,
  };
}
