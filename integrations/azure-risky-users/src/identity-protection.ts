import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

type Entry = Record<string, unknown>;

function top(context: CommandContext): number {
  const value = Number(context.args["limit"] ?? "50");
  if (!Number.isInteger(value) || value < 1 || value > 500) {
    throw new UsageError(`limit must be a whole number from 1 to 500 (got "${context.args["limit"]}").`);
  }
  return value;
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

/** `azure-risky-users-list`: GET /v1.0/identityProtection/riskyUsers. */
export async function listRiskyUsers(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const page = await context.api.get<Page<Entry>>(
    "/v1.0/identityProtection/riskyUsers",
    {
      $top: top(context),
      $filter: filter([
        args["risk_state"] && `riskState eq ${quote(args["risk_state"])}`,
        args["risk_level"] && `riskLevel eq ${quote(args["risk_level"])}`,
        args["updated_after"] && `riskLastUpdatedDateTime gt ${args["updated_after"]}`,
      ]),
    },
    { expect: "collection" },
  );
  const users = (page?.value ?? []).map(withoutOData);
  return {
    readable: tableToMarkdown("Risky Users List", users, USER_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskyUser",
    outputsKeyField: "id",
    outputs: users,
    raw: page,
  };
}

/** `azure-risky-users-risk-detections-list`: GET /v1.0/identityProtection/riskDetections. */
export async function listRiskDetections(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const page = await context.api.get<Page<Entry>>(
    "/v1.0/identityProtection/riskDetections",
    {
      $top: top(context),
      $orderby: "detectedDateTime desc",
      $filter: filter([
        args["user_id"] && `userId eq ${quote(args["user_id"])}`,
        args["risk_state"] && `riskState eq ${quote(args["risk_state"])}`,
        args["detected_after"] && `detectedDateTime gt ${args["detected_after"]}`,
      ]),
    },
    { expect: "collection" },
  );
  const detections = (page?.value ?? []).map(withoutOData);
  return {
    readable: tableToMarkdown("Risk Detections List", detections, DETECTION_HEADERS),
    outputsPrefix: "AzureRiskyUsers.RiskDetection",
    outputsKeyField: "id",
    outputs: detections,
    raw: page,
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
