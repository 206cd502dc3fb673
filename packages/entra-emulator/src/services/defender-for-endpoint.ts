import type { RouteContext, RouteResponse } from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Microsoft Defender for Endpoint (the WindowsDefenderATP API): machines, alerts, machine actions, indicators,
// investigations and advanced hunting. Paths, permissions and shapes from learn.microsoft.com/defender-endpoint/api/
// (get-machines, get-alerts, isolate-machine, run-av-scan, get-machineactions-collection, ti-indicator,
// get-investigation-collection, run-advanced-query-api).

export type Entity = Record<string, unknown>;

/** One condition of an OData `$filter`: `field eq 'x'`, `field gt 2024-…`, `startswith(field,'x')`. */
interface Condition {
  field: string;
  op: "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "startswith" | "contains";
  value: string;
}

/** Parses the `and`-joined conditions the integrations send; undefined when the filter uses anything else. */
export function parseFilter(filter: string | undefined): Condition[] | undefined {
  if (!filter?.trim()) return [];
  const conditions: Condition[] = [];
  for (const part of filter.split(/\s+and\s+/i)) {
    const starts = /^(startswith|contains)\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(part.trim());
    if (starts) {
      const op = starts[1]!.toLowerCase() as "startswith" | "contains";
      conditions.push({ field: starts[2]!, op, value: starts[3]!.replace(/''/g, "'") });
      continue;
    }
    const compare = /^(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(?:'((?:[^']|'')*)'|(\S+))$/i.exec(part.trim());
    if (!compare) return undefined;
    const value = compare[3] !== undefined ? compare[3].replace(/''/g, "'") : compare[4]!;
    conditions.push({ field: compare[1]!, op: compare[2]!.toLowerCase() as Condition["op"], value });
  }
  return conditions;
}

function compareValues(actual: unknown, wanted: string): number {
  if (typeof actual === "number") return actual - Number(wanted);
  const a = String(actual ?? "");
  const timeA = Date.parse(a);
  const timeB = Date.parse(wanted);
  if (/^\d{4}-\d\d-\d\d/.test(a) && !Number.isNaN(timeA) && !Number.isNaN(timeB)) return timeA - timeB;
  return a.toLowerCase().localeCompare(wanted.toLowerCase());
}

function matches(entity: Entity, condition: Condition): boolean {
  const actual = entity[condition.field];
  switch (condition.op) {
    case "startswith":
      return String(actual ?? "")
        .toLowerCase()
        .startsWith(condition.value.toLowerCase());
    case "contains":
      return String(actual ?? "")
        .toLowerCase()
        .includes(condition.value.toLowerCase());
    case "eq":
      return compareValues(actual, condition.value) === 0;
    case "ne":
      return compareValues(actual, condition.value) !== 0;
    case "gt":
      return compareValues(actual, condition.value) > 0;
    case "ge":
      return compareValues(actual, condition.value) >= 0;
    case "lt":
      return compareValues(actual, condition.value) < 0;
    default:
      return compareValues(actual, condition.value) <= 0;
  }
}

/**
 * Applies `$filter`, `$orderby`, `$skip` and `$top` to a collection, or answers 400 the way the OData services
 * do. `maxTop` is the documented page limit.
 */
export function queryCollection(
  ctx: RouteContext,
  items: readonly Entity[],
  maxTop: number,
): { value: Entity[] } | RouteResponse {
  const conditions = parseFilter(ctx.query["$filter"]);
  if (!conditions) {
    return ctx.error(400, "InvalidRequestBody", `Invalid filter clause: '${ctx.query["$filter"]}'.`);
  }
  const top = ctx.query["$top"] === undefined ? maxTop : Number(ctx.query["$top"]);
  const skip = ctx.query["$skip"] === undefined ? 0 : Number(ctx.query["$skip"]);
  if (!Number.isInteger(top) || top < 0 || top > maxTop) {
    return ctx.error(400, "InvalidRequestBody", `$top must be between 0 and ${maxTop}.`);
  }
  if (!Number.isInteger(skip) || skip < 0) return ctx.error(400, "InvalidRequestBody", "Invalid $skip.");
  let result = items.filter((item) => conditions.every((condition) => matches(item, condition)));
  const order = /^(\w+)(?:\s+(asc|desc))?$/i.exec(ctx.query["$orderby"]?.trim() ?? "");
  if (order) {
    const sign = order[2]?.toLowerCase() === "desc" ? -1 : 1;
    const field = order[1]!;
    result = [...result].sort((a, b) => sign * compareValues(a[field], String(b[field] ?? "")));
  }
  return { value: result.slice(skip, skip + top) };
}

export const isResponse = (value: unknown): value is RouteResponse =>
  typeof value === "object" && value !== null && "status" in value;

/**
 * Defender for Endpoint's list calls "support OData V4 queries" with `$filter` on the properties each reference
 * page names, `$top` and `$skip` (and `$expand` where documented): anything else is refused as the service does.
 */
export function undocumentedQuery(
  ctx: RouteContext,
  filterable: readonly string[],
  options: readonly string[] = ["$filter", "$top", "$skip"],
): RouteResponse | undefined {
  for (const key of Object.keys(ctx.query)) {
    if (key.startsWith("$") && !options.includes(key)) {
      return ctx.error(
        400,
        "BadRequest",
        `The query specified in the URI is not valid: ${key} is not supported.`,
      );
    }
  }
  const conditions = parseFilter(ctx.query["$filter"]) ?? [];
  const fields = new Set(filterable.map((field) => field.toLowerCase()));
  const unknown = conditions.find((condition) => !fields.has(condition.field.toLowerCase()));
  if (unknown) {
    return ctx.error(
      400,
      "BadRequest",
      `The query specified in the URI is not valid: $filter is not supported on '${unknown.field}'.`,
    );
  }
  return undefined;
}

// $filter properties from each list call's reference page (learn.microsoft.com/defender-endpoint/api/…).
/** get-machines */
const MACHINE_FILTER = [
  "computerDnsName",
  "id",
  "version",
  "deviceValue",
  "aadDeviceId",
  "machineTags",
  "lastSeen",
  "exposureLevel",
  "onboardingStatus",
  "lastIpAddress",
  "healthStatus",
  "osPlatform",
  "riskScore",
  "rbacGroupId",
];
/** get-alerts */
const ALERT_FILTER = [
  "alertCreationTime",
  "lastUpdateTime",
  "incidentId",
  "investigationId",
  "id",
  "assignedTo",
  "detectionSource",
  "lastEventTime",
  "status",
  "severity",
  "category",
];
/** get-machineactions-collection */
const ACTION_FILTER = ["id", "status", "machineId", "type", "requestor", "creationDateTimeUtc"];
/** get-ti-indicators-collection */
const INDICATOR_FILTER = [
  "application",
  "createdByDisplayName",
  "expirationTime",
  "generateAlert",
  "title",
  "rbacGroupNames",
  "rbacGroupIds",
  "indicatorValue",
  "indicatorType",
  "creationTimeDateTimeUtc",
  "createdBy",
  "action",
  "severity",
];
/** get-investigation-collection */
const INVESTIGATION_FILTER = ["startTime", "id", "state", "machineId", "triggeringAlertId"];

const MACHINES: Entity[] = [
  {
    id: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    computerDnsName: "desktop-adele.contoso.com",
    firstSeen: "2024-01-15T08:12:44.0000000Z",
    lastSeen: "2026-12-06T22:41:05.0000000Z",
    osPlatform: "Windows11",
    osVersion: "10.0.22631",
    osProcessor: "x64",
    version: "23H2",
    lastIpAddress: "10.0.0.12",
    lastExternalIpAddress: "203.0.113.24",
    agentVersion: "10.8760.22621.1023",
    osBuild: 22631,
    healthStatus: "Active",
    onboardingStatus: "Onboarded",
    deviceValue: "Normal",
    rbacGroupId: 140,
    rbacGroupName: "Workstations",
    riskScore: "High",
    exposureLevel: "Medium",
    isAadJoined: true,
    aadDeviceId: "80fe8ff8-2624-418e-9591-41f0491218f9",
    machineTags: ["Finance"],
    ipAddresses: [
      { ipAddress: "10.0.0.12", macAddress: "00155D8A1C2B", type: "Ethernet", operationalStatus: "Up" },
    ],
  },
  {
    id: "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8",
    computerDnsName: "srv-file01.contoso.com",
    firstSeen: "2023-09-02T11:03:10.0000000Z",
    lastSeen: "2026-12-06T23:02:51.0000000Z",
    osPlatform: "WindowsServer2022",
    osVersion: "10.0.20348",
    osProcessor: "x64",
    version: "21H2",
    lastIpAddress: "10.0.1.5",
    lastExternalIpAddress: "203.0.113.10",
    agentVersion: "10.8760.20348.2113",
    osBuild: 20348,
    healthStatus: "Active",
    onboardingStatus: "Onboarded",
    deviceValue: "High",
    rbacGroupId: 141,
    rbacGroupName: "Servers",
    riskScore: "Medium",
    exposureLevel: "High",
    isAadJoined: false,
    aadDeviceId: null,
    machineTags: ["Tier0"],
    ipAddresses: [
      { ipAddress: "10.0.1.5", macAddress: "00155D8A1C3F", type: "Ethernet", operationalStatus: "Up" },
    ],
  },
  {
    id: "c4f3d2b1a09876543210fedcba9876543210abcd",
    computerDnsName: "mac-megan.contoso.com",
    firstSeen: "2024-03-20T14:55:00.0000000Z",
    lastSeen: "2026-11-30T17:20:12.0000000Z",
    osPlatform: "macOS",
    osVersion: "14.4",
    osProcessor: "ARM64",
    version: "14.4",
    lastIpAddress: "10.0.0.47",
    lastExternalIpAddress: "198.51.100.7",
    agentVersion: "101.24022.0001",
    osBuild: null,
    healthStatus: "Inactive",
    onboardingStatus: "Onboarded",
    deviceValue: "Normal",
    rbacGroupId: 140,
    rbacGroupName: "Workstations",
    riskScore: "Low",
    exposureLevel: "Low",
    isAadJoined: true,
    aadDeviceId: "2b0f6a4e-33c1-4a27-9f0e-6a6c2c1e9b14",
    machineTags: [],
    ipAddresses: [
      { ipAddress: "10.0.0.47", macAddress: "A4C3F0851E22", type: "Ethernet", operationalStatus: "Up" },
    ],
  },
];

const ALERTS: Entity[] = [
  {
    id: "da637551227677560813_-961444813",
    incidentId: 924518,
    investigationId: 7845,
    assignedTo: null,
    severity: "High",
    status: "New",
    classification: null,
    determination: null,
    investigationState: "Running",
    detectionSource: "WindowsDefenderAtp",
    category: "Execution",
    threatFamilyName: null,
    title: "Suspicious PowerShell command line",
    description: "A suspicious PowerShell activity was observed on the machine.",
    alertCreationTime: "2026-12-06T21:14:02.4466667Z",
    firstEventTime: "2026-12-06T21:12:51.0922601Z",
    lastEventTime: "2026-12-06T21:12:51.0922601Z",
    lastUpdateTime: "2026-12-06T21:15:10.1233333Z",
    machineId: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    computerDnsName: "desktop-adele.contoso.com",
    aadTenantId: null,
    comments: [],
    evidence: [
      {
        entityType: "Process",
        fileName: "powershell.exe",
        filePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
        processId: 7420,
        processCommandLine: "powershell.exe -nop -w hidden -enc SQBFAFgA",
        sha256: "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c",
        accountName: "adelev",
        domainName: "CONTOSO",
      },
      {
        entityType: "User",
        accountName: "adelev",
        domainName: "CONTOSO",
        userPrincipalName: "adelev@contoso.com",
      },
    ],
  },
  {
    id: "da637551227677560814_1283714592",
    incidentId: 924519,
    investigationId: null,
    assignedTo: "secops@contoso.com",
    severity: "Medium",
    status: "InProgress",
    classification: null,
    determination: null,
    investigationState: "PendingApproval",
    detectionSource: "WindowsDefenderAv",
    category: "Malware",
    threatFamilyName: "Emotet",
    title: "'Emotet' malware was detected",
    description: "Malware and unwanted software are undesirable applications that perform annoying actions.",
    alertCreationTime: "2026-12-05T09:41:37.2533333Z",
    firstEventTime: "2026-12-05T09:40:59.0000000Z",
    lastEventTime: "2026-12-05T09:40:59.0000000Z",
    lastUpdateTime: "2026-12-05T10:02:14.0000000Z",
    machineId: "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8",
    computerDnsName: "srv-file01.contoso.com",
    aadTenantId: null,
    comments: [],
    evidence: [
      {
        entityType: "File",
        fileName: "invoice_8812.doc",
        filePath: "D:\\Shares\\Finance",
        sha1: "9fe3ba25e5660c23dfe478d577cfacde5d1c7de5",
        sha256: "2d3b34c6e9c5f0a87f3ab4f69d8e81f0c7f2e0c0a7a8c9f2a1e1b2c3d4e5f6a7",
        detectionStatus: "Detected",
      },
    ],
  },
  {
    id: "da637551227677560815_-214355712",
    incidentId: 924520,
    investigationId: null,
    assignedTo: "secops@contoso.com",
    severity: "Low",
    status: "Resolved",
    classification: "FalsePositive",
    determination: "Other",
    investigationState: "Benign",
    detectionSource: "CustomDetection",
    category: "Discovery",
    threatFamilyName: null,
    title: "Network share enumeration",
    description: "A process enumerated network shares.",
    alertCreationTime: "2026-11-28T16:05:44.0000000Z",
    firstEventTime: "2026-11-28T16:04:10.0000000Z",
    lastEventTime: "2026-11-28T16:04:10.0000000Z",
    lastUpdateTime: "2026-11-29T08:00:00.0000000Z",
    machineId: "c4f3d2b1a09876543210fedcba9876543210abcd",
    computerDnsName: "mac-megan.contoso.com",
    aadTenantId: null,
    comments: [],
    evidence: [],
  },
];

/** Rows of the advanced-hunting tables both Defender APIs answer from (`<Table> | take n`). */
export const HUNTING_TABLES: Record<
  string,
  { schema: Array<{ Name: string; Type: string }>; rows: Entity[] }
> = {
  DeviceInfo: {
    schema: [
      { Name: "Timestamp", Type: "DateTime" },
      { Name: "DeviceId", Type: "String" },
      { Name: "DeviceName", Type: "String" },
      { Name: "OSPlatform", Type: "String" },
      { Name: "PublicIP", Type: "String" },
    ],
    rows: MACHINES.map((machine) => ({
      Timestamp: machine["lastSeen"],
      DeviceId: machine["id"],
      DeviceName: machine["computerDnsName"],
      OSPlatform: machine["osPlatform"],
      PublicIP: machine["lastExternalIpAddress"],
    })),
  },
  DeviceProcessEvents: {
    schema: [
      { Name: "Timestamp", Type: "DateTime" },
      { Name: "DeviceName", Type: "String" },
      { Name: "FileName", Type: "String" },
      { Name: "ProcessCommandLine", Type: "String" },
      { Name: "AccountName", Type: "String" },
    ],
    rows: [
      {
        Timestamp: "2026-12-06T21:12:51.0922601Z",
        DeviceName: "desktop-adele.contoso.com",
        FileName: "powershell.exe",
        ProcessCommandLine: "powershell.exe -nop -w hidden -enc SQBFAFgA",
        AccountName: "adelev",
      },
      {
        Timestamp: "2026-12-06T20:03:17.5518212Z",
        DeviceName: "srv-file01.contoso.com",
        FileName: "net.exe",
        ProcessCommandLine: "net view \\\\srv-file01",
        AccountName: "svc-backup",
      },
    ],
  },
  EmailAttachmentInfo: {
    schema: [
      { Name: "Timestamp", Type: "DateTime" },
      { Name: "NetworkMessageId", Type: "String" },
      { Name: "SenderFromAddress", Type: "String" },
      { Name: "RecipientEmailAddress", Type: "String" },
      { Name: "FileName", Type: "String" },
      { Name: "ThreatTypes", Type: "String" },
    ],
    rows: [
      {
        Timestamp: "2026-12-05T09:38:02.0000000Z",
        NetworkMessageId: "5c1a1f0e-7a59-4c1d-9d6e-08dc1526a1f1",
        SenderFromAddress: "billing@fabrikam-invoices.com",
        RecipientEmailAddress: "meganb@contoso.com",
        FileName: "invoice_8812.doc",
        ThreatTypes: "Malware",
      },
    ],
  },
};

/** Runs `<Table> [| take n | limit n]` over the seeded tables; anything else is a 400 as the service words it. */
export function runHunting(ctx: RouteContext): RouteResponse {
  const query = (ctx.body as { Query?: unknown } | undefined)?.Query;
  if (typeof query !== "string" || !query.trim()) {
    return ctx.error(400, "BadRequest", "The request body must contain a non-empty 'Query'.");
  }
  const [source, ...stages] = query.split("|").map((part) => part.trim());
  const table = HUNTING_TABLES[source ?? ""];
  if (!table) {
    return ctx.error(
      400,
      "BadRequest",
      `Query could not be parsed: Failed to resolve table or column expression named '${source}'.`,
    );
  }
  let rows = table.rows;
  for (const stage of stages) {
    const take = /^(?:take|limit)\s+(\d+)$/i.exec(stage);
    if (take) rows = rows.slice(0, Number(take[1]));
  }
  return ctx.json(200, {
    Stats: { ExecutionTime: 0.0312, resource_usage: { cache: {}, cpu: {} }, dataset_statistics: [] },
    Schema: table.schema,
    Results: rows,
  });
}

const MACHINE_READ = {
  roles: ["Machine.Read.All", "Machine.ReadWrite.All"],
  scopes: ["Machine.Read", "Machine.ReadWrite"],
};
const ALERT_READ = {
  roles: ["Alert.Read.All", "Alert.ReadWrite.All"],
  scopes: ["Alert.Read", "Alert.ReadWrite"],
};
const TI = { roles: ["Ti.ReadWrite", "Ti.ReadWrite.All"], scopes: ["Ti.ReadWrite"] };

/** Machine actions (isolate, unisolate, scan) on a seeded machine, with the state a later read shows. */
type ActionHandler = (
  type: string,
  body: (ctx: RouteContext) => Entity,
) => (ctx: RouteContext) => RouteResponse;

/** A handler that records a machine action of `type` on the addressed machine (201 with the action). */
function actionMaker(machines: Entity[], actions: Entity[]): ActionHandler {
  let next = 1;
  return (type, body) => (ctx) => {
    const machine = machines.find((candidate) => candidate["id"] === ctx.params["id"]);
    if (!machine) return ctx.error(404, "ResourceNotFound", `Machine ${ctx.params["id"]} was not found.`);
    const comment = (ctx.body as { Comment?: unknown } | undefined)?.Comment;
    if (typeof comment !== "string" || !comment) {
      return ctx.error(400, "InvalidRequestBody", "Request body is missing 'Comment'.");
    }
    const pending = actions.find(
      (action) =>
        action["machineId"] === machine["id"] && action["type"] === type && action["status"] === "Pending",
    );
    if (pending) {
      return ctx.error(
        400,
        "ActiveRequestAlreadyExists",
        `Action '${type}' on machine ${machine["id"]} already exists in status Pending (action ${pending["id"]}).`,
      );
    }
    const now = new Date().toISOString();
    const action: Entity = {
      id: `${(next++).toString(16).padStart(8, "0")}-4f5e-4b5a-9c1d-0a1b2c3d4e5f`,
      type,
      scope: null,
      requestor: ctx.claims.upn ?? ctx.claims.appid ?? ctx.claims.oid,
      requestorComment: comment,
      status: "Pending",
      machineId: machine["id"],
      computerDnsName: machine["computerDnsName"],
      creationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
      relatedFileInfo: null,
      ...body(ctx),
    };
    actions.push(action);
    return ctx.json(201, action);
  };
}

function machineActionRoutes(actions: Entity[], act: ActionHandler): ServiceRoute[] {
  // A pending action completes once read (the service takes minutes; a second read shows it done).
  const settle = (action: Entity) => {
    if (action["status"] === "Pending") {
      action["status"] = "Succeeded";
      action["lastUpdateDateTimeUtc"] = new Date().toISOString();
    }
    return action;
  };
  const isolation = (ctx: RouteContext) => {
    const type = (ctx.body as { IsolationType?: unknown } | undefined)?.IsolationType ?? "Full";
    return { scope: type === "Selective" ? "Selective" : "Full" };
  };
  const scan = (ctx: RouteContext) => {
    const type = (ctx.body as { ScanType?: unknown } | undefined)?.ScanType ?? "Quick";
    return { scope: type === "Full" ? "Full" : "Quick" };
  };
  const isolate = { roles: ["Machine.Isolate"], scopes: ["Machine.Isolate"] };
  return [
    { method: "POST", path: "/api/machines/:id/isolate", ...isolate, handler: act("Isolate", isolation) },
    {
      method: "POST",
      path: "/api/machines/:id/unisolate",
      ...isolate,
      handler: act("Unisolate", () => ({})),
    },
    {
      method: "POST",
      path: "/api/machines/:id/runAntiVirusScan",
      roles: ["Machine.Scan"],
      scopes: ["Machine.Scan"],
      handler: act("RunAntiVirusScan", scan),
    },
    {
      method: "GET",
      path: "/api/machineactions",
      ...MACHINE_READ,
      handler: (ctx) => {
        const refused = undocumentedQuery(ctx, ACTION_FILTER);
        if (refused) return refused;
        const page = queryCollection(ctx, actions, 10000);
        if (isResponse(page)) return page;
        return ctx.json(200, {
          "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#MachineActions",
          value: page.value.map(settle),
        });
      },
    },
    {
      method: "GET",
      path: "/api/machineactions/:id",
      ...MACHINE_READ,
      handler: (ctx) => {
        const action = actions.find((candidate) => candidate["id"] === ctx.params["id"]);
        if (!action)
          return ctx.error(404, "ResourceNotFound", `Machine action ${ctx.params["id"]} was not found.`);
        return ctx.json(200, settle(action));
      },
    },
  ];
}

function indicatorRoutes(indicators: Entity[]): ServiceRoute[] {
  let next = 9001;
  /** Submits or updates the indicator of that value and type (post-ti-indicator); a string is the refusal. */
  const upsert = (ctx: RouteContext, body: Entity): Entity | string => {
    for (const field of ["indicatorValue", "indicatorType", "action", "title", "description"]) {
      if (!body[field]) return `'${field}' is required.`;
    }
    const existing = indicators.find(
      (indicator) =>
        indicator["indicatorValue"] === body["indicatorValue"] &&
        indicator["indicatorType"] === body["indicatorType"],
    );
    const now = new Date().toISOString();
    const indicator: Entity = {
      ...(existing ?? { id: String(next++), creationTimeDateTimeUtc: now, createdBy: ctx.claims.appid }),
      ...body,
      lastUpdateTime: now,
      lastUpdatedBy: ctx.claims.appid,
    };
    if (existing) Object.assign(existing, indicator);
    else indicators.push(indicator);
    return indicator;
  };
  return [
    {
      method: "GET",
      path: "/api/indicators",
      ...TI,
      handler: (ctx) => {
        const refused = undocumentedQuery(ctx, INDICATOR_FILTER);
        if (refused) return refused;
        const page = queryCollection(ctx, indicators, 10000);
        return isResponse(page) ? page : ctx.json(200, page);
      },
    },
    {
      method: "POST",
      path: "/api/indicators",
      ...TI,
      handler: (ctx) => {
        const indicator = upsert(ctx, (ctx.body ?? {}) as Entity);
        return typeof indicator === "string"
          ? ctx.error(400, "InvalidRequestBody", indicator)
          : ctx.json(200, indicator);
      },
    },
    {
      // import-ti-indicators: at most 500 a request; each answered with its ID or why it failed.
      method: "POST",
      path: "/api/indicators/import",
      ...TI,
      handler: (ctx) => {
        const batch = (ctx.body as { Indicators?: unknown } | undefined)?.Indicators;
        if (!Array.isArray(batch) || batch.length === 0 || batch.length > 500) {
          return ctx.error(400, "InvalidRequestBody", "'Indicators' must list 1 to 500 indicators.");
        }
        const value = batch.map((item) => {
          const indicator = upsert(ctx, (item ?? {}) as Entity);
          const failed = typeof indicator === "string";
          return {
            id: failed ? null : indicator["id"],
            indicator: (item as Entity | null)?.["indicatorValue"] ?? null,
            isFailed: failed,
            failureReason: failed ? indicator : null,
          };
        });
        return ctx.json(200, { value });
      },
    },
    {
      method: "DELETE",
      path: "/api/indicators/:id",
      ...TI,
      handler: (ctx) => {
        const index = indicators.findIndex((indicator) => indicator["id"] === ctx.params["id"]);
        if (index < 0)
          return ctx.error(404, "ResourceNotFound", `Indicator ${ctx.params["id"]} was not found.`);
        indicators.splice(index, 1);
        return ctx.empty(204);
      },
    },
  ];
}

function alertRoutes(alerts: Entity[]): ServiceRoute[] {
  // Evidence comes only with `$expand=evidence`.
  const shape = (ctx: RouteContext, alert: Entity) => {
    if (/\bevidence\b/i.test(ctx.query["$expand"] ?? "")) return alert;
    const { evidence: _evidence, ...rest } = alert;
    return rest;
  };
  const find = (ctx: RouteContext) => alerts.find((alert) => alert["id"] === ctx.params["id"]);
  return [
    {
      method: "GET",
      path: "/api/alerts",
      ...ALERT_READ,
      handler: (ctx) => {
        const refused = undocumentedQuery(ctx, ALERT_FILTER, ["$filter", "$top", "$skip", "$expand"]);
        if (refused) return refused;
        const page = queryCollection(ctx, alerts, 10000);
        if (isResponse(page)) return page;
        return ctx.json(200, {
          "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Alerts",
          value: page.value.map((alert) => shape(ctx, alert)),
        });
      },
    },
    {
      method: "GET",
      path: "/api/alerts/:id",
      ...ALERT_READ,
      handler: (ctx) => {
        const alert = find(ctx);
        if (!alert) return ctx.error(404, "ResourceNotFound", `Alert ${ctx.params["id"]} was not found.`);
        return ctx.json(200, shape(ctx, alert));
      },
    },
    {
      method: "PATCH",
      path: "/api/alerts/:id",
      roles: ["Alert.ReadWrite.All"],
      scopes: ["Alert.ReadWrite"],
      handler: (ctx) => {
        const alert = find(ctx);
        if (!alert) return ctx.error(404, "ResourceNotFound", `Alert ${ctx.params["id"]} was not found.`);
        const body = (ctx.body ?? {}) as Entity;
        for (const field of ["status", "assignedTo", "classification", "determination"]) {
          if (body[field] !== undefined) alert[field] = body[field];
        }
        if (typeof body["comment"] === "string") {
          (alert["comments"] as Entity[]).push({
            comment: body["comment"],
            createdBy: ctx.claims.upn ?? ctx.claims.appid,
            createdTime: new Date().toISOString(),
          });
        }
        alert["lastUpdateTime"] = new Date().toISOString();
        return ctx.json(200, shape(ctx, alert));
      },
    },
  ];
}

function seedIndicators(): Entity[] {
  return [
    {
      id: "8001",
      indicatorValue: "fabrikam-invoices.com",
      indicatorType: "DomainName",
      action: "Block",
      application: null,
      source: "secops-automation",
      sourceType: "AadApp",
      title: "Phishing sender domain",
      description: "Domain of the invoice phishing wave of December.",
      severity: "High",
      recommendedActions: "Block and report.",
      creationTimeDateTimeUtc: "2026-12-05T10:10:00Z",
      expirationTime: "2027-06-05T10:10:00Z",
      generateAlert: true,
      rbacGroupNames: [],
    },
    {
      id: "8002",
      indicatorValue: "2d3b34c6e9c5f0a87f3ab4f69d8e81f0c7f2e0c0a7a8c9f2a1e1b2c3d4e5f6a7",
      indicatorType: "FileSha256",
      action: "BlockAndRemediate",
      application: null,
      source: "secops-automation",
      sourceType: "AadApp",
      title: "Emotet dropper",
      description: "invoice_8812.doc",
      severity: "High",
      recommendedActions: null,
      creationTimeDateTimeUtc: "2026-12-05T10:12:00Z",
      expirationTime: null,
      generateAlert: true,
      rbacGroupNames: [],
    },
  ];
}

function seedInvestigations(): Entity[] {
  return [
    {
      id: "7845",
      startTime: "2026-12-06T21:15:00Z",
      endTime: null,
      state: "Running",
      cancelledBy: null,
      statusDetails: null,
      machineId: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
      computerDnsName: "desktop-adele.contoso.com",
      triggeringAlertId: "da637551227677560813_-961444813",
    },
    {
      id: "7690",
      startTime: "2026-11-28T16:06:00Z",
      endTime: "2026-11-28T16:40:12Z",
      state: "Benign",
      cancelledBy: null,
      statusDetails: null,
      machineId: "c4f3d2b1a09876543210fedcba9876543210abcd",
      computerDnsName: "mac-megan.contoso.com",
      triggeringAlertId: "da637551227677560815_-214355712",
    },
  ];
}

/**
 * `GET /api/machines/findbyip(ip='…',timestamp=…)` (find-machines-by-ip): the machines seen with that internal IP
 * within 15 minutes of the timestamp. Undefined when the path segment is not such a call.
 */
function findByIp(ctx: RouteContext, machines: readonly Entity[]): RouteResponse | undefined {
  const segment = ctx.params["id"] ?? "";
  if (!/^findbyip\(/i.test(segment)) return undefined;
  const call = /^findbyip\(ip='([^']+)',timestamp=([^)]+)\)$/i.exec(segment);
  const time = Date.parse(call?.[2] ?? "");
  if (!call || Number.isNaN(time)) {
    return ctx.error(400, "InvalidRequestBody", "Expected findbyip(ip='<ip>',timestamp=<ISO time>).");
  }
  const value = machines.filter(
    (machine) =>
      machine["lastIpAddress"] === call[1] &&
      Math.abs(Date.parse(String(machine["lastSeen"])) - time) <= 15 * 60_000,
  );
  return ctx.json(200, {
    "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Machines",
    value,
  });
}

function machineRoutes(machines: Entity[], investigations: Entity[]): ServiceRoute[] {
  return [
    {
      method: "GET",
      path: "/api/machines",
      ...MACHINE_READ,
      handler: (ctx) => {
        const refused = undocumentedQuery(ctx, MACHINE_FILTER);
        if (refused) return refused;
        const page = queryCollection(ctx, machines, 10000);
        if (isResponse(page)) return page;
        return ctx.json(200, {
          "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Machines",
          ...page,
        });
      },
    },
    {
      method: "GET",
      path: "/api/machines/:id",
      ...MACHINE_READ,
      handler: (ctx) => {
        const byIp = findByIp(ctx, machines);
        if (byIp) return byIp;
        const machine = machines.find((candidate) => candidate["id"] === ctx.params["id"]);
        if (!machine) return ctx.error(404, "ResourceNotFound", `Machine ${ctx.params["id"]} was not found.`);
        return ctx.json(200, machine);
      },
    },
    {
      method: "GET",
      path: "/api/investigations",
      ...ALERT_READ,
      handler: (ctx) => {
        const refused = undocumentedQuery(ctx, INVESTIGATION_FILTER);
        if (refused) return refused;
        const page = queryCollection(ctx, investigations, 10000);
        return isResponse(page) ? page : ctx.json(200, page);
      },
    },
    {
      method: "GET",
      path: "/api/investigations/:id",
      ...ALERT_READ,
      handler: (ctx) => {
        const found = investigations.find((candidate) => candidate["id"] === ctx.params["id"]);
        if (!found)
          return ctx.error(404, "ResourceNotFound", `Investigation ${ctx.params["id"]} was not found.`);
        return ctx.json(200, found);
      },
    },
    {
      method: "POST",
      path: "/api/advancedqueries/run",
      roles: ["AdvancedQuery.Read.All"],
      scopes: ["AdvancedQuery.Read"],
      handler: runHunting,
    },
  ];
}

const FILES: Entity[] = [
  {
    sha1: "9fe3ba25e5660c23dfe478d577cfacde5d1c7de5",
    sha256: "2d3b34c6e9c5f0a87f3ab4f69d8e81f0c7f2e0c0a7a8c9f2a1e1b2c3d4e5f6a7",
    md5: "8d777f385d3dfec8815d20f7496026dc",
    globalPrevalence: 41,
    globalFirstObserved: "2026-12-04T22:10:05.0000000Z",
    globalLastObserved: "2026-12-06T11:47:30.0000000Z",
    size: 184320,
    fileType: "Document",
    isPeFile: false,
    filePublisher: null,
    fileProductName: null,
    signer: null,
    issuer: null,
    signerHash: null,
    isValidCertificate: null,
    determinationType: "Malware",
    determinationValue: "TrojanDownloader:O97M/Emotet",
    machines: ["7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8"],
    orgFirstSeen: "2026-12-05T09:40:59Z",
    orgLastSeen: "2026-12-05T09:40:59Z",
    topFileNames: ["invoice_8812.doc"],
  },
];

const DOMAINS: Record<string, { machines: string[]; orgFirstSeen: string; orgLastSeen: string }> = {
  "fabrikam-invoices.com": {
    machines: ["7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8", "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"],
    orgFirstSeen: "2026-12-05T09:38:40Z",
    orgLastSeen: "2026-12-06T08:12:10Z",
  },
};

const IPS: Record<string, { orgPrevalence: number; orgFirstSeen: string; orgLastSeen: string }> = {
  "203.0.113.99": {
    orgPrevalence: 2,
    orgFirstSeen: "2026-12-05T09:39:00Z",
    orgLastSeen: "2026-12-06T21:13:02Z",
  },
};

/** Logon users per machine (get-machine-log-on-users). */
const LOGONS: Record<string, Entity[]> = {
  "1e5bc9d7e413ddd7902c2932e418702b84d0cc07": [
    {
      id: "contoso\\adelev",
      accountName: "adelev",
      accountDomain: "contoso",
      accountSid: "S-1-5-21-1782543912-1357963820-1239811102-1105",
      firstSeen: "2024-01-15T08:20:00Z",
      lastSeen: "2026-12-06T21:12:40Z",
      logonTypes: "Interactive",
      isDomainAdmin: false,
      isOnlyNetworkUser: false,
    },
  ],
  "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8": [
    {
      id: "contoso\\svc-backup",
      accountName: "svc-backup",
      accountDomain: "contoso",
      accountSid: "S-1-5-21-1782543912-1357963820-1239811102-1207",
      firstSeen: "2023-09-02T12:00:00Z",
      lastSeen: "2026-12-06T20:03:17Z",
      logonTypes: "Network, Service",
      isDomainAdmin: true,
      isOnlyNetworkUser: true,
    },
  ],
};

/** The further responses of machine-actions.md: restrict, collect, quarantine, offboard, investigate, tags. */
function responseRoutes(
  machines: Entity[],
  actions: Entity[],
  investigations: Entity[],
  act: ActionHandler,
): ServiceRoute[] {
  const restrict = { roles: ["Machine.RestrictExecution"], scopes: ["Machine.RestrictExecution"] };
  const machine = (ctx: RouteContext) => machines.find((candidate) => candidate["id"] === ctx.params["id"]);
  return [
    {
      method: "POST",
      path: "/api/machines/:id/restrictCodeExecution",
      ...restrict,
      handler: act("RestrictCodeExecution", () => ({})),
    },
    {
      method: "POST",
      path: "/api/machines/:id/unrestrictCodeExecution",
      ...restrict,
      handler: act("UnrestrictCodeExecution", () => ({})),
    },
    {
      method: "POST",
      path: "/api/machines/:id/collectInvestigationPackage",
      roles: ["Machine.CollectForensics"],
      scopes: ["Machine.CollectForensics"],
      handler: act("CollectInvestigationPackage", () => ({})),
    },
    {
      method: "POST",
      path: "/api/machines/:id/StopAndQuarantineFile",
      roles: ["Machine.StopAndQuarantine"],
      scopes: ["Machine.StopAndQuarantine"],
      handler: (ctx) => {
        const sha1 = (ctx.body as { Sha1?: unknown } | undefined)?.Sha1;
        if (typeof sha1 !== "string" || !/^[0-9a-f]{40}$/i.test(sha1)) {
          return ctx.error(400, "InvalidRequestBody", "Request body 'Sha1' must be a SHA-1 hash.");
        }
        return act("StopAndQuarantineFile", () => ({
          relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: "Sha1" },
        }))(ctx);
      },
    },
    {
      method: "POST",
      path: "/api/machines/:id/offboard",
      roles: ["Machine.Offboard"],
      scopes: ["Machine.Offboard"],
      handler: act("Offboard", () => ({})),
    },
    {
      method: "GET",
      path: "/api/machineactions/:id/GetPackageUri",
      ...MACHINE_READ,
      scopes: ["Machine.CollectForensics"],
      handler: (ctx) => {
        const action = actions.find((candidate) => candidate["id"] === ctx.params["id"]);
        if (action?.["type"] !== "CollectInvestigationPackage") {
          return ctx.error(
            404,
            "ResourceNotFound",
            `Investigation package ${ctx.params["id"]} was not found.`,
          );
        }
        return ctx.json(200, {
          "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Edm.String",
          value: `https://userrequests-us.securitycenter.windows.com:443/safedownload/WDATP_Investigation_Package.zip?token=${action["id"]}`,
        });
      },
    },
    {
      method: "POST",
      path: "/api/machines/:id/startInvestigation",
      roles: ["Alert.ReadWrite.All"],
      scopes: ["Alert.ReadWrite"],
      handler: (ctx) => {
        const found = machine(ctx);
        if (!found) return ctx.error(404, "ResourceNotFound", `Machine ${ctx.params["id"]} was not found.`);
        const investigation: Entity = {
          id: String(7900 + investigations.length),
          startTime: new Date().toISOString(),
          endTime: null,
          state: "Running",
          cancelledBy: null,
          statusDetails: null,
          machineId: found["id"],
          computerDnsName: found["computerDnsName"],
          triggeringAlertId: null,
        };
        investigations.push(investigation);
        return ctx.json(201, investigation);
      },
    },
    {
      method: "POST",
      path: "/api/machines/:id/tags",
      roles: ["Machine.ReadWrite.All"],
      scopes: ["Machine.ReadWrite"],
      handler: (ctx) => {
        const found = machine(ctx);
        if (!found) return ctx.error(404, "ResourceNotFound", `Machine ${ctx.params["id"]} was not found.`);
        const { Value: value, Action: action } = (ctx.body ?? {}) as { Value?: unknown; Action?: unknown };
        if (typeof value !== "string" || (action !== "Add" && action !== "Remove")) {
          return ctx.error(
            400,
            "InvalidRequestBody",
            "Request body needs 'Value' and 'Action' (Add or Remove).",
          );
        }
        const tags = (found["machineTags"] as string[]).filter((tag) => tag !== value);
        found["machineTags"] = action === "Add" ? [...tags, value] : tags;
        return ctx.json(200, found);
      },
    },
  ];
}

/** Live response (run-live-response, get-live-response-result, cancel-machine-action). */
function liveResponseRoutes(actions: Entity[], act: ActionHandler): ServiceRoute[] {
  const live = { roles: ["Machine.LiveResponse"], scopes: ["Machine.LiveResponse"] };
  const TYPES = ["PutFile", "RunScript", "GetFile"];
  return [
    {
      method: "POST",
      path: "/api/machines/:id/runliveresponse",
      ...live,
      handler: (ctx) => {
        const commands = (ctx.body as { Commands?: unknown } | undefined)?.Commands;
        if (!Array.isArray(commands) || commands.length === 0) {
          return ctx.error(400, "InvalidRequestBody", "Request body needs 'Commands'.");
        }
        const bad = commands.find((command: { type?: unknown }) => !TYPES.includes(String(command?.type)));
        if (bad)
          return ctx.error(400, "InvalidRequestBody", `Unknown live response command type '${bad?.type}'.`);
        return act("LiveResponse", () => ({
          title: null,
          commands: commands.map((command, index) => ({
            index,
            startTime: null,
            endTime: null,
            commandStatus: "Created",
            errors: [],
            command,
          })),
        }))(ctx);
      },
    },
    {
      method: "GET",
      // GetLiveResponseResultDownloadLink(index={n}): one path segment, parsed here.
      path: "/api/machineactions/:id/:call",
      ...live,
      handler: (ctx) => {
        const call = /^GetLiveResponseResultDownloadLink\(index=(\d+)\)$/i.exec(ctx.params["call"] ?? "");
        if (!call) return ctx.error(404, "ResourceNotFound", `No such call: ${ctx.params["call"]}.`);
        const action = actions.find((candidate) => candidate["id"] === ctx.params["id"]);
        const commands = (action?.["commands"] as Entity[] | undefined) ?? [];
        const index = Number(call[1]);
        if (action?.["type"] !== "LiveResponse" || !commands[index]) {
          return ctx.error(
            404,
            "ResourceNotFound",
            `Live response command ${index} of ${ctx.params["id"]} was not found.`,
          );
        }
        return ctx.json(200, {
          "@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Edm.String",
          value: `https://core-livecommand-us.securitycenter.windows.com/api/download?token=${action["id"]}-${index}`,
        });
      },
    },
    {
      method: "POST",
      path: "/api/machineactions/:id/cancel",
      roles: [
        "Machine.LiveResponse",
        "Machine.CollectForensics",
        "Machine.Isolate",
        "Machine.RestrictExecution",
        "Machine.Scan",
        "Machine.Offboard",
        "Machine.StopAndQuarantine",
      ],
      scopes: [
        "Machine.LiveResponse",
        "Machine.CollectForensics",
        "Machine.Isolate",
        "Machine.RestrictExecution",
        "Machine.Scan",
        "Machine.Offboard",
        "Machine.StopAndQuarantine",
      ],
      handler: (ctx) => {
        const action = actions.find((candidate) => candidate["id"] === ctx.params["id"]);
        if (!action)
          return ctx.error(404, "ResourceNotFound", `Machine action ${ctx.params["id"]} was not found.`);
        const comment = (ctx.body as { Comment?: unknown } | undefined)?.Comment;
        if (typeof comment !== "string" || !comment) {
          return ctx.error(400, "InvalidRequestBody", "Request body is missing 'Comment'.");
        }
        if (action["status"] !== "Pending" && action["status"] !== "InProgress") {
          return ctx.error(
            400,
            "InvalidRequestBody",
            `Machine action ${action["id"]} is ${action["status"]} and cannot be cancelled.`,
          );
        }
        Object.assign(action, {
          status: "Cancelled",
          cancellationRequestor: ctx.claims.upn ?? ctx.claims.appid,
          cancellationComment: comment,
          cancellationDateTimeUtc: new Date().toISOString(),
        });
        return ctx.json(200, action);
      },
    },
  ];
}

/** Files, domains, IPs and users: get-file-information, get-file-statistics, get-domain-statistics … */
function entityRoutes(machines: Entity[], alerts: Entity[]): ServiceRoute[] {
  const FILE_READ = { roles: ["File.Read.All"], scopes: ["File.Read.All"] };
  const file = (ctx: RouteContext) => {
    const id = ctx.params["id"]?.toLowerCase();
    return FILES.find((candidate) => [candidate["sha1"], candidate["sha256"], candidate["md5"]].includes(id));
  };
  const machinesById = (ids: readonly string[]) =>
    machines.filter((machine) => ids.includes(String(machine["id"])));
  const notFound = (ctx: RouteContext, what: string) =>
    ctx.error(404, "ResourceNotFound", `${what} ${Object.values(ctx.params)[0]} was not found.`);
  const collection = (ctx: RouteContext, context: string, value: Entity[]) =>
    ctx.json(200, {
      "@odata.context": `https://api.securitycenter.microsoft.com/api/$metadata#${context}`,
      value,
    });
  return [
    {
      method: "GET",
      path: "/api/files/:id",
      ...FILE_READ,
      handler: (ctx) => {
        const found = file(ctx);
        if (!found) return notFound(ctx, "File");
        const { machines: _m, orgFirstSeen: _f, orgLastSeen: _l, topFileNames: _t, ...rest } = found;
        return ctx.json(200, rest);
      },
    },
    {
      method: "GET",
      path: "/api/files/:id/stats",
      ...FILE_READ,
      handler: (ctx) => {
        const found = file(ctx);
        if (!found) return notFound(ctx, "File");
        return ctx.json(200, {
          sha1: found["sha1"],
          orgPrevalence: String((found["machines"] as string[]).length),
          orgFirstSeen: found["orgFirstSeen"],
          orgLastSeen: found["orgLastSeen"],
          globalPrevalence: String(found["globalPrevalence"]),
          globalFirstObserved: found["globalFirstObserved"],
          globalLastObserved: found["globalLastObserved"],
          topFileNames: found["topFileNames"],
        });
      },
    },
    {
      method: "GET",
      path: "/api/files/:id/machines",
      ...MACHINE_READ,
      handler: (ctx) => {
        const found = file(ctx);
        if (!found) return notFound(ctx, "File");
        return collection(ctx, "Machines", machinesById(found["machines"] as string[]));
      },
    },
    {
      method: "GET",
      path: "/api/domains/:domain/stats",
      roles: ["URL.Read.All"],
      scopes: ["URL.Read.All"],
      handler: (ctx) => {
        const found = DOMAINS[ctx.params["domain"]?.toLowerCase() ?? ""];
        if (!found) return notFound(ctx, "Domain");
        return ctx.json(200, {
          host: ctx.params["domain"],
          orgPrevalence: String(found.machines.length),
          orgFirstSeen: found.orgFirstSeen,
          orgLastSeen: found.orgLastSeen,
        });
      },
    },
    {
      method: "GET",
      path: "/api/domains/:domain/machines",
      ...MACHINE_READ,
      handler: (ctx) => {
        const found = DOMAINS[ctx.params["domain"]?.toLowerCase() ?? ""];
        return collection(ctx, "Machines", found ? machinesById(found.machines) : []);
      },
    },
    {
      method: "GET",
      path: "/api/ips/:ip/stats",
      roles: ["Ip.Read.All"],
      scopes: ["Ip.Read.All"],
      handler: (ctx) => {
        const found = IPS[ctx.params["ip"] ?? ""];
        if (!found) return notFound(ctx, "IP");
        return ctx.json(200, {
          ipAddress: ctx.params["ip"],
          ...found,
          orgPrevalence: String(found.orgPrevalence),
        });
      },
    },
    {
      method: "GET",
      path: "/api/users/:id/machines",
      ...MACHINE_READ,
      handler: (ctx) => {
        const name = ctx.params["id"]?.toLowerCase();
        const ids = Object.entries(LOGONS)
          .filter(([, users]) => users.some((user) => user["accountName"] === name))
          .map(([id]) => id);
        return collection(ctx, "Machines", machinesById(ids));
      },
    },
    {
      method: "GET",
      path: "/api/machines/:id/logonusers",
      roles: ["User.Read.All"],
      scopes: ["User.Read.All"],
      handler: (ctx) => {
        if (!machines.some((machine) => machine["id"] === ctx.params["id"])) return notFound(ctx, "Machine");
        return collection(ctx, "Users", LOGONS[ctx.params["id"] ?? ""] ?? []);
      },
    },
    {
      method: "GET",
      path: "/api/machines/:id/alerts",
      ...ALERT_READ,
      handler: (ctx) => {
        if (!machines.some((machine) => machine["id"] === ctx.params["id"])) return notFound(ctx, "Machine");
        const value = alerts
          .filter((alert) => alert["machineId"] === ctx.params["id"])
          .map(({ evidence: _evidence, ...rest }) => rest);
        return collection(ctx, "Alerts", value);
      },
    },
  ];
}

// Defender Vulnerability Management: learn.microsoft.com/defender-endpoint/api/get-software, get-vuln-by-software,
// get-machines-by-software, get-software-ver-distribution, get-missing-kbs-software, get-all-vulnerabilities,
// get-all-vulnerabilities-by-machines, get-machines-by-vulnerability.
const SOFTWARE: Entity[] = [
  {
    id: "microsoft-_-edge",
    name: "edge",
    vendor: "microsoft",
    weaknesses: 1,
    publicExploit: true,
    activeAlert: false,
    exposedMachines: 1,
    installedMachines: 2,
    impactScore: 4.2,
    isNormalized: true,
    category: "Application",
    distributions: [],
  },
  {
    id: "7-zip-_-7-zip",
    name: "7-zip",
    vendor: "7-zip",
    weaknesses: 0,
    publicExploit: false,
    activeAlert: false,
    exposedMachines: 0,
    installedMachines: 1,
    impactScore: 0,
    isNormalized: false,
    category: "Application",
    distributions: [],
  },
];
const VULNERABILITIES: Entity[] = [
  {
    id: "CVE-2026-21345",
    name: "CVE-2026-21345",
    description: "Microsoft Edge (Chromium-based) remote code execution vulnerability.",
    severity: "High",
    cvssV3: 8.8,
    exposedMachines: 1,
    publishedOn: "2026-11-12T00:00:00Z",
    updatedOn: "2026-11-20T00:00:00Z",
    publicExploit: true,
    exploitVerified: false,
    exploitInKit: false,
    exploitTypes: ["RemoteCodeExecution"],
    exploitUris: [],
  },
  {
    id: "CVE-2026-20011",
    name: "CVE-2026-20011",
    description: "Windows SMB information disclosure vulnerability.",
    severity: "Medium",
    cvssV3: 5.5,
    exposedMachines: 1,
    publishedOn: "2026-10-08T00:00:00Z",
    updatedOn: "2026-10-08T00:00:00Z",
    publicExploit: false,
    exploitVerified: false,
    exploitInKit: false,
    exploitTypes: [],
    exploitUris: [],
  },
];
const MACHINE_VULNERABILITIES: Entity[] = [
  {
    id: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07-_-CVE-2026-21345-_-microsoft-_-edge-_-131.0.2903.70-_-",
    cveId: "CVE-2026-21345",
    machineId: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    fixingKbId: null,
    productName: "edge",
    productVendor: "microsoft",
    productVersion: "131.0.2903.70",
    severity: "High",
  },
  {
    id: "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8-_-CVE-2026-20011-_-microsoft-_-windows_server_2022-_-10.0.20348.2113-_-5048654",
    cveId: "CVE-2026-20011",
    machineId: "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8",
    fixingKbId: "5048654",
    productName: "windows_server_2022",
    productVendor: "microsoft",
    productVersion: "10.0.20348.2113",
    severity: "Medium",
  },
];

function vulnerabilityRoutes(machines: readonly Entity[]): ServiceRoute[] {
  const SOFTWARE_READ = { roles: ["Software.Read.All"], scopes: ["Software.Read"] };
  const VULN_READ = { roles: ["Vulnerability.Read.All"], scopes: ["Vulnerability.Read"] };
  const software = (ctx: RouteContext) => SOFTWARE.find((item) => item["id"] === ctx.params["id"]);
  const missing = (ctx: RouteContext) =>
    ctx.error(404, "ResourceNotFound", `Software ${ctx.params["id"]} was not found.`);
  const references = (ids: readonly unknown[]) =>
    machines
      .filter((machine) => ids.includes(machine["id"]))
      .map((machine) => ({
        id: machine["id"],
        computerDnsName: machine["computerDnsName"],
        osPlatform: machine["osPlatform"],
        rbacGroupName: machine["rbacGroupName"],
        rbacGroupId: machine["rbacGroupId"],
      }));
  const list = (
    ctx: RouteContext,
    items: readonly Entity[],
    filterable: readonly string[],
    maxTop: number,
  ) => {
    const refused = undocumentedQuery(ctx, filterable);
    if (refused) return refused;
    const page = queryCollection(ctx, items, maxTop);
    return isResponse(page) ? page : ctx.json(200, page);
  };
  const edge = SOFTWARE[0]!["id"];
  return [
    {
      method: "GET",
      path: "/api/Software",
      ...SOFTWARE_READ,
      handler: (ctx) => list(ctx, SOFTWARE, ["id", "name", "vendor"], 10000),
    },
    {
      method: "GET",
      path: "/api/Software/:id/vulnerabilities",
      ...VULN_READ,
      handler: (ctx) =>
        software(ctx)
          ? ctx.json(200, { value: ctx.params["id"] === edge ? [VULNERABILITIES[0]] : [] })
          : missing(ctx),
    },
    {
      method: "GET",
      path: "/api/Software/:id/machineReferences",
      ...SOFTWARE_READ,
      handler: (ctx) => {
        if (!software(ctx)) return missing(ctx);
        const ids =
          ctx.params["id"] === edge ? [machines[0]?.["id"], machines[1]?.["id"]] : [machines[1]?.["id"]];
        return ctx.json(200, { value: references(ids) });
      },
    },
    {
      method: "GET",
      path: "/api/Software/:id/distributions",
      ...SOFTWARE_READ,
      handler: (ctx) =>
        software(ctx)
          ? ctx.json(200, {
              value:
                ctx.params["id"] === edge
                  ? [
                      { version: "131.0.2903.70", installations: 1, vulnerabilities: 1 },
                      { version: "131.0.2903.112", installations: 1, vulnerabilities: 0 },
                    ]
                  : [{ version: "24.08", installations: 1, vulnerabilities: 0 }],
            })
          : missing(ctx),
    },
    {
      method: "GET",
      path: "/api/Software/:id/getmissingkbs",
      ...SOFTWARE_READ,
      handler: (ctx) => (software(ctx) ? ctx.json(200, { value: [] }) : missing(ctx)),
    },
    {
      method: "GET",
      path: "/api/vulnerabilities",
      ...VULN_READ,
      handler: (ctx) =>
        list(
          ctx,
          VULNERABILITIES,
          ["id", "name", "description", "cvssV3", "publishedOn", "severity", "updatedOn"],
          8000,
        ),
    },
    {
      method: "GET",
      path: "/api/vulnerabilities/machinesVulnerabilities",
      ...VULN_READ,
      handler: (ctx) =>
        list(
          ctx,
          MACHINE_VULNERABILITIES,
          [
            "id",
            "cveId",
            "machineId",
            "fixingKbId",
            "productName",
            "productVersion",
            "severity",
            "productVendor",
          ],
          8000,
        ),
    },
    {
      method: "GET",
      path: "/api/vulnerabilities/:cve/machineReferences",
      ...VULN_READ,
      handler: (ctx) => {
        const ids = MACHINE_VULNERABILITIES.filter((entry) => entry["cveId"] === ctx.params["cve"]).map(
          (entry) => entry["machineId"],
        );
        return ctx.json(200, { value: references(ids) });
      },
    },
  ];
}

const copy = <T>(value: T): T => structuredClone(value);

export const defenderForEndpoint: EmulatedService = {
  key: "defender-for-endpoint",
  displayName: "Microsoft Defender for Endpoint",
  audiences: [
    "https://securitycenter.onmicrosoft.com/windowsatpservice",
    "https://securitycenter.onmicrosoft.us/windowsatpservice",
    "https://api.securitycenter.microsoft.com",
    "https://api-gcc.securitycenter.microsoft.us",
    "https://api-gov.securitycenter.microsoft.us",
  ],
  hosts:
    /^(api(-[a-z0-9]+)?\.securitycenter\.microsoft\.com|api-(gcc|gov)\.securitycenter\.microsoft\.us|api(-[a-z0-9]+)?\.securitycenter\.windows\.com)$/i,
  demoRoles: [
    "Machine.Read.All",
    "Machine.ReadWrite.All",
    "Machine.Isolate",
    "Machine.Scan",
    "Alert.Read.All",
    "Alert.ReadWrite.All",
    "AdvancedQuery.Read.All",
    "Ti.ReadWrite.All",
    "Machine.RestrictExecution",
    "Machine.CollectForensics",
    "Machine.StopAndQuarantine",
    "Machine.Offboard",
    "File.Read.All",
    "URL.Read.All",
    "Ip.Read.All",
    "User.Read.All",
    "Software.Read.All",
    "Vulnerability.Read.All",
    "Machine.LiveResponse",
  ],
  demoScopes: [
    "Machine.Read",
    "Machine.Isolate",
    "Machine.Scan",
    "Alert.Read",
    "Alert.ReadWrite",
    "AdvancedQuery.Read",
    "Ti.ReadWrite",
    "Machine.ReadWrite",
    "Machine.RestrictExecution",
    "Machine.CollectForensics",
    "Machine.StopAndQuarantine",
    "Machine.Offboard",
    "File.Read.All",
    "URL.Read.All",
    "Ip.Read.All",
    "User.Read.All",
    "Software.Read",
    "Vulnerability.Read",
    "Machine.LiveResponse",
  ],
  routes() {
    const machines = copy(MACHINES);
    const actions: Entity[] = [
      {
        id: "5382f7ea-7557-4ab7-9782-d50480024a4e",
        type: "RunAntiVirusScan",
        scope: "Quick",
        requestor: "secops@contoso.com",
        requestorComment: "Scan after the Emotet detection",
        status: "Succeeded",
        machineId: "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8",
        computerDnsName: "srv-file01.contoso.com",
        creationDateTimeUtc: "2026-12-05T10:05:00Z",
        lastUpdateDateTimeUtc: "2026-12-05T10:19:41Z",
        relatedFileInfo: null,
      },
    ];
    const investigations = seedInvestigations();
    const alerts = copy(ALERTS);
    const act = actionMaker(machines, actions);
    return [
      ...machineRoutes(machines, investigations),
      ...machineActionRoutes(actions, act),
      ...responseRoutes(machines, actions, investigations, act),
      ...liveResponseRoutes(actions, act),
      ...entityRoutes(machines, alerts),
      ...alertRoutes(alerts),
      ...indicatorRoutes(seedIndicators()),
      ...vulnerabilityRoutes(machines),
    ];
  },
};
