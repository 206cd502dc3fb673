import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Entry = Record<string, unknown> & { id?: string };

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function clean(entry: Entry): Entry {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !key.startsWith("@odata")));
}

/** `<property> eq '<value>'` for each argument given, by argument name → Graph property. */
function equalities(args: Record<string, string | undefined>, properties: Record<string, string>): string[] {
  return Object.entries(properties)
    .filter(([name]) => args[name])
    .map(([name, property]) => `${property} eq ${quote(args[name]!)}`);
}

/** A date argument as the ISO 8601 instant `$filter` compares with (Graph's DateTimeOffset literals are unquoted). */
function isoDate(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`${name} must be a date, e.g. 2024-05-01T00:00:00Z.`);
  return new Date(time).toISOString();
}

const LAST_MODIFIED_HOURS: Record<string, number> = { Last24Hours: 24, Last48Hours: 48, LastWeek: 168 };

function lastModifiedSince(value: string): string {
  const hours = LAST_MODIFIED_HOURS[value];
  if (hours === undefined) {
    throw new UsageError(`last_modified must be one of ${Object.keys(LAST_MODIFIED_HOURS).join(", ")}.`);
  }
  return new Date(Date.now() - hours * 3_600_000).toISOString();
}

const ALERT_HEADERS = ["id", "title", "severity", "status", "serviceSource", "createdDateTime", "incidentId"];

/** `msg-search-alerts`: GET /v1.0/security/alerts_v2. */
export async function searchAlerts(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  // XSOAR's paging: page_size alerts a page and the page number (from 0); otherwise the first `limit` alerts.
  const pageSize = args["page_size"] ? limitArgument(context, 2000, "page_size") : undefined;
  const pageNumber = Number(args["page"] ?? "0");
  if (!Number.isInteger(pageNumber) || pageNumber < 0) {
    throw new UsageError(`page must be a whole number from 0 (got "${args["page"]}").`);
  }
  const limit = pageSize ? pageSize * (pageNumber + 1) : limitArgument(context, 2000);
  const conditions = [
    ...equalities(args, { severity: "severity", status: "status", category: "category" }),
    ...equalities(args, { classification: "classification", service_source: "serviceSource" }),
    args["time_from"] && `createdDateTime ge ${isoDate(args["time_from"], "time_from")}`,
    args["time_to"] && `createdDateTime le ${isoDate(args["time_to"], "time_to")}`,
    args["last_modified"] && `lastUpdateDateTime ge ${lastModifiedSince(args["last_modified"])}`,
    args["filter"],
  ].filter(Boolean);
  const { items: all } = await collectPages<Entry>(
    context.api,
    "/v1.0/security/alerts_v2",
    {
      $top: pageSize ?? Math.min(limit, 2000),
      $filter: conditions.length ? conditions.join(" and ") : undefined,
      $orderby: "createdDateTime desc",
    },
    limit,
  );
  const items = pageSize ? all.slice(pageSize * pageNumber) : all;
  const alerts = items.map(clean);
  return {
    readable: tableToMarkdown("Microsoft Security Graph Alerts", alerts, ALERT_HEADERS),
    outputsPrefix: "MsGraph.Alert",
    outputsKeyField: "id",
    outputs: alerts,
    raw: items,
  };
}

/** `msg-get-alert-details`: GET /v1.0/security/alerts_v2/{id}. */
export async function getAlertDetails(context: CommandContext<{ alert_id: string }>): Promise<CommandResult> {
  const alert = clean(
    await context.api.get<Entry>(`/v1.0/security/alerts_v2/${encodeURIComponent(context.args["alert_id"])}`),
  );
  return {
    readable: tableToMarkdown(`Microsoft Security Graph Alert Details - ${alert.id}`, [alert], ALERT_HEADERS),
    outputsPrefix: "MsGraph.Alert",
    outputsKeyField: "id",
    outputs: alert,
    raw: alert,
  };
}

/** `msg-update-alert`: PATCH /v1.0/security/alerts_v2/{id}. */
export async function updateAlert(context: CommandContext<{ alert_id: string }>): Promise<CommandResult> {
  const { args } = context;
  const body: Record<string, string> = {};
  if (args["status"]) body["status"] = args["status"];
  if (args["classification"]) body["classification"] = args["classification"];
  if (args["determination"]) body["determination"] = args["determination"];
  if (args["assigned_to"]) body["assignedTo"] = args["assigned_to"];
  if (Object.keys(body).length === 0) {
    throw new UsageError("Nothing to update: give status, classification, determination or assigned_to.");
  }
  const updated = await context.api.request<Entry>({
    method: "PATCH",
    path: `/v1.0/security/alerts_v2/${encodeURIComponent(args["alert_id"])}`,
    body,
  });
  return { readable: `Alert ${args["alert_id"]} has been successfully updated.`, raw: updated };
}

/**
 * `msg-list-security-incident`: GET /v1.0/security/incidents (filtered on status, severity, assignedTo and
 * classification), or GET /v1.0/security/incidents/{id} with incident_id.
 */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const limit = limitArgument(context, 50);
  const conditions = [
    ...equalities(args, {
      status: "status",
      severity: "severity",
      assigned_to: "assignedTo",
      classification: "classification",
    }),
    ...(args["odata"] ? [args["odata"]] : []),
  ];
  const items = args["incident_id"]
    ? [await context.api.get<Entry>(`/v1.0/security/incidents/${encodeURIComponent(args["incident_id"])}`)]
    : (
        await collectPages<Entry>(
          context.api,
          "/v1.0/security/incidents",
          {
            $top: limit,
            $filter: conditions.length ? conditions.join(" and ") : undefined,
            $orderby: "createdDateTime desc",
          },
          limit,
        )
      ).items;
  const incidents = items.map(clean);
  return {
    readable: tableToMarkdown("Security Incidents:", incidents, [
      "id",
      "displayName",
      "severity",
      "status",
      "assignedTo",
      "createdDateTime",
    ]),
    outputsPrefix: "MsGraph.Incident",
    outputsKeyField: "id",
    outputs: incidents,
    raw: items,
  };
}

/** `msg-advanced-hunting`: POST /v1.0/security/runHuntingQuery. */
export async function advancedHunting(context: CommandContext<{ query: string }>): Promise<CommandResult> {
  const query = context.args["query"];
  const response = await context.api.request<{ schema?: Array<{ name?: string }>; results?: Entry[] }>({
    expect: "object",
    method: "POST",
    path: "/v1.0/security/runHuntingQuery",
    body: { Query: query },
  });
  const results = response?.results ?? [];
  const headers = response?.schema?.map((column) => column.name ?? "").filter(Boolean);
  return {
    readable: tableToMarkdown(
      `Advanced hunting results for query: ${query}`,
      results,
      headers?.length ? headers : undefined,
    ),
    outputsPrefix: "MsGraph.HuntingQueryResults",
    outputsKeyField: "query",
    outputs: { query, results },
    raw: response,
  };
}
