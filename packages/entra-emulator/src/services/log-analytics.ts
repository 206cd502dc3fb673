import type { RouteContext, RouteResponse } from "../types.js";
import { hasRoleAssignment, SECURITY_WORKSPACE } from "./arm-security.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// The Log Analytics query API (learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute and
// …/metadata/get): KQL over the seeded workspace's tables. The emulator understands a small KQL subset: a table
// (or `print`), then `where <column> ==|!= <value>`, `take`/`limit`, `project`, `count`.

type Cell = string | number | boolean | null;

interface Table {
  name: string;
  columns: Array<{ name: string; type: string }>;
  rows: (now: number) => Cell[][];
}

const ago = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

const TABLES: readonly Table[] = [
  {
    name: "SecurityEvent",
    columns: [
      { name: "TimeGenerated", type: "datetime" },
      { name: "Computer", type: "string" },
      { name: "EventID", type: "int" },
      { name: "Account", type: "string" },
      { name: "Activity", type: "string" },
    ],
    rows: (now) => [
      [ago(now, 5), "WIN-SRV-01", 4625, "CONTOSO\\adele", "4625 - An account failed to log on."],
      [ago(now, 12), "WIN-SRV-01", 4624, "CONTOSO\\adele", "4624 - An account was successfully logged on."],
      [ago(now, 90), "WIN-SRV-02", 4688, "CONTOSO\\svc-backup", "4688 - A new process has been created."],
      [ago(now, 3000), "WIN-SRV-02", 4720, "CONTOSO\\admin", "4720 - A user account was created."],
    ],
  },
  {
    name: "SigninLogs",
    columns: [
      { name: "TimeGenerated", type: "datetime" },
      { name: "UserPrincipalName", type: "string" },
      { name: "ResultType", type: "string" },
      { name: "IPAddress", type: "string" },
      { name: "AppDisplayName", type: "string" },
    ],
    rows: (now) => [
      [ago(now, 3), "adele.vance@contoso.onmicrosoft.com", "50126", "203.0.113.7", "Azure Portal"],
      [ago(now, 20), "megan.bowen@contoso.onmicrosoft.com", "0", "198.51.100.12", "Microsoft Teams"],
    ],
  },
  {
    name: "Heartbeat",
    columns: [
      { name: "TimeGenerated", type: "datetime" },
      { name: "Computer", type: "string" },
      { name: "OSType", type: "string" },
    ],
    rows: (now) => [
      [ago(now, 1), "WIN-SRV-01", "Windows"],
      [ago(now, 1), "linux-web-01", "Linux"],
    ],
  },
];

interface Result {
  columns: Array<{ name: string; type: string }>;
  rows: Cell[][];
}

/** Log Analytics' 400 for a query it cannot run, with its nested `innererror`. */
function badQuery(ctx: RouteContext, code: string, message: string): RouteResponse {
  return ctx.json(400, {
    error: {
      message: "The request had some invalid properties",
      code: "BadArgumentError",
      correlationId: ctx.headers["x-ms-client-request-id"] ?? "00000000-0000-0000-0000-000000000000",
      innererror: { code, message },
    },
  });
}

/** `P1D`, `PT12H`, `PT30M` … in milliseconds; undefined when it is no duration. */
function durationMs(text: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!match || text.trim().toUpperCase() === "P" || /T$/i.test(text.trim())) return undefined;
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
}

function literal(text: string): Cell {
  const trimmed = text.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2]!;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Applies one `| operator` to the result; a string is the error message. */
function applyOperator(result: Result, operator: string): Result | string {
  const [name = "", ...rest] = operator.trim().split(/\s+/);
  const argument = rest.join(" ");
  const columnIndex = (column: string) => result.columns.findIndex((entry) => entry.name === column.trim());
  switch (name) {
    case "take":
    case "limit": {
      const count = Number(argument);
      if (!Number.isInteger(count) || count < 0) return `'${name}' needs a row count, got '${argument}'`;
      return { ...result, rows: result.rows.slice(0, count) };
    }
    case "where": {
      const match = /^(\w+)\s*(==|!=)\s*(.+)$/.exec(argument);
      if (!match) return `The emulator supports 'where <column> == <value>' and '!=' only, got '${argument}'`;
      const index = columnIndex(match[1]!);
      if (index < 0)
        return `'where' operator: Failed to resolve column or scalar expression named '${match[1]}'`;
      const value = literal(match[3]!);
      const equal = (cell: Cell) => String(cell) === String(value);
      return { ...result, rows: result.rows.filter((row) => (match[2] === "==") === equal(row[index]!)) };
    }
    case "project": {
      const names = argument.split(",").map((column) => column.trim());
      const indexes = names.map(columnIndex);
      const missing = names.find((_, position) => indexes[position]! < 0);
      if (missing) return `'project' operator: Failed to resolve scalar expression named '${missing}'`;
      return {
        columns: indexes.map((index) => result.columns[index]!),
        rows: result.rows.map((row) => indexes.map((index) => row[index]!)),
      };
    }
    case "count":
      return { columns: [{ name: "Count", type: "long" }], rows: [[result.rows.length]] };
    default:
      return `The emulator's KQL subset has no operator '${name}' (it knows where, take, limit, project, count)`;
  }
}

/** Runs a query of the subset; a string is the error message (SemanticError / SyntaxError). */
function runQuery(query: string, timespan: string | undefined, now: number): Result | string {
  const [source = "", ...operators] = query.split("|");
  const print = /^\s*print\s+(?:(\w+)\s*=\s*)?(.+?)\s*$/.exec(source);
  if (print) {
    return { columns: [{ name: print[1] ?? "print_0", type: "string" }], rows: [[literal(print[2]!)]] };
  }
  const table = TABLES.find((candidate) => candidate.name === source.trim());
  if (!table)
    return `'${source.trim()}': Failed to resolve table or column expression named '${source.trim()}'`;
  let rows = table.rows(now);
  if (timespan) {
    const span = durationMs(timespan);
    if (span === undefined) return `The timespan '${timespan}' is not an ISO 8601 duration`;
    rows = rows.filter((row) => Date.parse(String(row[0])) >= now - span);
  }
  let result: Result | string = { columns: table.columns, rows };
  for (const operator of operators) {
    result = applyOperator(result, operator);
    if (typeof result === "string") return result;
  }
  return result;
}

function workspaceKnown(ctx: RouteContext): boolean {
  const id = ctx.params["workspace"]?.toLowerCase();
  return id === SECURITY_WORKSPACE.customerId || id === SECURITY_WORKSPACE.name;
}

function workspaceNotFound(ctx: RouteContext): RouteResponse {
  return ctx.error(
    404,
    "WorkspaceNotFoundError",
    `The workspace ${ctx.params["workspace"]} could not be found`,
  );
}

function query(ctx: RouteContext): RouteResponse {
  if (!workspaceKnown(ctx)) return workspaceNotFound(ctx);
  const body = (ctx.method === "POST" ? ctx.body : ctx.query) as
    | { query?: unknown; timespan?: unknown }
    | undefined;
  if (typeof body?.query !== "string" || body.query.trim() === "") {
    return badQuery(ctx, "QueryValidationError", "The request is missing the 'query' property.");
  }
  const timespan = typeof body.timespan === "string" ? body.timespan : undefined;
  const result = runQuery(body.query, timespan, Date.now());
  if (typeof result === "string") return badQuery(ctx, "SemanticError", result);
  return ctx.json(200, { tables: [{ name: "PrimaryResult", ...result }] });
}

function metadata(ctx: RouteContext): RouteResponse {
  if (!workspaceKnown(ctx)) return workspaceNotFound(ctx);
  return ctx.json(200, {
    tables: TABLES.map((table) => ({
      id: `t/${table.name}`,
      name: table.name,
      timespanColumn: "TimeGenerated",
      columns: table.columns,
    })),
    workspaces: [
      {
        id: SECURITY_WORKSPACE.customerId,
        name: SECURITY_WORKSPACE.name,
        region: "westeurope",
        resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/${SECURITY_WORKSPACE.name}`,
      },
    ],
  });
}

/**
 * Who may read the workspace: a signed-in user's token needs the delegated Data.Read of the "Log Analytics API";
 * an app-only token needs only an Azure role on the workspace (learn.microsoft.com/azure/azure-monitor/logs/api/
 * register-app-for-token: Reader through Access control (IAM)), for which the emulator's stand-in is
 * {@link hasRoleAssignment}. Both refusals are the service's 403 InsufficientAccessError.
 */
function authorized(handler: (ctx: RouteContext) => RouteResponse): (ctx: RouteContext) => RouteResponse {
  return (ctx) => {
    const scopes = ctx.claims.scp?.split(" ").map((scope) => scope.toLowerCase());
    const allowed = scopes ? scopes.includes("data.read") : hasRoleAssignment(ctx);
    if (allowed) return handler(ctx);
    return ctx.json(403, {
      error: {
        message: "The provided credentials have insufficient access to perform the requested operation",
        code: "InsufficientAccessError",
        correlationId: ctx.headers["x-ms-client-request-id"] ?? "00000000-0000-0000-0000-000000000000",
      },
    });
  };
}

/** The Log Analytics query API (`api.loganalytics.io` and the national clouds' hosts). */
export const logAnalyticsService: EmulatedService = {
  key: "log-analytics",
  displayName: "Log Analytics query API",
  audiences: [
    "https://api.loganalytics.io",
    "https://api.loganalytics.us",
    "https://api.loganalytics.azure.cn",
    "https://api.loganalytics.azure.com",
    "ca7f3f0b-7d91-482c-8e09-c5d840d0eac5",
  ],
  hosts: /^api\.loganalytics\.(io|us|azure\.cn|azure\.com)$/,
  // The Log Analytics API's application permission ("Read Log Analytics data"); app-only access also works
  // without it, with an Azure role on the workspace.
  demoRoles: ["Data.Read"],
  demoScopes: ["Data.Read"],
  routes: (): ServiceRoute[] => [
    { method: "POST", path: "/v1/workspaces/:workspace/query", handler: authorized(query) },
    { method: "GET", path: "/v1/workspaces/:workspace/query", handler: authorized(query) },
    { method: "GET", path: "/v1/workspaces/:workspace/metadata", handler: authorized(metadata) },
    { method: "POST", path: "/v1/workspaces/:workspace/metadata", handler: authorized(metadata) },
  ],
};
