import { type CommandContext, type CommandResult, tableToMarkdown } from "@msint/integration-kit";
import {
  formatDate,
  listArgument,
  nextLinkParts,
  numberArgument,
  type Page,
  SENTINEL_API_VERSION,
  sentinelPath,
  sentinelRequest,
  withoutEmpty,
} from "./client.js";

// Threat intelligence indicators (learn.microsoft.com/rest/api/securityinsights: Threat Intelligence Indicators -
// List, Threat Intelligence Indicator - Get/Create Indicator/Create/Delete/Query Indicators/Append Tags/Replace
// Tags), as XSOAR's integration calls them.

interface Indicator {
  id?: string;
  name?: string;
  etag?: string;
  type?: string;
  kind?: string;
  properties?: Record<string, unknown>;
}

const TI = "threatIntelligence/main";
const HEADERS = ["Name", "DisplayName", "Values", "Types", "Source", "Confidence", "Tags"];

/** An indicator as XSOAR writes it under `AzureSentinel.ThreatIndicator`. */
function toContextIndicator(indicator: Indicator): Record<string, unknown> {
  const p = indicator.properties ?? {};
  const pattern = (p["parsedPattern"] as Array<Record<string, unknown>> | undefined)?.[0];
  const first = (pattern?.["patternTypeValues"] as Array<Record<string, unknown>> | undefined)?.[0];
  const phases = (p["killChainPhases"] as Array<Record<string, unknown>> | undefined) ?? [];
  return withoutEmpty({
    ID: indicator.id,
    Name: indicator.name,
    ETag: indicator.etag,
    Type: indicator.type,
    Kind: indicator.kind,
    Confidence: p["confidence"],
    Created: formatDate(p["created"]),
    CreatedByRef: p["createdByRef"],
    ExternalId: p["externalId"],
    LastUpdatedTimeUtc: formatDate(p["lastUpdatedTimeUtc"]),
    Revoked: p["revoked"],
    Source: p["source"],
    Tags: p["threatIntelligenceTags"],
    DisplayName: p["displayName"],
    Description: p["description"],
    Types: p["threatTypes"],
    KillChainPhases: phases.map((phase) => ({
      KillChainName: phase["killChainName"],
      PhaseName: phase["phaseName"],
    })),
    ParsedPattern: pattern
      ? {
          PatternTypeKey: pattern["patternTypeKey"],
          PatternTypeValues: { Value: first?.["value"], ValueType: first?.["valueType"] },
        }
      : undefined,
    Pattern: p["pattern"],
    PatternType: p["patternType"],
    ValidFrom: formatDate(p["validFrom"]),
    ValidUntil: formatDate(p["validUntil"]),
    Values: first?.["value"],
    Deleted: false,
  });
}

function indicatorsResult(
  context: CommandContext,
  title: string,
  page: Page<Indicator>,
  command?: string,
): CommandResult {
  const indicators = (page.value ?? []).map(toContextIndicator);
  const next = command ? nextLinkParts(context, command, page) : { readable: "" };
  return {
    readable: tableToMarkdown(`${title} (${indicators.length} results)`, indicators, HEADERS) + next.readable,
    outputsPrefix: "AzureSentinel.ThreatIndicator",
    outputsKeyField: "ID",
    outputs: indicators,
    ...("additionalOutputs" in next && next.additionalOutputs
      ? { additionalOutputs: next.additionalOutputs }
      : {}),
    raw: page,
  };
}

/** `azure-sentinel-threat-indicator-list`: GET …/threatIntelligence/main/indicators[/{name}] with `$top`. */
export async function listIndicators(context: CommandContext): Promise<CommandResult> {
  const next = context.args["next_link"];
  const name = context.args["indicator_name"];
  const result = next
    ? await context.api.get<Page<Indicator>>(next, undefined, { expect: "object" })
    : await context.api.get<Page<Indicator> & Indicator>(
        `${sentinelPath(context)}/${TI}/indicators${name ? `/${encodeURIComponent(name)}` : ""}`,
        { "api-version": SENTINEL_API_VERSION, $top: numberArgument(context, "limit") ?? 50 },
        { expect: "object" },
      );
  const page: Page<Indicator> = name && !next ? { value: [result as Indicator] } : result;
  return indicatorsResult(context, "Threat Indicators", page, "azure-sentinel-threat-indicator-list");
}

/** XSOAR's pattern type names for indicator_types in a query. */
const QUERY_PATTERN_TYPES: Readonly<Record<string, string>> = {
  ipv4: "ipv4-address",
  ipv6: "ipv6-address",
  domain: "domain-name",
};

/** `azure-sentinel-threat-indicator-query`: POST …/queryIndicators with XSOAR's filter body. */
export async function queryIndicators(context: CommandContext): Promise<CommandResult> {
  const args = context.args;
  const body = withoutEmpty({
    minConfidence: numberArgument(context, "min_confidence"),
    maxConfidence: numberArgument(context, "max_confidence"),
    minValidUntil: formatDate(args["min_valid_until"]),
    maxValidUntil: formatDate(args["max_valid_until"]),
    sources: listArgument(args["sources"]),
    keywords: listArgument(args["keywords"]).join(" "),
    threatTypes: listArgument(args["threat_types"]),
    patternTypes: listArgument(args["indicator_types"]).map((type) => QUERY_PATTERN_TYPES[type] ?? type),
    includeDisabled: args["include_disabled"] === "true",
  });
  const next = args["next_link"];
  const page = await context.api.request<Page<Indicator>>({
    method: "POST",
    path: next || `${sentinelPath(context)}/${TI}/queryIndicators`,
    ...(next
      ? {}
      : { query: { "api-version": SENTINEL_API_VERSION, $top: numberArgument(context, "limit") ?? 50 } }),
    body,
    expect: "object",
  });
  return indicatorsResult(context, "Threat Indicators", page, "azure-sentinel-threat-indicator-query");
}

/** The STIX pattern type of XSOAR's indicator_type. */
const CREATE_PATTERN_TYPES: Readonly<Record<string, string>> = {
  ipv4: "ipv4-addr",
  ipv6: "ipv6-addr",
  domain: "domain-name",
};

/** The indicator's properties as XSOAR builds them from the arguments. */
function indicatorProperties(context: CommandContext, source: string): Record<string, unknown> {
  const args = context.args;
  const patternType = CREATE_PATTERN_TYPES[args["indicator_type"] ?? ""] ?? args["indicator_type"];
  const value = args["value"];
  const data: Record<string, unknown> = withoutEmpty({
    displayName: args["display_name"],
    description: args["description"],
    revoked: args["revoked"] === undefined ? undefined : args["revoked"] === "true",
    confidence: numberArgument(context, "confidence"),
    threatTypes: listArgument(args["threat_types"]),
    source,
    threatIntelligenceTags: listArgument(args["tags"]),
    validFrom: formatDate(args["valid_from"]),
    validUntil: formatDate(args["valid_until"]),
    createdByRef: args["created_by"],
    patternType,
  });
  if (patternType === "file") {
    data["hashType"] = args["hash_type"];
    data["pattern"] = `[file:hashes.'${args["hash_type"]}' = '${value}']`;
  } else if (patternType) {
    data["pattern"] = `[${patternType}:value = '${value}']`;
  }
  data["killChainPhases"] = listArgument(args["kill_chains"]).map((phase) => ({
    killChainName: phase,
    phaseName: phase,
  }));
  return data;
}

/** `azure-sentinel-threat-indicator-create`: POST …/createIndicator. */
export async function createIndicator(context: CommandContext): Promise<CommandResult> {
  const result = await sentinelRequest<Indicator>(context, "POST", `${TI}/createIndicator`, {
    body: { kind: "indicator", properties: indicatorProperties(context, "Microsoft Sentinel") },
  });
  return indicatorsResult(context, "New threat Indicator was created", { value: [result] });
}

/** `azure-sentinel-threat-indicator-update`: GET the indicator, then PUT it with the arguments over its properties. */
export async function updateIndicator(context: CommandContext): Promise<CommandResult> {
  const name = context.args["indicator_name"] ?? "";
  const path = `${TI}/indicators/${encodeURIComponent(name)}`;
  const current = await sentinelRequest<Indicator>(context, "GET", path);
  const p = current.properties ?? {};
  const kept = withoutEmpty({
    description: p["description"],
    revoked: p["revoked"],
    confidence: p["confidence"],
    threatTypes: p["threatTypes"],
    killChainPhases: p["killChainPhases"],
    threatIntelligenceTags: p["threatIntelligenceTags"],
    validFrom: p["validFrom"],
    validUntil: p["validUntil"],
    createdByRef: p["createdByRef"],
    created: p["created"],
    externalId: p["externalId"],
    displayName: p["displayName"],
  });
  // The source of an indicator cannot change.
  const changed = indicatorProperties(context, String(p["source"] ?? "Microsoft Sentinel"));
  if (!listArgument(context.args["kill_chains"]).length) delete changed["killChainPhases"];
  const result = await sentinelRequest<Indicator>(context, "PUT", path, {
    body: { kind: "indicator", properties: { ...kept, ...changed } },
  });
  return indicatorsResult(context, `Threat Indicator ${name} was updated`, { value: [result] });
}

/** `azure-sentinel-threat-indicator-delete`: DELETE …/indicators/{name} for each name. */
export async function deleteIndicators(context: CommandContext): Promise<CommandResult> {
  const names = listArgument(context.args["indicator_names"]);
  for (const name of names) {
    await sentinelRequest(context, "DELETE", `${TI}/indicators/${encodeURIComponent(name)}`);
  }
  return {
    readable: `Threat Intelligence Indicators ${names.join(", ")} were deleted successfully`,
    outputsPrefix: "AzureSentinel.ThreatIndicator",
    outputsKeyField: "Name",
    outputs: names.map((name) => ({ Name: name, Deleted: true })),
  };
}

/** `azure-sentinel-threat-indicator-tags-append`: POST …/appendTags, then the indicator as it now reads. */
export async function appendIndicatorTags(context: CommandContext): Promise<CommandResult> {
  const name = context.args["indicator_name"] ?? "";
  const path = `${TI}/indicators/${encodeURIComponent(name)}`;
  await sentinelRequest(context, "POST", `${path}/appendTags`, {
    body: { threatIntelligenceTags: listArgument(context.args["tags"]) },
  });
  const indicator = await sentinelRequest<Indicator>(context, "GET", path);
  const result = indicatorsResult(context, "Threat Indicator", { value: [indicator] });
  return { ...result, readable: `Tags were appended to ${name} Threat Indicator.\n\n${result.readable}` };
}

/** `azure-sentinel-threat-indicator-tags-replace`: POST …/replaceTags. */
export async function replaceIndicatorTags(context: CommandContext): Promise<CommandResult> {
  const name = context.args["indicator_name"] ?? "";
  const indicator = await sentinelRequest<Indicator>(
    context,
    "POST",
    `${TI}/indicators/${encodeURIComponent(name)}/replaceTags`,
    { body: { properties: { threatIntelligenceTags: listArgument(context.args["tags"]) } } },
  );
  const result = indicatorsResult(context, "Threat Indicator", { value: [indicator] });
  return { ...result, readable: `Tags were replaced to ${name} Threat Indicator.\n\n${result.readable}` };
}
