import {
  subscriptionPath as armSubscriptionPath,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.Security alerts API version (GA). */
export const ALERTS_API_VERSION = "2022-01-01";
const LOCATIONS_API_VERSION = "2015-06-01-preview";

interface SecurityAlert {
  id?: string;
  name?: string;
  properties?: {
    alertDisplayName?: string;
    compromisedEntity?: string;
    severity?: string;
    status?: string;
    timeGeneratedUtc?: string;
    alertType?: string;
    description?: string;
  };
}

function subscriptionPath(context: CommandContext): string {
  return armSubscriptionPath(context, { key: "default_sub_id", displayName: "Default subscription ID" });
}

/** The alert's location, the segment after /locations/ of its resource ID. */
function locationOf(alert: SecurityAlert): string | undefined {
  return /\/locations\/([^/]+)\//i.exec(alert.id ?? "")?.[1];
}

/** An alert as the XSOAR integration writes it under `AzureSecurityCenter.Alert`. */
export function toContextAlert(alert: SecurityAlert): Record<string, unknown> {
  const properties = alert.properties ?? {};
  return {
    ID: alert.name,
    DisplayName: properties.alertDisplayName,
    CompromisedEntity: properties.compromisedEntity,
    Severity: properties.severity,
    Status: properties.status,
    TimeGeneratedUtc: properties.timeGeneratedUtc,
    AlertType: properties.alertType,
    Description: properties.description,
    Location: locationOf(alert),
  };
}

const HEADERS = [
  "DisplayName",
  "CompromisedEntity",
  "TimeGeneratedUtc",
  "Severity",
  "Status",
  "ID",
  "Location",
];

function alertPath(context: CommandContext<{ alert_id: string; asc_location: string }>): string {
  const location = encodeURIComponent(context.args["asc_location"]);
  const alert = encodeURIComponent(context.args["alert_id"]);
  return `${subscriptionPath(context)}/providers/Microsoft.Security/locations/${location}/alerts/${alert}`;
}

/** `azure-sc-list-alert`: GET …/providers/Microsoft.Security/[locations/{loc}/]alerts. */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  let scope = subscriptionPath(context);
  if (context.args["resource_group_name"])
    scope += `/resourceGroups/${encodeURIComponent(context.args["resource_group_name"])}`;
  let path = `${scope}/providers/Microsoft.Security`;
  if (context.args["asc_location"]) path += `/locations/${encodeURIComponent(context.args["asc_location"])}`;
  const { items } = await collectPages<SecurityAlert>(
    context.api,
    `${path}/alerts`,
    { "api-version": ALERTS_API_VERSION },
    limitArgument(context, 1000),
  );
  const alerts = items.map(toContextAlert);
  return {
    readable: tableToMarkdown("Azure Security Center - List Alerts", alerts, HEADERS),
    outputsPrefix: "AzureSecurityCenter.Alert",
    outputsKeyField: "ID",
    outputs: alerts,
    raw: items,
  };
}

/** `azure-sc-get-alert`: GET …/providers/Microsoft.Security/locations/{loc}/alerts/{id}. */
export async function getAlert(
  context: CommandContext<{ alert_id: string; asc_location: string }>,
): Promise<CommandResult> {
  const alert = await context.api.get<SecurityAlert>(alertPath(context), {
    "api-version": ALERTS_API_VERSION,
  });
  const entry = toContextAlert(alert);
  return {
    readable: tableToMarkdown("Azure Security Center - Get Alert - Properties", [entry], HEADERS),
    outputsPrefix: "AzureSecurityCenter.Alert",
    outputsKeyField: "ID",
    outputs: entry,
    raw: alert,
  };
}

/** `azure-sc-update-alert`: POST …/alerts/{id}/{dismiss|activate|resolve|inProgress}. */
export async function updateAlert(
  context: CommandContext<{ alert_id: string; alert_update_action_type: string; asc_location: string }>,
): Promise<CommandResult> {
  const action = context.args["alert_update_action_type"];
  await context.api.request({
    method: "POST",
    path: `${alertPath(context)}/${action}`,
    query: { "api-version": ALERTS_API_VERSION },
  });
  const entry = { ID: context.args["alert_id"], ActionTaken: action };
  return {
    readable: tableToMarkdown("Azure Security Center - Update Alert", [entry]),
    outputsPrefix: "AzureSecurityCenter.Alert",
    outputsKeyField: "ID",
    outputs: entry,
  };
}

/**
 * `azure-sc-test`: the subscription's Defender for Cloud locations (Locations - List), a cheap read that needs the
 * subscription and a Security Reader role. Without a default subscription the kit's probe lists subscriptions.
 */
export async function testLocations(context: CommandContext): Promise<void> {
  if (!context.params["default_sub_id"]) return;
  await context.api.get(
    `${subscriptionPath(context)}/providers/Microsoft.Security/locations`,
    { "api-version": LOCATIONS_API_VERSION },
    { expect: "collection" },
  );
}

/** `azure-sc-list-location`: GET /subscriptions/{id}/providers/Microsoft.Security/locations. */
export async function listLocations(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ name?: string; properties?: { homeRegionName?: string } }>(
    context.api,
    `${subscriptionPath(context)}/providers/Microsoft.Security/locations`,
    { "api-version": LOCATIONS_API_VERSION },
  );
  const locations = items.map((location) => ({
    Name: location.name,
    HomeRegionName: location.properties?.homeRegionName,
  }));
  return {
    readable: tableToMarkdown("Azure Security Center - List Locations", locations),
    outputsPrefix: "AzureSecurityCenter.Location",
    outputsKeyField: "Name",
    outputs: locations,
    raw: items,
  };
}
