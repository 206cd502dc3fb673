import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Incident = Record<string, unknown> & { incidentId?: number; alerts?: unknown[] };

const HEADERS = [
  "incidentId",
  "incidentName",
  "status",
  "severity",
  "assignedTo",
  "classification",
  "createdTime",
];

function withAlertCount(incident: Incident): Record<string, unknown> {
  const { alerts, ...rest } = incident;
  return { ...rest, alertCount: alerts?.length ?? 0 };
}

/**
 * XSOAR's `timeout` argument (seconds, default 30): the command fails with a clear message when the API has not
 * answered by then. The request itself is not cancelled; its answer is dropped.
 */
export async function withTimeout<T>(context: CommandContext, work: Promise<T>): Promise<T> {
  const raw = context.args["timeout"] ?? "30";
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`timeout must be a positive number of seconds (got "${raw}").`);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new UsageError(
            `Microsoft 365 Defender did not answer within ${seconds} seconds: try again with a larger timeout.`,
          ),
        ),
      seconds * 1000,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** XSOAR's `odata` argument: a JSON object of OData query options, e.g. `{"$filter":"severity eq 'High'"}`. */
function odataOptions(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(
      `odata must be a JSON object such as {"$filter":"status eq 'Active'"} (got ${raw}).`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(
      `odata must be a JSON object such as {"$filter":"status eq 'Active'"} (got ${raw}).`,
    );
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

/**
 * `microsoft-365-defender-incidents-list`: GET /api/incidents. The service returns the most recent first and
 * documents $filter (lastUpdateTime, createdTime, status, assignedTo), $top (at most 100) and $skip only
 * (learn.microsoft.com/defender-xdr/api-list-incidents).
 */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const offset = Number(args["offset"] || "0");
  if (!Number.isInteger(offset) || offset < 0)
    throw new UsageError(`offset must be a whole number (got "${args["offset"]}").`);
  const odata = odataOptions(args["odata"]);
  const conditions = [
    args["status"] && `status eq '${args["status"]}'`,
    args["assigned_to"] && `assignedTo eq '${args["assigned_to"].replace(/'/g, "''")}'`,
    odata["$filter"],
  ].filter(Boolean);
  const response = await withTimeout(
    context,
    context.api.get<{ value?: Incident[] }>(
      "/api/incidents",
      {
        $top: limitArgument(context, 100),
        $skip: offset || undefined,
        ...odata,
        $filter: conditions.length ? conditions.join(" and ") : undefined,
      },
      { expect: "collection" },
    ),
  );
  const incidents = response?.value ?? [];
  return {
    readable: tableToMarkdown("Incidents:", incidents.map(withAlertCount), [...HEADERS, "alertCount"]),
    outputsPrefix: "Microsoft365Defender.Incident",
    outputsKeyField: "incidentId",
    outputs: incidents,
    raw: response,
  };
}

/** GET /api/incidents/{id} (learn.microsoft.com/defender-xdr/api-get-incident). */
export function fetchIncident(context: CommandContext, id: string): Promise<Incident> {
  return withTimeout(context, context.api.get<Incident>(`/api/incidents/${encodeURIComponent(id)}`));
}

/** `microsoft-365-defender-incident-get`: GET /api/incidents/{id}. */
export async function getIncident(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const incident = await fetchIncident(context, context.args["id"]);
  return {
    readable: tableToMarkdown(
      `Incident No. ${incident.incidentId}:`,
      [withAlertCount(incident)],
      [...HEADERS, "alertCount"],
    ),
    outputsPrefix: "Microsoft365Defender.Incident",
    outputsKeyField: "incidentId",
    outputs: incident,
    raw: incident,
  };
}

/** PATCH /api/incidents/{id} (learn.microsoft.com/defender-xdr/api-update-incidents). */
export function patchIncident(
  context: CommandContext,
  id: string,
  body: Record<string, unknown>,
): Promise<Incident> {
  return withTimeout(
    context,
    context.api.request<Incident>({
      method: "PATCH",
      path: `/api/incidents/${encodeURIComponent(id)}`,
      body,
    }),
  );
}

/** `microsoft-365-defender-incident-update`: PATCH /api/incidents/{id}. */
export async function updateIncident(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const { args } = context;
  const body: Record<string, unknown> = {};
  if (args["status"]) body["status"] = args["status"];
  if (args["assigned_to"]) body["assignedTo"] = args["assigned_to"];
  if (args["classification"]) body["classification"] = args["classification"];
  if (args["determination"]) body["determination"] = args["determination"];
  if (args["tags"])
    body["tags"] = args["tags"]
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
  if (args["comment"]) body["comment"] = args["comment"];
  if (Object.keys(body).length === 0)
    throw new UsageError(
      "Nothing to update: give status, assigned_to, classification, determination, tags or comment.",
    );
  const incident = await patchIncident(context, args["id"], body);
  return {
    readable: tableToMarkdown(
      `Updated incident No. ${args["id"]}:`,
      [withAlertCount(incident ?? {})],
      HEADERS,
    ),
    outputsPrefix: "Microsoft365Defender.Incident",
    outputsKeyField: "incidentId",
    outputs: incident,
    raw: incident,
  };
}

/** The query with XSOAR's `limit` (default 50; -1: as the query is) as a last `limit` stage. */
function limitedQuery(query: string, raw: string | undefined): string {
  const limit = Number(raw ?? "50");
  if (!Number.isInteger(limit) || limit === 0 || limit < -1)
    throw new UsageError(`limit must be a positive whole number, or -1 for no limit (got "${raw}").`);
  return limit === -1 ? query : `${query.trim()} | limit ${limit}`;
}

/** `microsoft-365-defender-advanced-hunting`: POST /api/advancedhunting/run. */
export async function advancedHunting(context: CommandContext<{ query: string }>): Promise<CommandResult> {
  const query = context.args["query"];
  const response = await withTimeout(
    context,
    context.api.request<{
      Schema?: Array<{ Name?: string }>;
      Results?: Record<string, unknown>[];
    }>({
      expect: "object",
      method: "POST",
      path: "/api/advancedhunting/run",
      body: { Query: limitedQuery(query, context.args["limit"]) },
    }),
  );
  const results = response?.Results ?? [];
  const headers = response?.Schema?.map((column) => column.Name ?? "").filter(Boolean);
  return {
    readable: tableToMarkdown(
      `Hunt results for ${query} query:`,
      results,
      headers?.length ? headers : undefined,
    ),
    outputsPrefix: "Microsoft365Defender.Hunt",
    outputsKeyField: "query",
    outputs: { query, results },
    raw: response,
  };
}
