import {
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Entry = Record<string, unknown>;
type Filters = Record<string, unknown>;

// Filter values as the Cloud Apps API takes them (learn.microsoft.com/defender-cloud-apps/api-alerts-list,
// api-activities-list, api-files-list, api-entities-list: "Filters").
const SEVERITY = { Low: 0, Medium: 1, High: 2 } as const;
const RESOLUTION = { Open: 0, Dismissed: 1, Resolved: 2 } as const;
const IP_CATEGORY = {
  Corporate: 1,
  Administrative: 2,
  Risky: 3,
  VPN: 4,
  Cloud_provider: 5,
  Other: 6,
} as const;
const SOURCE = {
  Access_control: 0,
  Session_control: 1,
  App_connector: 2,
  App_connector_analysis: 3,
  Discovery: 5,
  MDATP: 6,
} as const;
const FILE_TYPE = {
  Other: 0,
  Document: 1,
  Spreadsheet: 2,
  Presentation: 3,
  Text: 4,
  Image: 5,
  Folder: 6,
} as const;
const SHARING = { Private: 0, Internal: 1, External: 2, Public: 3, Public_Internet: 4 } as const;
const ENTITY_STATUS = { "N/A": 0, Staged: 1, Active: 2, Suspended: 3, Deleted: 4 } as const;

function skipOf(context: CommandContext): number {
  const skip = Number(context.args["skip"] || "0");
  if (!Number.isInteger(skip) || skip < 0)
    throw new UsageError(`skip must be a whole number (got "${context.args["skip"]}").`);
  return skip;
}

/** A named value of a predefined argument, as the API's number. */
function enumValue(map: Readonly<Record<string, number>>, name: string, argument: string): number {
  const value = map[name];
  if (value === undefined)
    throw new UsageError(`${argument} must be one of ${Object.keys(map).join(", ")} (got "${name}").`);
  return value;
}

/** XSOAR's custom_filter: the API's filters as a JSON object; given, it replaces the other filter arguments. */
function customFilter(context: CommandContext): Filters | undefined {
  const raw = context.args["custom_filter"];
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const object = parsed as Filters;
      return (object["filters"] as Filters | undefined) ?? object;
    }
  } catch {
    // Falls through to the message below.
  }
  throw new UsageError(
    `custom_filter must be a JSON object of filters, e.g. {"severity":{"eq":2}} (got ${raw}).`,
  );
}

/** The list endpoints take a POST body: filters, skip, limit, sort. */
async function list(context: CommandContext, path: string, filters: Filters, sorted = true) {
  return context.api.request<{ data?: Entry[]; total?: number; hasNext?: boolean }>({
    expect: "object",
    method: "POST",
    path,
    body: {
      filters: customFilter(context) ?? filters,
      skip: skipOf(context),
      limit: limitArgument(context, 100),
      ...(sorted ? { sortField: "date", sortDirection: "desc" } : {}),
    },
  });
}

const time = (value: unknown) => (typeof value === "number" ? new Date(value).toISOString() : value);

/** One entry by ID (GET {path}{id}/: api-alerts-fetch, api-activities-fetch, api-files-fetch), else a list. */
async function entries(
  context: CommandContext,
  idArgument: string,
  path: string,
  filters: () => Filters,
): Promise<{ items: Entry[]; raw: unknown }> {
  const id = context.args[idArgument];
  if (id) {
    const entry = await context.api.get<Entry>(`${path}${encodeURIComponent(id)}/`);
    return { items: [entry], raw: entry };
  }
  const response = await list(context, path, filters());
  return { items: response?.data ?? [], raw: response };
}

/** `microsoft-cas-alerts-list`: POST /api/v1/alerts/, or GET /api/v1/alerts/{alert_id}/. */
export async function listAlerts(context: CommandContext): Promise<CommandResult> {
  const { items: alerts, raw } = await entries(context, "alert_id", "/api/v1/alerts/", () => {
    const filters: Filters = {};
    const { severity, resolution_status: resolution } = context.args;
    if (severity) filters["severity"] = { eq: enumValue(SEVERITY, severity, "severity") };
    if (resolution)
      filters["resolutionStatus"] = { eq: enumValue(RESOLUTION, resolution, "resolution_status") };
    return filters;
  });
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Alerts",
      alerts.map((alert) => ({
        "Alert ID": alert["_id"],
        Title: alert["title"],
        Severity: alert["severityValue"],
        "Resolution Status": alert["resolutionStatusValue"],
        Time: time(alert["timestamp"]),
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Alerts",
    outputsKeyField: "_id",
    outputs: alerts,
    raw,
  };
}

/** `microsoft-cas-activities-list`: POST /api/v1/activities/, or GET /api/v1/activities/{activity_id}/. */
export async function listActivities(context: CommandContext): Promise<CommandResult> {
  const { items: activities, raw } = await entries(context, "activity_id", "/api/v1/activities/", () => {
    const { ip, ip_category: category, taken_action: action, source } = context.args;
    const filters: Filters = {};
    if (ip) filters["ip.address"] = { eq: [ip] };
    if (category) filters["ip.category"] = { eq: [enumValue(IP_CATEGORY, category, "ip_category")] };
    if (action) filters["activity.takenAction"] = { eq: [action] };
    if (source) filters["source"] = { eq: [enumValue(SOURCE, source, "source")] };
    return filters;
  });
  const addresses = activities.flatMap((activity) => {
    const address = (activity["ip"] as Entry | undefined)?.["address"];
    return typeof address === "string" ? [{ Address: address }] : [];
  });
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Activities",
      activities.map((activity) => ({
        "Activity ID": activity["_id"],
        Description: activity["description"],
        Time: time(activity["timestamp"]),
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Activities",
    outputsKeyField: "_id",
    outputs: activities,
    ...(addresses.length ? { additionalOutputs: { IP: addresses } } : {}),
    raw,
  };
}

/** `microsoft-cas-files-list`: POST /api/v1/files/, or GET /api/v1/files/{file_id}/. */
export async function listFiles(context: CommandContext): Promise<CommandResult> {
  const { items: files, raw } = await entries(context, "file_id", "/api/v1/files/", () => {
    const { filename, file_type: type, sharing, extension, quarantined } = context.args;
    const filters: Filters = {};
    if (filename) filters["filename"] = { eq: filename };
    if (type) filters["fileType"] = { eq: [enumValue(FILE_TYPE, type, "file_type")] };
    if (sharing) filters["sharing"] = { eq: [enumValue(SHARING, sharing, "sharing")] };
    if (extension) filters["extension"] = { eq: extension };
    if (quarantined) filters["quarantined"] = { eq: quarantined.toLowerCase() === "true" };
    return filters;
  });
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Files",
      files.map((file) => ({
        "File ID": file["_id"],
        Name: file["name"],
        Owner: file["ownerAddress"],
        "File Type": file["fileTypeDisplay"],
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.Files",
    outputsKeyField: "_id",
    outputs: files,
    raw,
  };
}

/** `microsoft-cas-users-accounts-list`: POST /api/v1/entities/ (learn.microsoft.com/defender-cloud-apps/api-entities-list). */
export async function listUsersAccounts(context: CommandContext): Promise<CommandResult> {
  const { type, group_id: group, is_admin: admin, is_external: external, status } = context.args;
  const filters: Filters = {};
  if (type) filters["type"] = { eq: type };
  if (group) filters["userGroups"] = { eq: group };
  if (admin) filters["isAdmin"] = { eq: !/^(false|no|0)$/i.test(admin) };
  if (external) {
    const values: Record<string, boolean | null> = { External: true, Internal: false, No_value: null };
    if (!(external in values))
      throw new UsageError(`is_external must be External, Internal or No_value (got "${external}").`);
    filters["isExternal"] = { eq: values[external] };
  }
  if (status) filters["status"] = { eq: enumValue(ENTITY_STATUS, status, "status") };
  const response = await list(context, "/api/v1/entities/", filters, false);
  const accounts = response?.data ?? [];
  return {
    readable: tableToMarkdown(
      "Microsoft CAS Users And Accounts",
      accounts.map((entry) => ({
        "Display Name": entry["displayName"],
        Type: entry["type"],
        Email: entry["email"],
        "Is Admin": entry["isAdmin"],
        "Is External": entry["isExternal"],
        "Threat Score": entry["threatScore"],
      })),
    ),
    outputsPrefix: "MicrosoftCloudAppSecurity.UsersAccounts",
    outputsKeyField: "_id",
    outputs: accounts,
    raw: response,
  };
}
