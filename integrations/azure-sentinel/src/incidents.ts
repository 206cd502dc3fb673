import { randomUUID } from "node:crypto";
import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";
import {
  formatDate,
  listArgument,
  nextLinkParts,
  readPage,
  SENTINEL_API_VERSION,
  sentinelPath,
  sentinelRequest,
  withoutEmpty,
} from "./client.js";

// Incidents and their comments, relations, alerts and entities (learn.microsoft.com/rest/api/securityinsights:
// Incidents - List/Get/Create Or Update/Delete/List Alerts/List Entities, Incident Comments - List/Create Or
// Update/Delete, Incident Relations - List), as XSOAR's integration calls them and names their context.

interface Incident {
  name?: string;
  etag?: string;
  properties?: Record<string, unknown> & {
    owner?: { assignedTo?: string; email?: string; objectId?: string; userPrincipalName?: string };
    labels?: Array<{ labelName?: string; labelType?: string }>;
    additionalData?: Record<string, unknown>;
  };
}

/** `azure-sentinel-test`: the oldest incident (Incidents - List with `$top=1`), as XSOAR's test module does. */
export async function testIncidents(context: CommandContext): Promise<void> {
  await context.api.get(
    `${sentinelPath(context)}/incidents`,
    { "api-version": SENTINEL_API_VERSION, $top: 1 },
    { expect: "collection" },
  );
}

/** An incident as XSOAR writes it under `AzureSentinel.Incident`. */
export function toContextIncident(incident: Incident): Record<string, unknown> {
  const p = incident.properties ?? {};
  const extra = p.additionalData ?? {};
  return withoutEmpty({
    ID: incident.name,
    IncidentNumber: p["incidentNumber"],
    IncidentUrl: p["incidentUrl"],
    Title: p["title"],
    Description: p["description"],
    Severity: p["severity"],
    Status: p["status"],
    AssigneeName: p.owner?.assignedTo,
    AssigneeEmail: p.owner?.email,
    AssigneeObjectID: p.owner?.objectId,
    AssigneeUPN: p.owner?.userPrincipalName,
    Label: (p.labels ?? []).map((label) => ({ Name: label.labelName, Type: label.labelType })),
    FirstActivityTimeUTC: formatDate(p["firstActivityTimeUtc"]),
    LastActivityTimeUTC: formatDate(p["lastActivityTimeUtc"]),
    LastModifiedTimeUTC: formatDate(p["lastModifiedTimeUtc"]),
    CreatedTimeUTC: formatDate(p["createdTimeUtc"]),
    AlertsCount: extra["alertsCount"],
    BookmarksCount: extra["bookmarksCount"],
    CommentsCount: extra["commentsCount"],
    AlertProductNames: extra["alertProductNames"],
    Tactics: extra["tactics"],
    Techniques: extra["techniques"],
    FirstActivityTimeGenerated: formatDate(p["firstActivityTimeGenerated"]),
    LastActivityTimeGenerated: formatDate(p["lastActivityTimeGenerated"]),
    Etag: incident.etag,
    Deleted: false,
  });
}

const HEADERS = ["ID", "IncidentNumber", "Title", "Severity", "Status", "AssigneeName", "CreatedTimeUTC"];

function incidentResult(title: string, incident: Incident): CommandResult {
  const entry = toContextIncident(incident);
  return {
    readable: tableToMarkdown(title, [entry], HEADERS),
    outputsPrefix: "AzureSentinel.Incident",
    outputsKeyField: "ID",
    outputs: entry,
    raw: incident,
  };
}

/** `azure-sentinel-list-incidents`: GET …/incidents with `$top`, `$filter` and `$orderby`, or the next link. */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const page = await readPage<Incident>(context, "incidents", {
    $top: limitArgument(context, 200),
    $filter: context.args["filter"],
    $orderby: "properties/createdTimeUtc desc",
  });
  const incidents = (page.value ?? []).map(toContextIncident);
  const next = nextLinkParts(context, "azure-sentinel-list-incidents", page);
  return {
    readable:
      tableToMarkdown(`Incidents List (${incidents.length} results)`, incidents, HEADERS) + next.readable,
    outputsPrefix: "AzureSentinel.Incident",
    outputsKeyField: "ID",
    outputs: incidents,
    ...(next.additionalOutputs ? { additionalOutputs: next.additionalOutputs } : {}),
    raw: page,
  };
}

/** `azure-sentinel-get-incident-by-id`: GET …/incidents/{id}. */
export async function getIncident(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const incident = await sentinelRequest<Incident>(context, "GET", `incidents/${encodeURIComponent(id)}`);
  return incidentResult(`Incident ${id} details`, incident);
}

/** The PUT body of an update: the current incident's etag and required fields, with the arguments applied. */
function updatedIncident(context: CommandContext, current: Incident): Record<string, unknown> {
  const args = context.args;
  const p = current.properties ?? {};
  let owner: Record<string, unknown> = { ...(p.owner ?? {}) };
  if (args["unassign"] === "true") owner = {};
  else if (args["assignee_objectid"]) owner = { objectId: args["assignee_objectid"] };
  else {
    if (args["user_principal_name"]) owner = { userPrincipalName: args["user_principal_name"] };
    if (args["assignee_email"]) owner["email"] = args["assignee_email"];
  }
  const labels = listArgument(args["labels"]);
  return {
    etag: current.etag,
    properties: withoutEmpty({
      title: args["title"] || p["title"],
      description: args["description"] || p["description"],
      severity: args["severity"] || p["severity"],
      status: args["status"] || p["status"],
      classification: args["classification"],
      classificationComment: args["classification_comment"],
      classificationReason: args["classification_reason"],
      labels: labels.length ? labels.map((label) => ({ labelName: label, labelType: "User" })) : p.labels,
      owner,
    }),
  };
}

/** `azure-sentinel-update-incident`: GET the incident (etag, required fields), then PUT it with the changes. */
export async function updateIncident(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const path = `incidents/${encodeURIComponent(id)}`;
  const current = await sentinelRequest<Incident>(context, "GET", path);
  const updated = await sentinelRequest<Incident>(context, "PUT", path, {
    body: updatedIncident(context, current),
  });
  return incidentResult(`Updated incidents ${id} details`, updated);
}

/** `azure-sentinel-delete-incident`: DELETE …/incidents/{id}. */
export async function deleteIncident(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  await sentinelRequest(context, "DELETE", `incidents/${encodeURIComponent(id)}`);
  return {
    readable: `Incident ${id} was deleted successfully.`,
    outputsPrefix: "AzureSentinel.Incident",
    outputsKeyField: "ID",
    outputs: { ID: id, Deleted: true },
  };
}

interface Comment {
  name?: string;
  properties?: {
    message?: string;
    createdTimeUtc?: string;
    author?: { name?: string; assignedTo?: string; email?: string };
  };
}

function toContextComment(comment: Comment, incidentId: string): Record<string, unknown> {
  const p = comment.properties ?? {};
  return withoutEmpty({
    ID: comment.name,
    IncidentID: incidentId,
    Message: p.message,
    AuthorName: p.author?.assignedTo ?? p.author?.name,
    AuthorEmail: p.author?.email,
    CreatedTimeUTC: formatDate(p.createdTimeUtc),
  });
}

const COMMENT_HEADERS = ["ID", "IncidentID", "Message", "AuthorName", "AuthorEmail", "CreatedTimeUTC"];

/** `azure-sentinel-list-incident-comments`: GET …/incidents/{id}/comments with `$top`, or the next link. */
export async function listIncidentComments(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const page = await readPage<Comment>(context, `incidents/${encodeURIComponent(id)}/comments`, {
    $top: limitArgument(context, 50),
  });
  const comments = (page.value ?? []).map((comment) => toContextComment(comment, id));
  const next = nextLinkParts(context, "azure-sentinel-list-incident-comments", page, { incident_id: id });
  return {
    readable:
      tableToMarkdown(`Incident ${id} Comments (${comments.length} results)`, comments, COMMENT_HEADERS) +
      next.readable,
    outputsPrefix: "AzureSentinel.IncidentComment",
    outputsKeyField: "ID",
    outputs: comments,
    ...(next.additionalOutputs ? { additionalOutputs: next.additionalOutputs } : {}),
    raw: page,
  };
}

/** `azure-sentinel-incident-add-comment`: PUT …/incidents/{id}/comments/{new GUID}. */
export async function addIncidentComment(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const comment = await sentinelRequest<Comment>(
    context,
    "PUT",
    `incidents/${encodeURIComponent(id)}/comments/${randomUUID()}`,
    { body: { properties: { message: context.args["message"] } } },
  );
  const entry = toContextComment(comment ?? {}, id);
  return {
    readable: tableToMarkdown(`Incident ${id} new comment details`, [entry], COMMENT_HEADERS),
    outputsPrefix: "AzureSentinel.IncidentComment",
    outputsKeyField: "ID",
    outputs: entry,
    raw: comment,
  };
}

/** `azure-sentinel-incident-delete-comment`: DELETE …/incidents/{id}/comments/{comment}. */
export async function deleteIncidentComment(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const commentId = context.args["comment_id"] ?? "";
  await sentinelRequest(
    context,
    "DELETE",
    `incidents/${encodeURIComponent(id)}/comments/${encodeURIComponent(commentId)}`,
  );
  return { readable: `Comment ${commentId} was deleted successfully.` };
}

interface Relation {
  properties?: { relatedResourceName?: string; relatedResourceKind?: string };
}

/** `azure-sentinel-list-incident-relations`: GET …/incidents/{id}/relations; entity_kinds becomes a search.in filter. */
export async function listIncidentRelations(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  let filter = context.args["filter"] ?? "";
  const kinds = context.args["entity_kinds"];
  if (kinds) {
    filter = `${filter ? `${filter} and ` : ""}search.in(properties/relatedResourceKind, '${kinds}', ',')`;
  }
  const page = await readPage<Relation>(context, `incidents/${encodeURIComponent(id)}/relations`, {
    $top: limitArgument(context, 50),
    $filter: filter || undefined,
  });
  const relations = (page.value ?? []).map((relation) => ({
    ID: relation.properties?.relatedResourceName,
    Kind: relation.properties?.relatedResourceKind,
    IncidentID: id,
  }));
  const next = nextLinkParts(context, "azure-sentinel-list-incident-relations", page, { incident_id: id });
  return {
    readable:
      tableToMarkdown(`Incident ${id} Relations (${relations.length} results)`, relations) + next.readable,
    outputsPrefix: "AzureSentinel.IncidentRelatedResource",
    outputsKeyField: "ID",
    outputs: relations,
    ...(next.additionalOutputs ? { additionalOutputs: next.additionalOutputs } : {}),
    raw: page,
  };
}

interface Item {
  name?: string;
  kind?: string;
  properties?: Record<string, unknown> & { additionalData?: Record<string, unknown> };
}

/** `azure-sentinel-list-incident-entities`: POST …/incidents/{id}/entities (the answer's `entities`). */
export async function listIncidentEntities(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const result = await sentinelRequest<{ entities?: Item[] }>(
    context,
    "POST",
    `incidents/${encodeURIComponent(id)}/entities`,
  );
  const entities = (result?.entities ?? []).map((entity) => ({
    IncidentId: id,
    ID: entity.name,
    Kind: entity.kind,
    Properties: entity.properties,
  }));
  return {
    readable: tableToMarkdown(`Incident ${id} Entities (${entities.length} results)`, entities, [
      "ID",
      "Kind",
      "IncidentId",
    ]),
    outputsPrefix: "AzureSentinel.IncidentEntity",
    outputsKeyField: "ID",
    outputs: entities,
    raw: result,
  };
}

/** `azure-sentinel-list-incident-alerts`: POST …/incidents/{id}/alerts (the answer's `value`). */
export async function listIncidentAlerts(context: CommandContext): Promise<CommandResult> {
  const id = context.args["incident_id"] ?? "";
  const result = await sentinelRequest<{ value?: Item[] }>(
    context,
    "POST",
    `incidents/${encodeURIComponent(id)}/alerts`,
  );
  const alerts = (result?.value ?? []).map((alert) => {
    const p = alert.properties ?? {};
    return withoutEmpty({
      IncidentId: id,
      ID: p["systemAlertId"],
      Kind: alert.kind,
      Tactic: p["tactics"],
      Techniques: p.additionalData?.["MitreTechniques"],
      DisplayName: p["alertDisplayName"],
      Description: p["description"],
      ConfidenceLevel: p["confidenceLevel"],
      Severity: p["severity"],
      VendorName: p["vendorName"],
      ProductName: p["productName"],
      ProductComponentName: p["productComponentName"],
    });
  });
  return {
    readable: tableToMarkdown(`Incident ${id} Alerts (${alerts.length} results)`, alerts, [
      "ID",
      "Kind",
      "IncidentId",
      "DisplayName",
      "Severity",
    ]),
    outputsPrefix: "AzureSentinel.IncidentAlert",
    outputsKeyField: "ID",
    outputs: alerts,
    raw: result,
  };
}
