import {
  subscriptionPath as armSubscriptionPath,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  RESOURCE_GROUPS_API_VERSION,
  resourceGroupTagFilter,
  SUBSCRIPTIONS_API_VERSION,
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

/** The subscription, or with resource_group_name one of its resource groups. */
function scopeOf(context: CommandContext): string {
  const group = context.args["resource_group_name"];
  return group
    ? `${subscriptionPath(context)}/resourceGroups/${encodeURIComponent(group)}`
    : subscriptionPath(context);
}

function alertPath(context: CommandContext<{ alert_id: string; asc_location: string }>): string {
  const location = encodeURIComponent(context.args["asc_location"]);
  const alert = encodeURIComponent(context.args["alert_id"]);
  return `${scopeOf(context)}/providers/Microsoft.Security/locations/${location}/alerts/${alert}`;
}

/** XSOAR's OData arguments of the alerts list. */
function odata(context: CommandContext): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of ["filter", "select", "expand"]) {
    const value = context.args[name];
    if (value) query[`$${name}`] = value;
  }
  return query;
}

/** `azure-sc-list-alert`: GET …/providers/Microsoft.Security/[locations/{loc}/]alerts. */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  let path = `${scopeOf(context)}/providers/Microsoft.Security`;
  if (context.args["asc_location"]) path += `/locations/${encodeURIComponent(context.args["asc_location"])}`;
  const { items } = await collectPages<SecurityAlert>(
    context.api,
    `${path}/alerts`,
    { "api-version": ALERTS_API_VERSION, ...odata(context) },
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
  // XSOAR's in_progress is the API's inProgress action.
  const action =
    context.args["alert_update_action_type"] === "in_progress"
      ? "inProgress"
      : context.args["alert_update_action_type"];
  await context.api.request({
    method: "POST",
    path: `${alertPath(context)}/${action}`,
    query: { "api-version": ALERTS_API_VERSION },
  });
  const entry = { ID: context.args["alert_id"], ActionTaken: context.args["alert_update_action_type"] };
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

/** `azure-list-subscriptions`: GET /subscriptions. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
    context.api,
    "/subscriptions",
    { "api-version": SUBSCRIPTIONS_API_VERSION },
  );
  const subscriptions = items.map((subscription) => ({
    ID: subscription.subscriptionId,
    Name: subscription.displayName,
    Enabled: subscription.state,
  }));
  return {
    readable: tableToMarkdown("Azure Security Center - Subscriptions", subscriptions, [
      "ID",
      "Name",
      "Enabled",
    ]),
    outputsPrefix: "Azure.Subscription",
    outputsKeyField: "ID",
    outputs: subscriptions,
    raw: items,
  };
}

/** `azure-resource-group-list`: GET /subscriptions/{id}/resourcegroups. */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{
    name?: string;
    location?: string;
    tags?: Record<string, string>;
    properties?: { provisioningState?: string };
  }>(
    context.api,
    `${subscriptionPath(context)}/resourcegroups`,
    { "api-version": RESOURCE_GROUPS_API_VERSION, $filter: resourceGroupTagFilter(context.args["tag"]) },
    limitArgument(context, 1000),
  );
  const rows = items.map((group) => ({
    Name: group.name,
    Location: group.location,
    Tags: group.tags,
    "Provisioning State": group.properties?.provisioningState,
  }));
  return {
    readable: tableToMarkdown("Resource Groups List", rows),
    outputsPrefix: "Azure.ResourceGroupName",
    outputsKeyField: "name",
    outputs: items,
    raw: items,
  };
}
