import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import { addressedBase, armApiVersionError, hasRoleAssignment, queryString } from "./arm-security.js";
import {
  type AlertRule,
  etag,
  type Incident,
  type IncidentComment,
  type Indicator,
  seedAlertRules,
  seedAlertRuleTemplates,
  seedIncidents,
  seedIndicators,
  seedWatchlists,
  type Watchlist,
  type WatchlistItem,
} from "./sentinel-seed.js";
import { indicatorRoutes } from "./sentinel-ti.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Microsoft Sentinel (Microsoft.SecurityInsights on a Log Analytics workspace, through Azure Resource Manager):
// incidents and their comments, relations, alerts and entities, watchlists and their items, threat intelligence
// indicators, analytics (alert) rules and rule templates. learn.microsoft.com/rest/api/securityinsights. The
// workspace is soc-ws in resource group soc-rg of any subscription.

export const SENTINEL_RESOURCE_GROUP = "soc-rg";
export const SENTINEL_WORKSPACE = "soc-ws";
const PREFIX =
  "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.OperationalInsights/workspaces/:ws/providers/Microsoft.SecurityInsights";
/** The api-versions of Microsoft.SecurityInsights this double accepts (a subset of the service's). */
const VERSIONS = ["2021-10-01", "2022-11-01", "2023-02-01", "2024-03-01", "2025-06-01"];

export type Handler = (ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;

/**
 * A Sentinel route with Resource Manager's checks in front: api-version, a role assignment for `action`, the
 * resource group (404 ResourceGroupNotFound) and the workspace (404 ResourceNotFound).
 */
export function sentinelRoute(method: string, path: string, action: string, handler: Handler): ServiceRoute {
  return {
    method,
    path: `${PREFIX}${path}`,
    handler: (ctx) => {
      const versionError = armApiVersionError(ctx, VERSIONS);
      if (versionError) return versionError;
      if (!hasRoleAssignment(ctx)) {
        return ctx.error(
          403,
          "AuthorizationFailed",
          `The client '${ctx.claims.appid ?? ctx.claims.oid}' with object id '${ctx.claims.oid}' does not have authorization to perform action '${action}' over scope '${ctx.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      }
      const group = ctx.params["rg"] ?? "";
      if (group.toLowerCase() !== SENTINEL_RESOURCE_GROUP) {
        return ctx.error(404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
      }
      if (ctx.params["ws"]?.toLowerCase() !== SENTINEL_WORKSPACE) {
        return ctx.error(
          404,
          "ResourceNotFound",
          `The Resource 'Microsoft.OperationalInsights/workspaces/${ctx.params["ws"]}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
        );
      }
      return handler(ctx);
    },
  };
}

/** The ARM ID of the workspace's Microsoft.SecurityInsights provider. */
export function providerId(ctx: RouteContext): string {
  return `/subscriptions/${ctx.params["sub"]}/resourceGroups/${SENTINEL_RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/${SENTINEL_WORKSPACE}/providers/Microsoft.SecurityInsights`;
}

/** A page of `items` by `$top` and `$skipToken`, with Resource Manager's nextLink when more remain. */
export function paged(ctx: RouteContext, items: unknown[], defaultTop = 50): RouteResponse {
  const top = ctx.query["$top"] === undefined ? defaultTop : Number(ctx.query["$top"]);
  if (!Number.isInteger(top) || top < 1) {
    return ctx.error(
      400,
      "BadRequest",
      `The value '${ctx.query["$top"]}' of $top is not a positive integer.`,
    );
  }
  const skip = Number(ctx.query["$skipToken"] ?? 0) || 0;
  const body: Record<string, unknown> = { value: items.slice(skip, skip + top) };
  if (skip + top < items.length) {
    body["nextLink"] =
      `${addressedBase(ctx)}${ctx.path}?${queryString({ ...ctx.query, $skipToken: String(skip + top) })}`;
  }
  return ctx.json(200, body);
}

/** The caller as Sentinel records an author or editor. */
export function callerName(ctx: RouteContext): string {
  return ctx.claims.name ?? ctx.claims.upn ?? ctx.claims.appid ?? "unknown";
}

function incidentResource(ctx: RouteContext, incident: Incident) {
  const id = `${providerId(ctx)}/Incidents/${incident.name}`;
  return {
    id,
    name: incident.name,
    etag: incident.etag,
    type: "Microsoft.SecurityInsights/Incidents",
    properties: {
      title: incident.title,
      description: incident.description,
      severity: incident.severity,
      status: incident.status,
      ...(incident.classification ? { classification: incident.classification } : {}),
      ...(incident.classificationReason ? { classificationReason: incident.classificationReason } : {}),
      ...(incident.classificationComment ? { classificationComment: incident.classificationComment } : {}),
      incidentNumber: incident.incidentNumber,
      createdTimeUtc: incident.createdTimeUtc,
      lastModifiedTimeUtc: incident.lastModifiedTimeUtc,
      firstActivityTimeUtc: incident.firstActivityTimeUtc,
      lastActivityTimeUtc: incident.lastActivityTimeUtc,
      owner: incident.owner,
      labels: incident.labels,
      additionalData: {
        alertsCount: incident.alerts.length,
        bookmarksCount: incident.bookmarks.length,
        commentsCount: incident.comments.length,
        alertProductNames: [...new Set(incident.alerts.map((alert) => alert.productName))],
        tactics: incident.tactics,
        techniques: incident.alerts.flatMap((alert) => alert.techniques),
      },
      incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${id}`,
    },
  };
}

function commentResource(ctx: RouteContext, incident: Incident, comment: IncidentComment) {
  return {
    id: `${providerId(ctx)}/Incidents/${incident.name}/Comments/${comment.name}`,
    name: comment.name,
    etag: etag(),
    type: "Microsoft.SecurityInsights/Incidents/Comments",
    properties: {
      message: comment.message,
      createdTimeUtc: comment.createdTimeUtc,
      lastModifiedTimeUtc: comment.createdTimeUtc,
      author: comment.author,
    },
  };
}

/** `$filter` of the incidents list: `properties/<field> eq|gt|ge '<value>'` clauses joined by `and`. */
function incidentFilter(filter: string | undefined): ((incident: Incident) => boolean) | string {
  if (!filter) return () => true;
  const clauses = filter
    .split(/\s+and\s+/i)
    .map((clause) =>
      /^\s*properties\/(severity|status|title|incidentNumber|createdTimeUtc|lastModifiedTimeUtc)\s+(eq|gt|ge)\s+'?([^']*)'?\s*$/i.exec(
        clause,
      ),
    );
  if (clauses.some((clause) => !clause)) return `Invalid $filter '${filter}'.`;
  return (incident) =>
    clauses.every((clause) => {
      const [, rawField, operator, value] = clause as unknown as [string, string, string, string];
      const field = rawField.toLowerCase();
      if (field === "incidentnumber") {
        const number = Number(value);
        return operator === "eq"
          ? incident.incidentNumber === number
          : operator === "gt"
            ? incident.incidentNumber > number
            : incident.incidentNumber >= number;
      }
      if (field === "createdtimeutc") return Date.parse(incident.createdTimeUtc) >= Date.parse(value);
      if (field === "lastmodifiedtimeutc")
        return Date.parse(incident.lastModifiedTimeUtc) >= Date.parse(value);
      const actual = String(incident[field as "severity" | "status" | "title"]);
      return actual.toLowerCase() === value.toLowerCase();
    });
}

function listIncidents(ctx: RouteContext, incidents: Incident[]): RouteResponse {
  const filter = incidentFilter(ctx.query["$filter"]);
  if (typeof filter === "string") return ctx.error(400, "BadRequest", filter);
  const ascending = /\s+asc$/i.test(ctx.query["$orderby"] ?? "");
  const sorted = incidents
    .filter(filter)
    .sort((a, b) => (ascending ? 1 : -1) * a.createdTimeUtc.localeCompare(b.createdTimeUtc));
  return paged(
    ctx,
    sorted.map((incident) => incidentResource(ctx, incident)),
  );
}

const SEVERITIES = ["High", "Medium", "Low", "Informational"];
const STATUSES = ["New", "Active", "Closed"];

/** Incidents - Create Or Update: title, severity and status are required; a stale etag is 409. */
function putIncident(ctx: RouteContext, incident: Incident): RouteResponse {
  const body = (ctx.body ?? {}) as { etag?: string; properties?: Record<string, unknown> };
  const properties = body.properties ?? {};
  for (const field of ["title", "severity", "status"]) {
    if (typeof properties[field] !== "string" || properties[field] === "") {
      return ctx.error(400, "BadRequest", `The incident's properties.${field} is required.`);
    }
  }
  if (
    !SEVERITIES.includes(String(properties["severity"])) ||
    !STATUSES.includes(String(properties["status"]))
  ) {
    return ctx.error(400, "BadRequest", "properties.severity or properties.status has an invalid value.");
  }
  if (body.etag && body.etag !== incident.etag) {
    return ctx.error(409, "Conflict", `The etag '${body.etag}' does not match the incident's current etag.`);
  }
  if (properties["status"] === "Closed" && !properties["classification"]) {
    return ctx.error(400, "BadRequest", "A closed incident needs properties.classification.");
  }
  incident.title = String(properties["title"]);
  incident.severity = String(properties["severity"]);
  incident.status = String(properties["status"]);
  if (typeof properties["description"] === "string") incident.description = properties["description"];
  for (const key of ["classification", "classificationReason", "classificationComment"] as const) {
    if (typeof properties[key] === "string") incident[key] = properties[key] as string;
  }
  if (properties["owner"] && typeof properties["owner"] === "object") {
    incident.owner = properties["owner"] as Incident["owner"];
  }
  if (Array.isArray(properties["labels"])) incident.labels = properties["labels"] as Incident["labels"];
  incident.etag = etag();
  incident.lastModifiedTimeUtc = new Date().toISOString();
  return ctx.json(200, incidentResource(ctx, incident));
}

function putComment(ctx: RouteContext, incident: Incident): RouteResponse {
  const message = (ctx.body as { properties?: { message?: unknown } } | undefined)?.properties?.message;
  if (typeof message !== "string" || message.trim() === "") {
    return ctx.error(400, "BadRequest", "The comment's properties.message is required.");
  }
  const existing = incident.comments.find((comment) => comment.name === ctx.params["comment"]);
  if (existing) {
    existing.message = message;
    return ctx.json(200, commentResource(ctx, incident, existing));
  }
  const comment: IncidentComment = {
    name: ctx.params["comment"]!,
    message,
    createdTimeUtc: new Date().toISOString(),
    author: {
      objectId: ctx.claims.oid,
      name: callerName(ctx),
      ...(ctx.claims.upn ? { email: ctx.claims.upn, userPrincipalName: ctx.claims.upn } : {}),
    },
  };
  incident.comments.push(comment);
  return ctx.json(201, commentResource(ctx, incident, comment));
}

function relations(ctx: RouteContext, incident: Incident) {
  const base = `${providerId(ctx)}/Incidents/${incident.name}/relations`;
  const relation = (kind: string, type: string, name: string) => ({
    id: `${base}/${name}`,
    name,
    etag: etag(),
    type: "Microsoft.SecurityInsights/Incidents/relations",
    properties: {
      relatedResourceId: `${providerId(ctx)}/${type}/${name}`,
      relatedResourceName: name,
      relatedResourceType: `Microsoft.SecurityInsights/${type}`,
      relatedResourceKind: kind,
    },
  });
  return [
    ...incident.alerts.map((alert) => relation("SecurityAlert", "Entities", alert.systemAlertId)),
    ...incident.entities.map((entity) => relation(entity.kind, "Entities", entity.name)),
    ...incident.bookmarks.map((bookmark) => relation("Bookmark", "Bookmarks", bookmark)),
  ];
}

/** Incident Relations - List's `$filter`: XSOAR's `search.in(properties/relatedResourceKind, 'a,b', ',')`. */
function relationFilter(
  filter: string | undefined,
): (relation: { properties: { relatedResourceKind: string } }) => boolean {
  const kinds = /search\.in\(properties\/relatedResourceKind,\s*'([^']*)'/i.exec(filter ?? "")?.[1];
  if (!kinds) return () => true;
  const wanted = kinds.split(",").map((kind) => kind.trim().toLowerCase());
  return (relation) => wanted.includes(relation.properties.relatedResourceKind.toLowerCase());
}

function alertResources(ctx: RouteContext, incident: Incident) {
  return incident.alerts.map((alert) => ({
    id: `${providerId(ctx)}/Entities/${alert.systemAlertId}`,
    name: alert.systemAlertId,
    type: "Microsoft.SecurityInsights/Entities",
    kind: "SecurityAlert",
    properties: {
      systemAlertId: alert.systemAlertId,
      alertDisplayName: alert.alertDisplayName,
      friendlyName: alert.alertDisplayName,
      description: alert.description,
      severity: alert.severity,
      confidenceLevel: alert.confidenceLevel,
      vendorName: alert.vendorName,
      productName: alert.productName,
      productComponentName: alert.productComponentName,
      tactics: alert.tactics,
      additionalData: { MitreTechniques: JSON.stringify(alert.techniques) },
      status: "New",
      timeGenerated: incident.createdTimeUtc,
    },
  }));
}

function entityResources(ctx: RouteContext, incident: Incident) {
  const entities = incident.entities.map((entity) => ({
    id: `${providerId(ctx)}/Entities/${entity.name}`,
    name: entity.name,
    type: "Microsoft.SecurityInsights/Entities",
    kind: entity.kind,
    properties: entity.properties,
  }));
  const kinds = [...new Set(incident.entities.map((entity) => entity.kind))];
  return {
    entities,
    metaData: kinds.map((kind) => ({
      entityKind: kind,
      count: incident.entities.filter((entity) => entity.kind === kind).length,
    })),
  };
}

function incidentRoutes(incidents: Incident[]): ServiceRoute[] {
  const withIncident = (handler: (ctx: RouteContext, incident: Incident) => RouteResponse): Handler => {
    return (ctx) => {
      const incident = incidents.find((candidate) => candidate.name === ctx.params["id"]);
      return incident
        ? handler(ctx, incident)
        : ctx.error(404, "NotFound", `Incident with id '${ctx.params["id"]}' was not found.`);
    };
  };
  const action = (what: string) => `Microsoft.SecurityInsights/incidents/${what}`;
  return [
    sentinelRoute("GET", "/incidents", action("read"), (ctx) => listIncidents(ctx, incidents)),
    sentinelRoute(
      "GET",
      "/incidents/:id",
      action("read"),
      withIncident((ctx, incident) => ctx.json(200, incidentResource(ctx, incident))),
    ),
    sentinelRoute("PUT", "/incidents/:id", action("write"), withIncident(putIncident)),
    sentinelRoute(
      "DELETE",
      "/incidents/:id",
      action("delete"),
      withIncident((ctx, incident) => {
        incidents.splice(incidents.indexOf(incident), 1);
        return ctx.empty(200);
      }),
    ),
    sentinelRoute(
      "GET",
      "/incidents/:id/comments",
      action("comments/read"),
      withIncident((ctx, incident) =>
        paged(
          ctx,
          incident.comments.map((comment) => commentResource(ctx, incident, comment)),
        ),
      ),
    ),
    sentinelRoute(
      "PUT",
      "/incidents/:id/comments/:comment",
      action("comments/write"),
      withIncident(putComment),
    ),
    sentinelRoute(
      "DELETE",
      "/incidents/:id/comments/:comment",
      action("comments/delete"),
      withIncident((ctx, incident) => {
        const index = incident.comments.findIndex((comment) => comment.name === ctx.params["comment"]);
        if (index < 0) return ctx.empty(204);
        incident.comments.splice(index, 1);
        return ctx.empty(200);
      }),
    ),
    sentinelRoute(
      "GET",
      "/incidents/:id/relations",
      action("relations/read"),
      withIncident((ctx, incident) =>
        paged(ctx, relations(ctx, incident).filter(relationFilter(ctx.query["$filter"]))),
      ),
    ),
    sentinelRoute(
      "POST",
      "/incidents/:id/alerts",
      action("read"),
      withIncident((ctx, incident) => ctx.json(200, { value: alertResources(ctx, incident) })),
    ),
    sentinelRoute(
      "POST",
      "/incidents/:id/entities",
      action("read"),
      withIncident((ctx, incident) => ctx.json(200, entityResources(ctx, incident))),
    ),
  ];
}

// --- Watchlists (learn.microsoft.com/rest/api/securityinsights/watchlists, …/watchlist-items) ---

function watchlistResource(ctx: RouteContext, watchlist: Watchlist) {
  return {
    id: `${providerId(ctx)}/Watchlists/${watchlist.alias}`,
    name: watchlist.alias,
    etag: watchlist.etag,
    type: "Microsoft.SecurityInsights/Watchlists",
    properties: { watchlistId: watchlist.watchlistId, ...watchlist.properties },
  };
}

function itemResource(ctx: RouteContext, watchlist: Watchlist, item: WatchlistItem) {
  return {
    id: `${providerId(ctx)}/Watchlists/${watchlist.alias}/WatchlistItems/${item.id}`,
    name: item.id,
    etag: etag(),
    type: "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
    properties: {
      watchlistItemId: item.id,
      itemsKeyValue: item.itemsKeyValue,
      created: item.created,
      updated: item.updated,
      createdBy: { name: item.createdBy },
      updatedBy: { name: item.updatedBy },
      isDeleted: false,
    },
  };
}

/** The rows of a CSV upload (`rawContent`), after `numberOfLinesToSkip` lines, keyed by its header row. */
function csvRows(raw: string, skip: number): { header: string[]; rows: Array<Record<string, string>> } {
  const lines = raw
    .split(/\r?\n/)
    .slice(skip)
    .filter((line) => line.trim() !== "");
  const split = (line: string) => line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  const header = lines[0] ? split(lines[0]) : [];
  const rows = lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ""]));
  });
  return { header, rows };
}

/** Watchlists - Create Or Update: displayName, provider, source and itemsSearchKey are required. */
function putWatchlist(ctx: RouteContext, watchlists: Watchlist[]): RouteResponse {
  const alias = ctx.params["alias"]!;
  const properties = ((ctx.body ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
  for (const field of ["displayName", "provider", "source", "itemsSearchKey"]) {
    if (typeof properties[field] !== "string" || properties[field] === "") {
      return ctx.error(400, "BadRequest", `The watchlist's properties.${field} is required.`);
    }
  }
  const raw = typeof properties["rawContent"] === "string" ? properties["rawContent"] : "";
  if (raw && String(properties["contentType"]).toLowerCase() !== "text/csv") {
    return ctx.error(
      400,
      "BadRequest",
      `The content type '${properties["contentType"]}' is not supported; use text/csv.`,
    );
  }
  const { header, rows } = csvRows(raw, Number(properties["numberOfLinesToSkip"] ?? 0) || 0);
  if (raw && !header.includes(String(properties["itemsSearchKey"]))) {
    return ctx.error(
      400,
      "BadRequest",
      `The search key '${properties["itemsSearchKey"]}' is not a column of the file.`,
    );
  }
  const now = new Date().toISOString();
  const author = callerName(ctx);
  const existing = watchlists.find((candidate) => candidate.alias === alias);
  const { rawContent: _raw, ...kept } = properties;
  const watchlist: Watchlist = existing ?? {
    alias,
    watchlistId: randomUUID(),
    etag: etag(),
    properties: {},
    items: [],
  };
  watchlist.properties = {
    ...watchlist.properties,
    ...kept,
    watchlistAlias: alias,
    created: watchlist.properties["created"] ?? now,
    updated: now,
    createdBy: watchlist.properties["createdBy"] ?? { name: author },
    updatedBy: { name: author },
  };
  watchlist.etag = etag();
  for (const row of rows) {
    watchlist.items.push({
      id: randomUUID(),
      itemsKeyValue: row,
      created: now,
      updated: now,
      createdBy: author,
      updatedBy: author,
    });
  }
  if (!existing) watchlists.push(watchlist);
  return ctx.json(existing ? 200 : 201, watchlistResource(ctx, watchlist));
}

function putItem(ctx: RouteContext, watchlist: Watchlist): RouteResponse {
  const value = ((ctx.body ?? {}) as { properties?: { itemsKeyValue?: unknown } }).properties?.itemsKeyValue;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return ctx.error(400, "BadRequest", "The watchlist item's properties.itemsKeyValue must be an object.");
  }
  const now = new Date().toISOString();
  const existing = watchlist.items.find((item) => item.id === ctx.params["item"]);
  if (existing) {
    existing.itemsKeyValue = value as Record<string, unknown>;
    existing.updated = now;
    existing.updatedBy = callerName(ctx);
    return ctx.json(200, itemResource(ctx, watchlist, existing));
  }
  const item: WatchlistItem = {
    id: ctx.params["item"]!,
    itemsKeyValue: value as Record<string, unknown>,
    created: now,
    updated: now,
    createdBy: callerName(ctx),
    updatedBy: callerName(ctx),
  };
  watchlist.items.push(item);
  return ctx.json(201, itemResource(ctx, watchlist, item));
}

function watchlistRoutes(watchlists: Watchlist[]): ServiceRoute[] {
  const withWatchlist = (handler: (ctx: RouteContext, watchlist: Watchlist) => RouteResponse): Handler => {
    return (ctx) => {
      const watchlist = watchlists.find((candidate) => candidate.alias === ctx.params["alias"]);
      return watchlist
        ? handler(ctx, watchlist)
        : ctx.error(404, "NotFound", `Watchlist with alias '${ctx.params["alias"]}' was not found.`);
    };
  };
  const withItem = (
    handler: (ctx: RouteContext, watchlist: Watchlist, item: WatchlistItem) => RouteResponse,
  ) =>
    withWatchlist((ctx, watchlist) => {
      const item = watchlist.items.find((candidate) => candidate.id === ctx.params["item"]);
      return item
        ? handler(ctx, watchlist, item)
        : ctx.error(404, "NotFound", `Watchlist item with id '${ctx.params["item"]}' was not found.`);
    });
  const action = (what: string) => `Microsoft.SecurityInsights/watchlists/${what}`;
  return [
    sentinelRoute("GET", "/watchlists", action("read"), (ctx) =>
      paged(
        ctx,
        watchlists.map((watchlist) => watchlistResource(ctx, watchlist)),
        100,
      ),
    ),
    sentinelRoute(
      "GET",
      "/watchlists/:alias",
      action("read"),
      withWatchlist((ctx, watchlist) => ctx.json(200, watchlistResource(ctx, watchlist))),
    ),
    sentinelRoute("PUT", "/watchlists/:alias", action("write"), (ctx) => putWatchlist(ctx, watchlists)),
    sentinelRoute(
      "DELETE",
      "/watchlists/:alias",
      action("delete"),
      withWatchlist((ctx, watchlist) => {
        watchlists.splice(watchlists.indexOf(watchlist), 1);
        return ctx.empty(200);
      }),
    ),
    sentinelRoute(
      "GET",
      "/watchlists/:alias/watchlistItems",
      action("read"),
      withWatchlist((ctx, watchlist) =>
        paged(
          ctx,
          watchlist.items.map((item) => itemResource(ctx, watchlist, item)),
          100,
        ),
      ),
    ),
    sentinelRoute(
      "GET",
      "/watchlists/:alias/watchlistItems/:item",
      action("read"),
      withItem((ctx, watchlist, item) => ctx.json(200, itemResource(ctx, watchlist, item))),
    ),
    sentinelRoute("PUT", "/watchlists/:alias/watchlistItems/:item", action("write"), withWatchlist(putItem)),
    sentinelRoute(
      "DELETE",
      "/watchlists/:alias/watchlistItems/:item",
      action("delete"),
      withItem((ctx, watchlist, item) => {
        watchlist.items.splice(watchlist.items.indexOf(item), 1);
        return ctx.empty(200);
      }),
    ),
  ];
}

// --- Alert rules and templates (learn.microsoft.com/rest/api/securityinsights/alert-rules, …/alert-rule-templates) ---

function ruleResource(ctx: RouteContext, rule: AlertRule, collection: "alertRules" | "alertRuleTemplates") {
  return {
    id: `${providerId(ctx)}/${collection}/${rule.name}`,
    name: rule.name,
    etag: rule.etag,
    type: `Microsoft.SecurityInsights/${collection}`,
    kind: rule.kind,
    properties: rule.properties,
  };
}

const RULE_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Scheduled: [
    "displayName",
    "enabled",
    "query",
    "queryFrequency",
    "queryPeriod",
    "severity",
    "suppressionDuration",
    "suppressionEnabled",
    "triggerOperator",
    "triggerThreshold",
  ],
  Fusion: ["alertRuleTemplateName", "enabled"],
  MicrosoftSecurityIncidentCreation: ["displayName", "enabled", "productFilter"],
};

/** Alert Rules - Create Or Update: the properties each kind requires; a stale etag is 409. */
function putRule(ctx: RouteContext, rules: AlertRule[]): RouteResponse {
  const body = (ctx.body ?? {}) as { kind?: string; etag?: string; properties?: Record<string, unknown> };
  const required = RULE_REQUIRED[body.kind ?? ""];
  if (!required) {
    return ctx.error(
      400,
      "BadRequest",
      `The alert rule kind '${body.kind}' is not supported; use one of ${Object.keys(RULE_REQUIRED).join(", ")}.`,
    );
  }
  const properties = body.properties ?? {};
  const missing = required.filter((field) => properties[field] === undefined || properties[field] === "");
  if (missing.length) {
    return ctx.error(
      400,
      "BadRequest",
      `A ${body.kind} alert rule requires properties ${missing.join(", ")}.`,
    );
  }
  const existing = rules.find((rule) => rule.name === ctx.params["id"]);
  if (existing && body.etag && body.etag !== existing.etag) {
    return ctx.error(
      409,
      "Conflict",
      `The etag '${body.etag}' does not match the alert rule's current etag.`,
    );
  }
  const rule: AlertRule = existing ?? {
    name: ctx.params["id"]!,
    etag: etag(),
    kind: body.kind!,
    properties: {},
  };
  rule.kind = body.kind!;
  rule.properties = { ...properties, lastModifiedUtc: new Date().toISOString() };
  rule.etag = etag();
  if (!existing) rules.push(rule);
  return ctx.json(existing ? 200 : 201, ruleResource(ctx, rule, "alertRules"));
}

function alertRuleRoutes(rules: AlertRule[], templates: AlertRule[]): ServiceRoute[] {
  const read = "Microsoft.SecurityInsights/alertRules/read";
  const findRule = (ctx: RouteContext, list: AlertRule[], what: string) =>
    list.find((rule) => rule.name === ctx.params["id"]) ??
    ctx.error(404, "NotFound", `${what} with id '${ctx.params["id"]}' was not found.`);
  const isRule = (value: AlertRule | RouteResponse): value is AlertRule => "kind" in value;
  return [
    sentinelRoute("GET", "/alertRules", read, (ctx) =>
      paged(
        ctx,
        rules.map((rule) => ruleResource(ctx, rule, "alertRules")),
        100,
      ),
    ),
    sentinelRoute("GET", "/alertRules/:id", read, (ctx) => {
      const rule = findRule(ctx, rules, "Alert rule");
      return isRule(rule) ? ctx.json(200, ruleResource(ctx, rule, "alertRules")) : rule;
    }),
    sentinelRoute("PUT", "/alertRules/:id", "Microsoft.SecurityInsights/alertRules/write", (ctx) =>
      putRule(ctx, rules),
    ),
    sentinelRoute("DELETE", "/alertRules/:id", "Microsoft.SecurityInsights/alertRules/delete", (ctx) => {
      const index = rules.findIndex((rule) => rule.name === ctx.params["id"]);
      if (index < 0) return ctx.empty(204);
      rules.splice(index, 1);
      return ctx.empty(200);
    }),
    sentinelRoute("GET", "/alertRuleTemplates", "Microsoft.SecurityInsights/alertRuleTemplates/read", (ctx) =>
      paged(
        ctx,
        templates.map((template) => ruleResource(ctx, template, "alertRuleTemplates")),
        100,
      ),
    ),
    sentinelRoute(
      "GET",
      "/alertRuleTemplates/:id",
      "Microsoft.SecurityInsights/alertRuleTemplates/read",
      (ctx) => {
        const template = findRule(ctx, templates, "Alert rule template");
        return isRule(template) ? ctx.json(200, ruleResource(ctx, template, "alertRuleTemplates")) : template;
      },
    ),
  ];
}

function sentinelRoutes(): ServiceRoute[] {
  const indicators: Indicator[] = seedIndicators();
  return [
    ...incidentRoutes(seedIncidents()),
    ...watchlistRoutes(seedWatchlists()),
    ...indicatorRoutes(indicators),
    ...alertRuleRoutes(seedAlertRules(), seedAlertRuleTemplates()),
  ];
}

/** Microsoft Sentinel's Resource Manager routes (shares the key "arm" with the other Resource Manager modules). */
export const sentinelService: EmulatedService = {
  key: "arm",
  displayName: "Azure Resource Manager (Microsoft Sentinel)",
  audiences: [
    "https://management.azure.com",
    "https://management.usgovcloudapi.net",
    "https://management.chinacloudapi.cn",
    "https://management.core.windows.net",
    "https://management.core.usgovcloudapi.net",
    "https://management.core.chinacloudapi.cn",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013",
  ],
  hosts: /^management\.(azure\.com|usgovcloudapi\.net|chinacloudapi\.cn)$/,
  demoScopes: ["user_impersonation"],
  routes: sentinelRoutes,
};
