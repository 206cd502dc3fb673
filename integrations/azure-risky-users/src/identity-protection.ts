import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

type Entry = Record<string, unknown>;

function top(context: CommandContext, name = "limit"): number {
  const value = Number(context.args[name] ?? "50");
  if (!Number.isInteger(value) || value < 1 || value > 500) {
    throw new UsageError(`${name} must be a whole number from 1 to 500 (got "${context.args[name]}").`);
  }
  return value;
}

/**
 * XSOAR's next_token: a previous answer's @odata.nextLink (read as it is, on the same host), or its $skiptoken.
 */
function nextPage(path: string, token: string): { path: string; query: Record<string, string> } {
  if (/^https?:\/\//i.test(token)) return { path: token, query: {} };
  return { path, query: { $skiptoken: token } };
}

/** Joins OData conditions with `and`; string values are quoted with single quotes doubled. */
function filter(conditions: Array<string | undefined>): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length ? present.join(" and ") : undefined;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function withoutOData(entry: Entry): Entry {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !key.startsWith("@odata")));
}

const USER_HEADERS = [
  "userPrincipalName",
  "riskLevel",
  "riskState",
  "riskDetail",
  "riskLastUpdatedDateTime",
  "id",
];
const DETECTION_HEADERS = [
  "id",
  "userPrincipalName",
  "riskEventType",
  "riskLevel",
  "riskState",
  "ipAddress",
  "detectedDateTime",
];

/**
 * `azure-risky-users-list`: GET /v1.0/identityProtection/riskyUsers (learn.microsoft.com/graph/api/
 * riskyuser-list: $filter, $orderby, $top; @odata.nextLink with a $skiptoken), or the page a next_token names.
 */
export async function listRiskyUsers(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  if (args["page"] !== undefined) {
    throw new UsageError("page is no longer supported, as in XSOAR: use page_size and next_token.");
  }
  const path = "/v1.0/identityProtection/riskyUsers";
  const request = args["next_token"]
    ? nextPage(path, args["next_token"])
    : {
        path,
        query: {
          $top: String(args["page_size"] ? top(context, "page_size") : top(context)),
          $orderby: args["order_by"] ?? "riskLastUpdatedDateTime desc",
          $filter: filter([
            args["risk_state"] && `riskState eq ${quote(args["risk_state"])}`,
            args["risk_level"] && `riskLevel eq ${quote(args["risk_level"])}`,
            args["updated_after"] && `riskLastUpdatedDateTime gt ${args["updated_after"]}`,
            args["updated_before"] && `riskLastUpdatedDateTime lt ${args["updated_before"]}`,
          ]),
        },
      };
  const page = await context.api.get<Page<Entry>>(request.path, request.query, { expect: "collection" });
  const users = (page?.value ?? []).map(withoutOData);
  return {
    readable: tableToMarkdown("Risky Users List", users, USER_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskyUser",
    outputsKeyField: "id",
    outputs: users,
    raw: page,
  };
}

/**
 * `azure-risky-users-risk-detections-list`: GET /v1.0/identityProtection/riskDetections (learn.microsoft.com/graph/
 * api/riskdetection-list); `page` N follows @odata.nextLink N-1 times with `limit` entries a page.
 */
export async function listRiskDetections(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const pageNumber = Number(args["page"] ?? "1");
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    throw new UsageError(`page must be a whole number from 1 (got "${args["page"]}").`);
  }
  let page = await context.api.get<Page<Entry>>(
    "/v1.0/identityProtection/riskDetections",
    {
      $top: top(context),
      $orderby: args["order_by"] ?? "detectedDateTime desc",
      $filter: filter([
        args["user_id"] && `userId eq ${quote(args["user_id"])}`,
        args["risk_state"] && `riskState eq ${quote(args["risk_state"])}`,
        args["risk_level"] && `riskLevel eq ${quote(args["risk_level"])}`,
        args["detected_date_time_after"] && `detectedDateTime gt ${args["detected_date_time_after"]}`,
        args["detected_date_time_before"] && `detectedDateTime lt ${args["detected_date_time_before"]}`,
      ]),
    },
    { expect: "collection" },
  );
  for (let at = 1; at < pageNumber; at++) {
    const next = page?.["@odata.nextLink"];
    if (!next) {
      page = { value: [] };
      break;
    }
    page = await context.api.get<Page<Entry>>(next, {}, { expect: "collection" });
  }
  const detections = (page?.value ?? []).map(withoutOData);
  return {
    readable: tableToMarkdown("Risk Detections List", detections, DETECTION_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskDetection",
    outputsKeyField: "id",
    outputs: detections,
    raw: page,
  };
}

/** `azure-risky-user-get`: GET /v1.0/identityProtection/riskyUsers/{id} (learn.microsoft.com/graph/api/riskyuser-get). */
export async function getRiskyUser(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const id = context.args["id"];
  const user = withoutOData(
    await context.api.get<Entry>(`/v1.0/identityProtection/riskyUsers/${encodeURIComponent(id)}`),
  );
  return {
    readable: tableToMarkdown(`Found Risky User With ID: ${id}`, [user], USER_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskyUser",
    outputsKeyField: "id",
    outputs: user,
    raw: user,
  };
}

/** `azure-risky-users-risk-detection-get`: GET /v1.0/identityProtection/riskDetections/{id}. */
export async function getRiskDetection(context: CommandContext<{ id: string }>): Promise<CommandResult> {
  const id = context.args["id"];
  const detection = withoutOData(
    await context.api.get<Entry>(`/v1.0/identityProtection/riskDetections/${encodeURIComponent(id)}`),
  );
  return {
    readable: tableToMarkdown(`Risk Detection ${id}`, [detection], DETECTION_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskDetection",
    outputsKeyField: "id",
    outputs: detection,
    raw: detection,
  };
}
