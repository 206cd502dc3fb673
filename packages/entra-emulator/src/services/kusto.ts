import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Azure Data Explorer (Kusto): a demo cluster with one database, the v1 and v2 query endpoints and the management
// endpoint (learn.microsoft.com/kusto/api/rest/request). Access is database RBAC, not token roles: an app
// registration that holds no permission at all stands for a principal the database does not list.

/** The demo cluster: its URL is both the API root and the token audience. */
export const DEMO_KUSTO_CLUSTER = "https://msintdemo.westeurope.kusto.windows.net";
/** The same demo cluster as a US Government (GCC-High) cluster would be named. */
export const DEMO_KUSTO_CLUSTER_US_GOV = "https://msintdemo.usgovvirginia.kusto.usgovcloudapi.net";
export const DEMO_KUSTO_DATABASE = "SecurityLogs";

type Column = { ColumnName: string; DataType: string; ColumnType: string };
type Table = { TableName: string; Columns: Column[]; Rows: unknown[][] };

const col = (name: string, type: string): Column => ({
  ColumnName: name,
  DataType:
    type === "string" ? "String" : type === "datetime" ? "DateTime" : type === "bool" ? "Boolean" : "Int64",
  ColumnType: type,
});

const SIGNINS: Table = {
  TableName: "SigninLogs",
  Columns: [
    col("TimeGenerated", "datetime"),
    col("UserPrincipalName", "string"),
    col("IPAddress", "string"),
    col("ResultType", "string"),
    col("AppDisplayName", "string"),
  ],
  Rows: [
    ["2026-12-06T07:58:12Z", "adelev@contoso.onmicrosoft.com", "203.0.113.24", "0", "Microsoft Teams"],
    [
      "2026-12-06T08:02:40Z",
      "alexw@contoso.onmicrosoft.com",
      "198.51.100.7",
      "50126",
      "Office 365 Exchange Online",
    ],
    [
      "2026-12-06T08:03:05Z",
      "alexw@contoso.onmicrosoft.com",
      "198.51.100.7",
      "50126",
      "Office 365 Exchange Online",
    ],
    ["2026-12-06T08:15:55Z", "meganb@contoso.onmicrosoft.com", "203.0.113.80", "0", "Azure Portal"],
  ],
};

const kustoError = (
  context: RouteContext,
  status: number,
  code: string,
  message: string,
  type: string,
  detail: string,
): RouteResponse =>
  context.json(status, {
    error: {
      code,
      message,
      "@type": type,
      "@message": detail,
      "@context": {
        timestamp: new Date().toISOString(),
        serviceAlias: "MSINTDEMO",
        clientRequestId: context.headers["x-ms-client-request-id"] ?? "",
      },
      "@permanent": true,
    },
  });

const badRequest = (context: RouteContext, detail: string) =>
  kustoError(
    context,
    400,
    "General_BadRequest",
    "Request is invalid and cannot be executed.",
    "Kusto.Data.Exceptions.KustoBadRequestException",
    detail,
  );

/** How the cluster names the caller: `aadapp=<app id>;<tenant>` or `aaduser=<object id>;<tenant>`. */
function principal(context: RouteContext): string {
  const { claims } = context;
  return claims.scp === undefined
    ? `aadapp=${claims.appid ?? claims.oid};${claims.tid}`
    : `aaduser=${claims.oid};${claims.tid}`;
}

/** What `.show queries` calls the caller: the user's UPN or `AAD app id=<id>`. */
function userName(context: RouteContext): string {
  return context.claims.scp === undefined
    ? `AAD app id=${context.claims.appid ?? context.claims.oid}`
    : String(context.claims.upn ?? context.claims.oid);
}

/** Runs a query of the tiny KQL subset the demo knows: `print`, or a table with `where ==`, `take`/`limit`, `count`. */
function runQuery(csl: string): Table | string {
  const [source = "", ...stages] = csl.split("|").map((part) => part.trim());
  const print = /^print\s+(.*)$/i.exec(source);
  if (print)
    return {
      TableName: "Table_0",
      Columns: [col("print_0", "string")],
      Rows: [[print[1]!.replace(/^["']|["']$/g, "")]],
    };
  if (source.toLowerCase() !== SIGNINS.TableName.toLowerCase())
    return `'${source}' could not be resolved to a table, function or expression.`;
  let rows = [...SIGNINS.Rows];
  let columns = SIGNINS.Columns;
  for (const stage of stages) {
    const take = /^(take|limit)\s+(\d+)$/i.exec(stage);
    const where = /^where\s+(\w+)\s*==\s*["']([^"']*)["']$/i.exec(stage);
    if (take) rows = rows.slice(0, Number(take[2]));
    else if (where) {
      const index = columns.findIndex((column) => column.ColumnName === where[1]);
      if (index < 0) return `Failed to resolve scalar expression named '${where[1]}'`;
      rows = rows.filter((row) => row[index] === where[2]);
    } else if (/^count$/i.test(stage)) {
      rows = [[rows.length]];
      columns = [col("Count", "long")];
    } else return `Syntax error: the demo cluster does not know '${stage}'.`;
  }
  return { TableName: "Table_0", Columns: columns, Rows: rows };
}

interface QueryRecord {
  ClientActivityId: string;
  Text: string;
  Database: string;
  StartedOn: string;
  State: string;
  User: string;
  Principal: string;
}

interface KustoState {
  completed: QueryRecord[];
  running: Map<string, QueryRecord>;
  canceled: Set<string>;
}

function seedState(): KustoState {
  const completed: QueryRecord[] = [
    {
      ClientActivityId: "KE.RunQuery;8c1d7a55-58b4-4a0f-9b5c-2f6c9d1e0a11",
      Text: "SigninLogs | where ResultType == '50126' | count",
      Database: DEMO_KUSTO_DATABASE,
      StartedOn: "2026-12-06T08:20:00Z",
      State: "Completed",
      User: "meganb@contoso.onmicrosoft.com",
      Principal: "aaduser=08fa38e4-cbfa-4488-94ed-c834da6539df",
    },
    {
      ClientActivityId: "KD2RunQuery;3f2e1d0c-9b8a-4765-8432-10fedcba9876",
      Text: "SigninLogs | take 100",
      Database: DEMO_KUSTO_DATABASE,
      StartedOn: "2026-12-06T08:10:00Z",
      State: "Failed",
      User: "alexw@contoso.onmicrosoft.com",
      Principal: "aaduser=87d349ed-44d7-43e1-9a83-5f2406dee5bd",
    },
  ];
  const running = new Map<string, QueryRecord>([
    [
      "KE.RunQuery;b7e4f1a2-3c5d-4e6f-8a9b-0c1d2e3f4a5b",
      {
        ClientActivityId: "KE.RunQuery;b7e4f1a2-3c5d-4e6f-8a9b-0c1d2e3f4a5b",
        Text: "SigninLogs | summarize count() by bin(TimeGenerated, 1m)",
        Database: DEMO_KUSTO_DATABASE,
        StartedOn: "2026-12-07T02:40:00Z",
        State: "InProgress",
        User: "meganb@contoso.onmicrosoft.com",
        Principal: "aaduser=08fa38e4-cbfa-4488-94ed-c834da6539df",
      },
    ],
  ]);
  return { completed, running, canceled: new Set() };
}

/** The caller's own long query, always running (so that there is one it may cancel). */
function ownQuery(context: RouteContext): QueryRecord {
  return {
    ClientActivityId: `XSOAR-DataExplorer;0f0e0d0c-msint-demo-${(context.claims.appid ?? context.claims.oid).slice(0, 8)}`,
    Text: "SigninLogs | where TimeGenerated > ago(30d) | summarize count() by UserPrincipalName",
    Database: DEMO_KUSTO_DATABASE,
    StartedOn: "2026-12-07T02:45:00Z",
    State: "InProgress",
    User: userName(context),
    Principal: principal(context),
  };
}

function queryTable(rows: QueryRecord[]): Table {
  const names: Array<keyof QueryRecord> = [
    "ClientActivityId",
    "Text",
    "Database",
    "StartedOn",
    "State",
    "User",
    "Principal",
  ];
  return {
    TableName: "Table_0",
    Columns: names.map((name) => col(name, name === "StartedOn" ? "datetime" : "string")),
    Rows: rows.map((row) => names.map((name) => row[name])),
  };
}

function management(state: KustoState, context: RouteContext, csl: string): Table | RouteResponse {
  const take = Number(/\|\s*take\s+(\d+)/i.exec(csl)?.[1] ?? "1000");
  // `| where ClientActivityId == "<id>"` of the .show commands (learn.microsoft.com/kusto/management/show-queries-command).
  const activity = /\|\s*where\s+ClientActivityId\s*==\s*"((?:[^"\\]|\\.)*)"/i
    .exec(csl)?.[1]
    ?.replace(/\\(.)/g, "$1");
  const byActivity = (row: { ClientActivityId: string }) =>
    activity === undefined || row.ClientActivityId === activity;
  if (/^\.show\s+version\b/i.test(csl)) {
    return {
      TableName: "Table_0",
      Columns: [
        col("BuildVersion", "string"),
        col("BuildTime", "datetime"),
        col("ServiceType", "string"),
        col("ProductVersion", "string"),
      ],
      Rows: [["1.0.9070.21870", "2026-11-01T00:00:00Z", "Engine", "KustoRelease_2026.11.01"]],
    };
  }
  if (/^\.show\s+databases\b/i.test(csl)) {
    return {
      TableName: "Table_0",
      Columns: [
        col("DatabaseName", "string"),
        col("PersistentStorage", "string"),
        col("Version", "string"),
        col("IsCurrent", "bool"),
      ],
      Rows: [[DEMO_KUSTO_DATABASE, "https://msintdemo.blob.core.windows.net/securitylogs", "v12.3", false]],
    };
  }
  if (/^\.show\s+running\s+queries\b/i.test(csl)) {
    const rows = [...state.running.values(), ownQuery(context)].filter(
      (row) => !state.canceled.has(row.ClientActivityId) && byActivity(row),
    );
    return queryTable(rows.slice(0, take));
  }
  if (/^\.show\s+queries\b/i.test(csl)) {
    const rows = [...state.completed].filter(byActivity).sort((a, b) => (a.StartedOn < b.StartedOn ? 1 : -1));
    return queryTable(rows.slice(0, take));
  }
  const cancel =
    /^\.cancel\s+query\s+"((?:[^"\\]|\\.)*)"(?:\s+with\s*\(\s*reason\s*=\s*"((?:[^"\\]|\\.)*)"\s*\))?\s*$/i.exec(
      csl,
    );
  if (cancel) {
    const id = cancel[1]!.replace(/\\(.)/g, "$1");
    const mine = ownQuery(context);
    const target = id === mine.ClientActivityId ? mine : state.running.get(id);
    if (!target || state.canceled.has(id))
      return badRequest(context, `Query '${id}' was not found among the running queries.`);
    if (target.Principal !== mine.Principal) {
      return kustoError(
        context,
        403,
        "Forbidden",
        "Caller is not authorized to perform this action",
        "Kusto.DataNode.Exceptions.UnauthorizedOperationException",
        `Principal '${principal(context)}' is not authorized to cancel query '${id}' (it needs the Database Admin role, or to have started the query).`,
      );
    }
    state.canceled.add(id);
    const reason = cancel[2]?.replace(/\\(.)/g, "$1") ?? "";
    return {
      TableName: "Table_0",
      Columns: [
        col("ClientRequestId", "string"),
        col("ReasonPhrase", "string"),
        col("RunningQueryCanceled", "bool"),
      ],
      Rows: [[id, reason, true]],
    };
  }
  return badRequest(
    context,
    `Syntax error: the demo cluster does not know the command '${csl.split(/\s/)[0]}'.`,
  );
}

function kustoRoutes(): ServiceRoute[] {
  const state = seedState();
  const { completed } = state;
  const guard = (context: RouteContext, database: string | undefined): RouteResponse | undefined => {
    const app = context.tenant?.apps.find((candidate) => candidate.clientId === context.claims.appid);
    if (
      context.claims.scp === undefined &&
      app &&
      !Object.values(app.grants ?? {}).some((roles) => roles.length > 0)
    ) {
      return kustoError(
        context,
        403,
        "Forbidden",
        "Caller is not authorized to perform this action",
        "Kusto.DataNode.Exceptions.UnauthorizedDatabaseAccessException",
        `Principal '${principal(context)}' is not authorized to read database '${database ?? ""}'.`,
      );
    }
    if (database && database.toLowerCase() !== DEMO_KUSTO_DATABASE.toLowerCase()) {
      return kustoError(
        context,
        400,
        "BadRequest_EntityNotFound",
        "Request is invalid and cannot be executed.",
        "Kusto.Data.Exceptions.EntityNotFoundException",
        `Entity ID '${database}' of kind 'Database' was not found.`,
      );
    }
    return undefined;
  };
  const input = (context: RouteContext) => {
    const body = (context.body ?? {}) as { db?: unknown; csl?: unknown };
    return {
      db: typeof body.db === "string" ? body.db : undefined,
      csl: typeof body.csl === "string" ? body.csl.trim() : "",
    };
  };
  const query = (context: RouteContext): Table | RouteResponse => {
    const { db, csl } = input(context);
    if (!csl) return badRequest(context, "Request is invalid: the 'csl' property is missing.");
    if (!db) return badRequest(context, "Request is invalid: the 'db' property is missing.");
    const denied = guard(context, db);
    if (denied) return denied;
    const result = runQuery(csl);
    if (typeof result === "string")
      return kustoError(
        context,
        400,
        "General_BadRequest",
        "Request is invalid and cannot be executed.",
        "Kusto.Data.Exceptions.SyntaxException",
        `Semantic error: ${result}`,
      );
    completed.unshift({
      ClientActivityId: context.headers["x-ms-client-request-id"] ?? `KD2RunQuery;${randomUUID()}`,
      Text: csl,
      Database: db,
      StartedOn: new Date().toISOString(),
      State: "Completed",
      User: userName(context),
      Principal: principal(context),
    });
    return result;
  };
  const isTable = (value: Table | RouteResponse): value is Table => "Columns" in value;
  return [
    {
      method: "POST",
      path: "/v1/rest/query",
      handler: (context) => {
        const result = query(context);
        return isTable(result) ? context.json(200, { Tables: [result] }) : result;
      },
    },
    {
      method: "POST",
      path: "/v2/rest/query",
      handler: (context) => {
        const result = query(context);
        if (!isTable(result)) return result;
        return context.json(200, [
          { FrameType: "DataSetHeader", IsProgressive: false, Version: "v2.0" },
          {
            FrameType: "DataTable",
            TableId: 0,
            TableKind: "PrimaryResult",
            TableName: "PrimaryResult",
            Columns: result.Columns.map(({ ColumnName, ColumnType }) => ({ ColumnName, ColumnType })),
            Rows: result.Rows,
          },
          { FrameType: "DataSetCompletion", HasErrors: false, Cancelled: false },
        ]);
      },
    },
    {
      method: "POST",
      path: "/v1/rest/mgmt",
      handler: (context) => {
        const { db, csl } = input(context);
        if (!csl) return badRequest(context, "Request is invalid: the 'csl' property is missing.");
        const denied = guard(context, db || undefined);
        if (denied) return denied;
        const result = management(state, context, csl);
        return isTable(result) ? context.json(200, { Tables: [result] }) : result;
      },
    },
  ];
}

/** Azure Data Explorer's demo cluster. */
export const kustoService: EmulatedService = {
  key: "kusto",
  displayName: "Azure Data Explorer",
  audiences: [DEMO_KUSTO_CLUSTER, "https://help.kusto.windows.net", DEMO_KUSTO_CLUSTER_US_GOV],
  // Worldwide clusters, and US Government ones (learn.microsoft.com/azure/azure-government/documentation-government-services-database).
  hosts: /\.kusto\.(windows\.net|usgovcloudapi\.net)$/i,
  // A user's token for Kusto carries `user_impersonation`; access is then the database's role assignments.
  demoScopes: ["user_impersonation"],
  routes: kustoRoutes,
};
