import { randomUUID } from "node:crypto";
import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  limitArgument,
  resourceGroupPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Microsoft.SecurityInsights API version of the XSOAR integration. */
export const SENTINEL_API_VERSION = "2022-11-01";

interface Incident {
  name?: string;
  etag?: string;
  properties?: {
    title?: string;
    description?: string;
    severity?: string;
    status?: string;
    incidentNumber?: number;
    createdTimeUtc?: string;
    owner?: { assignedTo?: string; email?: string };
  };
}

/** `{ARM}/subscriptions/…/workspaces/{ws}/providers/Microsoft.SecurityInsights` from the instance's parameters. */
function sentinelPath(context: CommandContext): string {
  const group = resourceGroupPath(context, {
    subscription: { key: "subscriptionID", displayName: "Subscription ID" },
    resourceGroup: { key: "resourceGroupName", displayName: "Resource Group Name" },
  });
  const workspace = argumentOrParameter(context, "workspace_name", {
    key: "workspaceName",
    displayName: "Workspace Name",
  });
  return `${group}/providers/Microsoft.OperationalInsights/workspaces/${encodeURIComponent(workspace)}/providers/Microsoft.SecurityInsights`;
}

/**
 * `azure-sentinel-test`: the newest incident of the workspace (Incidents - List with `$top=1`), which proves the
 * token, the subscription, resource group and workspace, and the identity's Sentinel role at once.
 */
export async function testIncidents(context: CommandContext): Promise<void> {
  await context.api.get(
    `${sentinelPath(context)}/incidents`,
    { "api-version": SENTINEL_API_VERSION, $top: 1, $orderby: "properties/createdTimeUtc desc" },
    { expect: "collection" },
  );
}

/** An incident as the XSOAR integration writes it under `AzureSentinel.Incident`. */
export function toContextIncident(incident: Incident): Record<string, unknown> {
  const properties = incident.properties ?? {};
  return {
    ID: incident.name,
    Title: properties.title,
    Description: properties.description,
    Severity: properties.severity,
    Status: properties.status,
    IncidentNumber: properties.incidentNumber,
    CreatedTimeUTC: properties.createdTimeUtc,
    AssigneeName: properties.owner?.assignedTo,
    AssigneeEmail: properties.owner?.email,
    Etag: incident.etag,
  };
}

const HEADERS = ["ID", "IncidentNumber", "Title", "Severity", "Status", "AssigneeName", "CreatedTimeUTC"];

/** `azure-sentinel-list-incidents`: GET …/Microsoft.SecurityInsights/incidents. */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const page = context.args["next_link"]
    ? await context.api.get<{ value?: Incident[]; nextLink?: string }>(context.args["next_link"], undefined, {
        expect: "collection",
      })
    : await context.api.get<{ value?: Incident[]; nextLink?: string }>(
        `${sentinelPath(context)}/incidents`,
        {
          "api-version": SENTINEL_API_VERSION,
          $top: limitArgument(context, 200),
          $filter: context.args["filter"],
          $orderby: "properties/createdTimeUtc desc",
        },
        { expect: "collection" },
      );
  const incidents = (page?.value ?? []).map(toContextIncident);
  let readable = tableToMarkdown("Incidents List", incidents, HEADERS);
  if (page?.nextLink)
    readable += `\nMore incidents: ${context.formatCommand("azure-sentinel-list-incidents", { next_link: page.nextLink })}\n`;
  return {
    readable,
    outputsPrefix: "AzureSentinel.Incident",
    outputsKeyField: "ID",
    outputs: incidents,
    raw: page,
  };
}

/** `azure-sentinel-get-incident-by-id`: GET …/incidents/{id}. */
export async function getIncident(context: CommandContext<{ incident_id: string }>): Promise<CommandResult> {
  const id = context.args["incident_id"];
  const incident = await context.api.get<Incident>(
    `${sentinelPath(context)}/incidents/${encodeURIComponent(id)}`,
    {
      "api-version": SENTINEL_API_VERSION,
    },
  );
  const entry = toContextIncident(incident);
  return {
    readable: tableToMarkdown(`Incident ${id} details`, [entry], HEADERS),
    outputsPrefix: "AzureSentinel.Incident",
    outputsKeyField: "ID",
    outputs: entry,
    raw: incident,
  };
}

/** `azure-sentinel-incident-add-comment`: PUT …/incidents/{id}/comments/{new GUID}. */
export async function addIncidentComment(
  context: CommandContext<{ incident_id: string }>,
): Promise<CommandResult> {
  const id = context.args["incident_id"];
  const commentId = randomUUID();
  const comment = await context.api.request<{ name?: string; properties?: { message?: string } }>({
    expect: "object",
    method: "PUT",
    path: `${sentinelPath(context)}/incidents/${encodeURIComponent(id)}/comments/${commentId}`,
    query: { "api-version": SENTINEL_API_VERSION },
    body: { properties: { message: context.args["message"] } },
  });
  const entry = {
    ID: comment?.name ?? commentId,
    IncidentID: id,
    Message: comment?.properties?.message ?? context.args["message"],
  };
  return {
    readable: tableToMarkdown(`Incident ${id} new comment details`, [entry]),
    outputsPrefix: "AzureSentinel.IncidentComment",
    outputsKeyField: "ID",
    outputs: entry,
    raw: comment,
  };
}

/** `azure-sentinel-list-watchlists`: GET …/Microsoft.SecurityInsights/watchlists. */
export async function listWatchlists(context: CommandContext): Promise<CommandResult> {
  const page = await context.api.get<{
    value?: Array<{
      name?: string;
      properties?: { displayName?: string; watchlistAlias?: string; description?: string };
    }>;
  }>(
    `${sentinelPath(context)}/watchlists`,
    { "api-version": SENTINEL_API_VERSION },
    { expect: "collection" },
  );
  const watchlists = (page?.value ?? []).map((watchlist) => ({
    Name: watchlist.properties?.displayName,
    Alias: watchlist.properties?.watchlistAlias,
    ID: watchlist.name,
    Description: watchlist.properties?.description,
  }));
  return {
    readable: tableToMarkdown("Watchlists results", watchlists),
    outputsPrefix: "AzureSentinel.Watchlist",
    outputsKeyField: "ID",
    outputs: watchlists,
    raw: page,
  };
}
