import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { type Page, sentinelRequest } from "./client.js";
import { toContextIncident } from "./incidents.js";

// XSOAR's mirroring debug commands, as reads a user can run by hand: which incidents changed since a time, an
// incident's mirrored fields, and the fields XSOAR mirrors out. The field lists are XSOAR's
// (INCOMING_MIRRORED_FIELDS / OUTGOING_MIRRORED_FIELDS of demisto/content Packs/AzureSentinel/Integrations/
// AzureSentinel/AzureSentinel.py).

/** The incident fields XSOAR writes back to Sentinel (its "Microsoft Sentinel Incident" mapping scheme). */
const OUTGOING_FIELDS = [
  "classification",
  "classificationComment",
  "classificationReason",
  "description",
  "etag",
  "firstActivityTimeUtc",
  "lastActivityTimeUtc",
  "severity",
  "status",
  "tags",
  "title",
];

const INCOMING_FIELDS = [
  "ID",
  "Etag",
  "Title",
  "Description",
  "Severity",
  "Status",
  "FirstActivityTimeUTC",
  "LastActivityTimeUTC",
  "LastModifiedTimeUTC",
  "CreatedTimeUTC",
  "IncidentNumber",
  "AlertsCount",
  "AlertProductNames",
  "Tactics",
  "IncidentUrl",
];

/** A time argument (ISO 8601 or epoch milliseconds) as XSOAR's filter writes it. */
function sinceArgument(raw: string | undefined): string {
  const value = raw && /^\d+$/.test(raw) ? Number(raw) : raw;
  const date = new Date(value ?? "");
  if (value === undefined || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `lastUpdate must be a date (e.g. 2024-05-01T10:00:00Z) or epoch milliseconds (got "${raw}").`,
    );
  }
  return date.toISOString();
}

/** `get-modified-remote-data`: the IDs of the incidents modified since lastUpdate (Incidents - List, every page). */
export async function getModifiedRemoteData(context: CommandContext): Promise<CommandResult> {
  const since = sinceArgument(context.args["lastUpdate"]);
  const ids: string[] = [];
  let page = await sentinelRequest<Page<{ name?: string }>>(context, "GET", "incidents", {
    query: { $filter: `properties/lastModifiedTimeUtc ge ${since}` },
  });
  ids.push(...(page.value ?? []).map((incident) => incident.name ?? ""));
  while (page.nextLink) {
    page = await context.api.get<Page<{ name?: string }>>(page.nextLink, undefined, { expect: "collection" });
    ids.push(...(page.value ?? []).map((incident) => incident.name ?? ""));
  }
  return {
    readable: tableToMarkdown(
      `Incidents modified since ${since} (${ids.length})`,
      ids.map((id) => ({ ID: id })),
    ),
    outputs: ids,
    raw: ids,
  };
}

/** `get-remote-data`: an incident's fields as XSOAR mirrors them in (Incidents - Get). */
export async function getRemoteData(context: CommandContext): Promise<CommandResult> {
  const id = context.args["id"] ?? "";
  const incident = await sentinelRequest<Parameters<typeof toContextIncident>[0]>(
    context,
    "GET",
    `incidents/${encodeURIComponent(id)}`,
  );
  const all = toContextIncident(incident);
  const mirrored = Object.fromEntries(
    INCOMING_FIELDS.filter((field) => all[field] !== undefined).map((field) => [field, all[field]]),
  );
  return {
    readable: tableToMarkdown(`Mirrored fields of incident ${id}`, [mirrored]),
    outputs: mirrored,
    raw: incident,
  };
}

/** `get-mapping-fields`: the incident fields XSOAR can mirror out to Sentinel. */
export async function getMappingFields(): Promise<CommandResult> {
  const rows = OUTGOING_FIELDS.map((field) => ({ "Microsoft Sentinel Incident": field }));
  return { readable: tableToMarkdown("Outgoing mirrored fields", rows), outputs: OUTGOING_FIELDS };
}
