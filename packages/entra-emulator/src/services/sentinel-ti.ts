import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import { type Handler, paged, providerId, sentinelRoute } from "./sentinel.js";
import { etag, type Indicator } from "./sentinel-seed.js";
import type { ServiceRoute } from "./types.js";

// Microsoft Sentinel threat intelligence indicators (learn.microsoft.com/rest/api/securityinsights/threat-
// intelligence-indicator: Get, Create, Create Indicator, Delete, Query Indicators, Append Tags, Replace Tags, and
// threat-intelligence-indicators/list).

function indicatorResource(ctx: RouteContext, indicator: Indicator) {
  return {
    id: `${providerId(ctx)}/ThreatIntelligence/${indicator.name}`,
    name: indicator.name,
    etag: indicator.etag,
    type: "Microsoft.SecurityInsights/ThreatIntelligence",
    kind: "indicator",
    properties: indicator.properties,
  };
}

/** `[ipv4-addr:value = '1.2.3.4']` or `[file:hashes.'SHA-256' = '…']` → the parsed pattern Sentinel returns. */
function parsePattern(pattern: string): Array<Record<string, unknown>> | undefined {
  const match = /^\[([a-z0-9-]+):([^=]+?)\s*=\s*'([^']*)'\]$/i.exec(pattern.trim());
  if (!match) return undefined;
  const [, key, path, value] = match as unknown as [string, string, string, string];
  return [{ patternTypeKey: key, patternTypeValues: [{ valueType: path.trim(), value }] }];
}

/** Create Indicator / Create: displayName, pattern and patternType are required; the pattern must parse. */
function indicatorFromBody(ctx: RouteContext, existing: Indicator | undefined): Indicator | RouteResponse {
  const body = (ctx.body ?? {}) as { kind?: string; properties?: Record<string, unknown> };
  if (body.kind !== "indicator") return ctx.error(400, "BadRequest", "The kind must be 'indicator'.");
  const properties = body.properties ?? {};
  for (const field of ["displayName", "pattern", "patternType"]) {
    if (typeof properties[field] !== "string" || properties[field] === "") {
      return ctx.error(400, "BadRequest", `The indicator's properties.${field} is required.`);
    }
  }
  const parsed = parsePattern(String(properties["pattern"]));
  if (!parsed)
    return ctx.error(
      400,
      "BadRequest",
      `The pattern '${properties["pattern"]}' is not a valid STIX pattern.`,
    );
  const now = new Date().toISOString();
  return {
    name: existing?.name ?? randomUUID(),
    etag: etag(),
    properties: {
      source: "Microsoft Sentinel",
      revoked: false,
      threatIntelligenceTags: [],
      ...properties,
      parsedPattern: parsed,
      created: existing?.properties["created"] ?? now,
      externalId: existing?.properties["externalId"] ?? `indicator--${randomUUID()}`,
      lastUpdatedTimeUtc: now,
    },
  };
}

/** Strips the suffix of a pattern type, so that XSOAR's `ipv4-address` filter matches `ipv4-addr`. */
const patternFamily = (type: string) => type.toLowerCase().replace(/-(addr|address|name)$/, "");

/** Query Indicators: the body's filters (confidence, sources, threat and pattern types, keywords, includeDisabled). */
function queryIndicators(ctx: RouteContext, indicators: Indicator[]): RouteResponse {
  const filter = (ctx.body ?? {}) as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const sources = list(filter["sources"]);
  const threatTypes = list(filter["threatTypes"]);
  const patternTypes = list(filter["patternTypes"]).map(patternFamily);
  const keywords = typeof filter["keywords"] === "string" ? filter["keywords"].toLowerCase() : "";
  const min =
    filter["minConfidence"] === undefined || filter["minConfidence"] === ""
      ? undefined
      : Number(filter["minConfidence"]);
  const max =
    filter["maxConfidence"] === undefined || filter["maxConfidence"] === ""
      ? undefined
      : Number(filter["maxConfidence"]);
  const matches = indicators.filter((indicator) => {
    const p = indicator.properties;
    const confidence = Number(p["confidence"] ?? 0);
    return (
      (filter["includeDisabled"] === true || p["revoked"] !== true) &&
      (min === undefined || confidence >= min) &&
      (max === undefined || confidence <= max) &&
      (!sources.length || sources.includes(String(p["source"]))) &&
      (!threatTypes.length || list(p["threatTypes"]).some((type) => threatTypes.includes(type))) &&
      (!patternTypes.length || patternTypes.includes(patternFamily(String(p["patternType"])))) &&
      (!keywords ||
        JSON.stringify([p["displayName"], p["description"], p["pattern"]]).toLowerCase().includes(keywords))
    );
  });
  return paged(
    ctx,
    matches.map((indicator) => indicatorResource(ctx, indicator)),
    100,
  );
}

export function indicatorRoutes(indicators: Indicator[]): ServiceRoute[] {
  const base = "/threatIntelligence/main";
  const action = (what: string) => `Microsoft.SecurityInsights/threatIntelligence/indicators/${what}`;
  const withIndicator = (handler: (ctx: RouteContext, indicator: Indicator) => RouteResponse): Handler => {
    return (ctx) => {
      const indicator = indicators.find((candidate) => candidate.name === ctx.params["name"]);
      return indicator
        ? handler(ctx, indicator)
        : ctx.error(404, "NotFound", `Threat intelligence indicator '${ctx.params["name"]}' was not found.`);
    };
  };
  const tags = (ctx: RouteContext, fromProperties: boolean): string[] | undefined => {
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    const value = fromProperties
      ? (body["properties"] as Record<string, unknown> | undefined)?.["threatIntelligenceTags"]
      : body["threatIntelligenceTags"];
    return Array.isArray(value) ? value.map(String) : undefined;
  };
  return [
    sentinelRoute("GET", `${base}/indicators`, action("read"), (ctx) =>
      paged(
        ctx,
        indicators.map((indicator) => indicatorResource(ctx, indicator)),
        100,
      ),
    ),
    sentinelRoute(
      "GET",
      `${base}/indicators/:name`,
      action("read"),
      withIndicator((ctx, indicator) => ctx.json(200, indicatorResource(ctx, indicator))),
    ),
    sentinelRoute("POST", `${base}/queryIndicators`, action("query/action"), (ctx) =>
      queryIndicators(ctx, indicators),
    ),
    sentinelRoute("POST", `${base}/createIndicator`, action("write"), (ctx) => {
      const created = indicatorFromBody(ctx, undefined);
      if ("status" in created) return created;
      indicators.push(created);
      return ctx.json(201, indicatorResource(ctx, created));
    }),
    sentinelRoute(
      "PUT",
      `${base}/indicators/:name`,
      action("write"),
      withIndicator((ctx, indicator) => {
        const updated = indicatorFromBody(ctx, indicator);
        if ("status" in updated) return updated;
        Object.assign(indicator, updated);
        return ctx.json(200, indicatorResource(ctx, indicator));
      }),
    ),
    sentinelRoute(
      "DELETE",
      `${base}/indicators/:name`,
      action("delete"),
      withIndicator((ctx, indicator) => {
        indicators.splice(indicators.indexOf(indicator), 1);
        return ctx.empty(200);
      }),
    ),
    sentinelRoute(
      "POST",
      `${base}/indicators/:name/appendTags`,
      action("appendTags/action"),
      withIndicator((ctx, indicator) => {
        const added = tags(ctx, false);
        if (!added) return ctx.error(400, "BadRequest", "threatIntelligenceTags must be a list.");
        const current = (indicator.properties["threatIntelligenceTags"] as string[] | undefined) ?? [];
        indicator.properties["threatIntelligenceTags"] = [
          ...current,
          ...added.filter((tag) => !current.includes(tag)),
        ];
        indicator.etag = etag();
        return ctx.empty(200);
      }),
    ),
    sentinelRoute(
      "POST",
      `${base}/indicators/:name/replaceTags`,
      action("replaceTags/action"),
      withIndicator((ctx, indicator) => {
        const replaced = tags(ctx, true);
        if (!replaced)
          return ctx.error(400, "BadRequest", "properties.threatIntelligenceTags must be a list.");
        indicator.properties["threatIntelligenceTags"] = replaced;
        indicator.etag = etag();
        return ctx.json(200, indicatorResource(ctx, indicator));
      }),
    ),
  ];
}
