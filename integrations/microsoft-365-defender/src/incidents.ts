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

/** `microsoft-365-defender-incidents-list`: GET /api/incidents. */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const offset = Number(args["offset"] ?? "0");
  if (!Number.isInteger(offset) || offset < 0)
    throw new UsageError(`offset must be a whole number (got "${args["offset"]}").`);
  const conditions = [
    args["status"] && `status eq '${args["status"]}'`,
    args["assigned_to"] && `assignedTo eq '${args["assigned_to"].replace(/'/g, "''")}'`,
  ].filter(Boolean);
  const response = await context.api.get<{ value?: Incident[] }>(
    "/api/incidents",
    {
      $top: limitArgument(context, 100),
      $skip: offset || undefined,
      $filter: conditions.length ? conditions.join(" and ") : undefined,
      $orderby: "createdTime desc",
    },
    { expect: "collection" },
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

/** `microsoft-365-defender-incident-get`: GET /api/incidents/{id}. */
export async function getIncident(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const incident = await context.api.get<Incident>(
    `/api/incidents/${encodeURIComponent(context.args["id"])}`,
  );
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
  const incident = await context.api.request<Incident>({
    method: "PATCH",
    path: `/api/incidents/${encodeURIComponent(args["id"])}`,
    body,
  });
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

/** `microsoft-365-defender-advanced-hunting`: POST /api/advancedhunting/run. */
export async function advancedHunting(context: CommandContext<{ query: string }>): Promise<CommandResult> {
  const query = context.args["query"];
  const response = await context.api.request<{
    Schema?: Array<{ Name?: string }>;
    Results?: Record<string, unknown>[];
  }>({ expect: "object", method: "POST", path: "/api/advancedhunting/run", body: { Query: query } });
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
