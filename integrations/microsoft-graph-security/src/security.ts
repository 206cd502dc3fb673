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

const ALERT_HEADERS = ["id", "title", "severity", "status", "serviceSource", "createdDateTime", "incidentId"];

/** `msg-search-alerts`: GET /v1.0/security/alerts_v2. */
export async function searchAlerts(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const limit = limitArgument(context, 2000);
  const conditions = [
    args["severity"] && `severity eq ${quote(args["severity"])}`,
    args["status"] && `status eq ${quote(args["status"])}`,
    args["filter"],
  ].filter(Boolean);
  const { items } = await collectPages<Entry>(
    context.api,
    "/v1.0/security/alerts_v2",
    {
      $top: Math.min(limit, 2000),
      $filter: conditions.length ? conditions.join(" and ") : undefined,
      $orderby: "createdDateTime desc",
    },
    limit,
  );
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

/** `msg-list-security-incident`: GET /v1.0/security/incidents. */
export async function listIncidents(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 50);
  const status = context.args["status"];
  const { items } = await collectPages<Entry>(
    context.api,
    "/v1.0/security/incidents",
    {
      $top: limit,
      $filter: status ? `status eq ${quote(status)}` : undefined,
      $orderby: "createdDateTime desc",
    },
    limit,
  );
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
