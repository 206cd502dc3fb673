import {
  type CommandContext,
  type CommandResult,
  type OutputDefinition,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";
import {
  type Entry,
  filter,
  listArgument,
  outputsOf,
  quote,
  required,
  timeArgument,
  wholeNumber,
} from "./context.js";

// The custom indicators of Defender for Endpoint (the `sc-indicator-*` commands of XSOAR), through
// learn.microsoft.com/defender-endpoint/api/ti-indicator: GET /api/indicators (get-ti-indicators-collection),
// POST /api/indicators (post-ti-indicator: submits or updates by value and type), DELETE /api/indicators/{id}
// (delete-ti-indicator-by-id).

const COLUMNS = ["id", "indicatorValue", "indicatorType", "action", "severity", "title", "expirationTime"];

/** Context entries XSOAR writes beside `MicrosoftATP.Indicators`: the indicator as File/Domain/IP/URL, DBotScore. */
function standardEntries(indicators: readonly Entry[]): Record<string, unknown> {
  const entries: Record<string, Entry[]> = { File: [], Domain: [], IP: [], URL: [], DBotScore: [] };
  const types: Record<string, [string, string, string]> = {
    FileSha1: ["File", "SHA1", "file"],
    FileSha256: ["File", "SHA256", "file"],
    FileMd5: ["File", "MD5", "file"],
    DomainName: ["Domain", "Name", "domain"],
    IpAddress: ["IP", "Address", "ip"],
    Url: ["URL", "Data", "url"],
  };
  for (const indicator of indicators) {
    const kind = types[String(indicator["indicatorType"])];
    if (!kind) continue;
    const [key, field, type] = kind;
    entries[key]!.push({ [field]: indicator["indicatorValue"] });
    // msint's reading of the action: blocking = bad (3), audit or warn = suspicious (2), allowed = good (1).
    const action = String(indicator["action"] ?? "");
    const score = /block/i.test(action) ? 3 : /allow/i.test(action) ? 1 : 2;
    entries["DBotScore"]!.push({
      Indicator: indicator["indicatorValue"],
      Type: type,
      Vendor: "Microsoft Defender Advanced Threat Protection",
      Score: score,
    });
  }
  return Object.fromEntries(Object.entries(entries).filter(([, list]) => list.length > 0));
}

function result(title: string, indicators: Entry[], raw: unknown, single: boolean): CommandResult {
  return {
    readable: tableToMarkdown(title, indicators, COLUMNS),
    outputsPrefix: "MicrosoftATP.Indicators",
    outputsKeyField: "id",
    outputs: single ? indicators[0] : indicators,
    additionalOutputs: standardEntries(indicators),
    raw,
  };
}

/** `microsoft-atp-sc-indicator-list`: `$filter` on indicatorValue, title and indicatorType, `$top`, `$skip`. */
export async function listIndicators(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const skip = args["skip"] ? wholeNumber(args["skip"], "skip", 0, 1_000_000) : 0;
  const response = await context.api.get<{ value?: Entry[] }>(
    "/api/indicators",
    {
      $filter: filter([
        args["indicator_value"] && `indicatorValue eq ${quote(args["indicator_value"])}`,
        args["indicator_title"] && `title eq ${quote(args["indicator_title"])}`,
        args["indicator_type"] && `indicatorType eq ${quote(args["indicator_type"])}`,
      ]),
      $top: wholeNumber(args["limit"] ?? "50", "limit", 1, 10000),
      $skip: skip || undefined,
    },
    { expect: "collection" },
  );
  return result(
    "Results found in Microsoft Defender ATP SC for value:",
    response?.value ?? [],
    response,
    false,
  );
}

/**
 * `microsoft-atp-sc-indicator-get-by-id`: the indicators API has no read by ID and does not document `$filter` on
 * `id`, so this lists the indicators (GET /api/indicators) and picks the one with that ID.
 */
export async function getIndicator(context: CommandContext): Promise<CommandResult> {
  const id = required(context, "indicator_id");
  const response = await context.api.get<{ value?: Entry[] }>("/api/indicators", undefined, {
    expect: "collection",
  });
  const found = (response?.value ?? []).filter((indicator) => String(indicator["id"]) === id);
  if (found.length === 0) {
    return { readable: `No indicator with ID ${id} was found in Microsoft Defender ATP.`, raw: response };
  }
  return result(`Indicator ${id}:`, found, found[0], true);
}

/** `microsoft-atp-sc-indicator-create` / `-update`: POST /api/indicators (submits or updates by value and type). */
export function submitIndicator(verb: "created" | "updated") {
  return async (context: CommandContext): Promise<CommandResult> => {
    const { args } = context;
    const groups = listArgument(args["rbac_group_names"]);
    const body = Object.fromEntries(
      Object.entries({
        indicatorValue: required(context, "indicator_value"),
        indicatorType: required(context, "indicator_type"),
        action: required(context, "action"),
        title: required(context, "indicator_title"),
        description: required(context, "indicator_description"),
        severity: args["severity"],
        expirationTime: args["expiration_time"]
          ? timeArgument(args["expiration_time"], "expiration_time", true)
          : undefined,
        application: args["indicator_application"],
        recommendedActions: args["recommended_actions"],
        rbacGroupNames: groups.length ? groups : undefined,
        generateAlert: args["generate_alert"] ? args["generate_alert"] === "true" : undefined,
      }).filter(([, value]) => value !== undefined && value !== ""),
    );
    const indicator = await context.api.request<Entry>({
      expect: "object",
      method: "POST",
      path: "/api/indicators",
      body,
    });
    return result(
      `Indicator ${body["indicatorValue"]} was ${verb} successfully.`,
      [indicator ?? {}],
      indicator,
      true,
    );
  };
}

/** `microsoft-atp-sc-indicator-delete`: DELETE /api/indicators/{id}. */
export async function deleteIndicator(context: CommandContext): Promise<CommandResult> {
  const id = required(context, "indicator_id");
  await context.api.request({
    method: "DELETE",
    path: `/api/indicators/${encodeURIComponent(id)}`,
    expect: "none",
  });
  return { readable: `Indicator ID: ${id} was successfully deleted` };
}

export const indicatorOutputs: OutputDefinition[] = [
  ...outputsOf("MicrosoftATP.Indicators", [
    ["id", "string", "The indicator's ID."],
    ["action", "string", "Audit, Block, BlockAndRemediate, Allowed or Warn."],
    ["description", "string", "The indicator's description."],
    ["expirationTime", "date", "When the indicator expires."],
    ["severity", "string", "Informational, Low, Medium or High."],
    ["indicatorValue", "string", "The value (hash, IP address, domain, URL)."],
    ["recommendedActions", "string", "What to do on a hit."],
    ["generateAlert", "boolean", "Whether a hit raises an alert."],
    ["rbacGroupNames", "unknown", "The machine groups it applies to."],
    ["indicatorType", "string", "FileSha1, FileSha256, FileMd5, IpAddress, DomainName or Url."],
    ["lastUpdateTime", "date", "When it was last updated."],
    ["application", "string", "The application of the indicator."],
    ["title", "string", "The indicator's title."],
    ["lastUpdatedBy", "string", "Who updated it last."],
    ["creationTimeDateTimeUtc", "date", "When it was created."],
    ["createdBy", "string", "Who created it."],
  ]),
  { path: "File.SHA1", type: "string", description: "The file's SHA-1 (file indicators)." },
  { path: "File.SHA256", type: "string", description: "The file's SHA-256 (file indicators)." },
  { path: "File.MD5", type: "string", description: "The file's MD5 (file indicators)." },
  { path: "Domain.Name", type: "string", description: "The domain (domain indicators)." },
  { path: "IP.Address", type: "string", description: "The IP address (IP indicators)." },
  { path: "URL.Data", type: "string", description: "The URL (URL indicators)." },
  { path: "DBotScore.Indicator", type: "string", description: "The indicator's value." },
  { path: "DBotScore.Type", type: "string", description: "file, domain, ip or url." },
  { path: "DBotScore.Vendor", type: "string", description: "Microsoft Defender Advanced Threat Protection." },
  {
    path: "DBotScore.Score",
    type: "number",
    description: "3 for Block actions, 2 for Audit/Warn, 1 for Allowed.",
  },
];

/**
 * `microsoft-atp-indicator-batch-update`: POST /api/indicators/import with `Indicators` (import-ti-indicators,
 * at most 500 a request); `indicator_batch` is a JSON list of indicators in the API's field names.
 */
export async function importIndicators(context: CommandContext): Promise<CommandResult> {
  let batch: unknown;
  try {
    batch = JSON.parse(required(context, "indicator_batch"));
  } catch {
    throw new UsageError(
      "indicator_batch must be a JSON list of indicators (indicatorValue, indicatorType, …).",
    );
  }
  if (!Array.isArray(batch) || batch.length === 0 || batch.length > 500) {
    throw new UsageError("indicator_batch must list 1 to 500 indicators.");
  }
  const response = await context.api.request<{ value?: Entry[] }>({
    expect: "object",
    method: "POST",
    path: "/api/indicators/import",
    body: { Indicators: batch },
  });
  const results = (response?.value ?? []).map((entry) => ({
    ID: entry["id"],
    Value: entry["indicator"],
    IsFailed: entry["isFailed"],
    FailureReason: entry["failureReason"],
  }));
  return {
    readable: tableToMarkdown("Indicators updated successfully.", results, [
      "ID",
      "Value",
      "IsFailed",
      "FailureReason",
    ]),
    outputsPrefix: "MicrosoftATP.Indicators",
    outputsKeyField: "ID",
    outputs: results,
    raw: response,
  };
}
