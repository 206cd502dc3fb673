import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { fetchIncident, patchIncident, withTimeout } from "./incidents.js";

// XSOAR's mirroring commands, run by hand: what changed at Microsoft 365 Defender since a time, one incident if it
// changed, the fields that mirror out, and sending changed fields back.

/** The incident fields that mirror out to Microsoft 365 Defender (those PATCH /api/incidents/{id} takes). */
export const MIRRORED_FIELDS: Readonly<Record<string, string>> = {
  status: "Active, InProgress, Resolved or Redirected.",
  assignedTo: "The owner of the incident.",
  classification: "Unknown, FalsePositive, TruePositive or InformationalExpectedActivity.",
  determination: "The determination, e.g. Malware, Phishing or NotAvailable.",
  tags: "The incident's tags (a list).",
};

/** A time argument: ISO 8601, epoch seconds or milliseconds; 0 or empty means "the beginning". */
function timeArgument(raw: string | undefined, name: string): Date {
  if (!raw || raw === "0") return new Date(0);
  const number = Number(raw);
  const date = Number.isFinite(number) ? new Date(number < 1e11 ? number * 1000 : number) : new Date(raw);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`${name} must be an ISO 8601 time or epoch seconds (got "${raw}").`);
  return date;
}

/**
 * `get-modified-remote-data`: GET /api/incidents?$filter=lastUpdateTime ge {lastUpdate}, every page
 * (learn.microsoft.com/defender-xdr/api-list-incidents: $filter on lastUpdateTime, $top at most 100, $skip).
 */
export async function getModifiedRemoteData(context: CommandContext): Promise<CommandResult> {
  const since = timeArgument(context.args["lastUpdate"], "lastUpdate").toISOString();
  const ids: number[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = await withTimeout(
      context,
      context.api.get<{ value?: Array<{ incidentId?: number }> }>(
        "/api/incidents",
        { $filter: `lastUpdateTime ge ${since}`, $top: 100, $skip: skip || undefined },
        { expect: "collection" },
      ),
    );
    const incidents = page.value ?? [];
    ids.push(
      ...incidents.flatMap((incident) => (incident.incidentId === undefined ? [] : [incident.incidentId])),
    );
    if (incidents.length < 100) break;
  }
  return {
    readable: tableToMarkdown(
      `Incidents modified since ${since}:`,
      ids.map((id) => ({ incidentId: id })),
    ),
    raw: { modifiedIncidentIds: ids.map(String) },
  };
}

/** `get-remote-data`: GET /api/incidents/{id}; the incident if it changed after lastUpdate. */
export async function getRemoteData(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const since = timeArgument(context.args["lastUpdate"], "lastUpdate");
  const incident = await fetchIncident(context, context.args["id"]);
  const updated = Date.parse(String(incident["lastUpdateTime"] ?? ""));
  if (!Number.isNaN(updated) && updated <= since.getTime()) {
    return {
      readable: `Incident ${context.args["id"]} has not changed since ${since.toISOString()} (last updated ${incident["lastUpdateTime"]}).`,
      raw: { mirroredObject: {}, entries: [] },
    };
  }
  const { alerts: _alerts, ...fields } = incident;
  return {
    readable: tableToMarkdown(`Incident ${context.args["id"]} (updated ${incident["lastUpdateTime"]}):`, [
      fields,
    ]),
    raw: { mirroredObject: incident, entries: [] },
  };
}

/** `get-mapping-fields`: the fields of a Microsoft 365 Defender incident that mirror out (no request). */
export async function getMappingFields(): Promise<CommandResult> {
  const rows = Object.entries(MIRRORED_FIELDS).map(([field, description]) => ({ field, description }));
  return {
    readable: tableToMarkdown("Microsoft 365 Defender Incident fields that mirror out:", rows),
    raw: { "Microsoft 365 Defender Incident": MIRRORED_FIELDS },
  };
}

function parseDelta(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the message below.
  }
  throw new UsageError(
    `delta must be a JSON object of changed fields, e.g. {"status":"Resolved"} (got ${raw}).`,
  );
}

/** `update-remote-system`: PATCH /api/incidents/{remoteId} with the changed mirrored fields. */
export async function updateRemoteSystem(context: CommandContext): Promise<CommandResult> {
  const remoteId = context.args["remoteId"];
  if (!remoteId) throw new UsageError("remoteId is required: the Microsoft 365 Defender incident ID.");
  const delta = parseDelta(context.args["delta"]);
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(delta)) {
    if (!(field in MIRRORED_FIELDS)) continue;
    body[field] =
      field === "tags" && typeof value === "string"
        ? value
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean)
        : value;
  }
  if (Object.keys(body).length === 0 || context.args["incidentChanged"] === "false") {
    return { readable: `Nothing to update on incident ${remoteId}.`, raw: { remoteId } };
  }
  const incident = await patchIncident(context, remoteId, body);
  return {
    readable: `Updated incident ${remoteId} at Microsoft 365 Defender: ${Object.keys(body).join(", ")}.`,
    raw: { remoteId, incident },
  };
}
