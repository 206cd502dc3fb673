import { randomUUID } from "node:crypto";
import { DEMO_TENANT_ID } from "../seed.js";
import type { RouteContext, RouteResponse } from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Azure Resource Manager routes of the security resource providers: Microsoft.SecurityInsights (Microsoft
// Sentinel), Microsoft.OperationalInsights (Log Analytics workspaces and saved searches), Microsoft.Security
// (Defender for Cloud alerts and locations) and Microsoft.KeyVault (vaults and their access policies). Any
// subscription ID is accepted; the seeded resources live in the resource group `soc-rg`.

/** The resource group every seeded resource of this module lives in. */
export const SECURITY_RESOURCE_GROUP = "soc-rg";
/** The seeded Log Analytics workspace (Microsoft Sentinel runs on it) and its Workspace ID. */
export const SECURITY_WORKSPACE = { name: "soc-ws", customerId: "b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f" };
/** The seeded key vault. */
export const SECURITY_VAULT = "soc-vault";

const GROUP = "/subscriptions/:sub/resourceGroups/:rg";
const WORKSPACE = `${GROUP}/providers/Microsoft.OperationalInsights/workspaces/:ws`;
const SENTINEL = `${WORKSPACE}/providers/Microsoft.SecurityInsights`;
const SECURITY = "/subscriptions/:sub/providers/Microsoft.Security";
const VAULTS = `${GROUP}/providers/Microsoft.KeyVault/vaults`;

/**
 * The api-versions each resource type accepts (a subset of those Resource Manager lists for it): Sentinel
 * learn.microsoft.com/rest/api/securityinsights, workspaces learn.microsoft.com/rest/api/loganalytics, alerts
 * learn.microsoft.com/rest/api/defenderforcloud/alerts, vaults learn.microsoft.com/rest/api/keyvault/keyvault/vaults.
 */
const VERSIONS = {
  sentinel: ["2021-10-01", "2022-11-01", "2023-02-01", "2024-03-01", "2025-06-01"],
  workspaces: ["2020-08-01", "2020-10-01", "2021-06-01", "2022-10-01", "2023-09-01"],
  savedSearches: ["2015-03-20", "2020-08-01", "2025-02-01"],
  alerts: ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01"],
  locations: ["2015-06-01-preview"],
  vaults: ["2019-09-01", "2021-10-01", "2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01"],
} as const;

/** Resource Manager's answer to a missing or unknown api-version; undefined when it is one of `supported`. */
export function armApiVersionError(
  ctx: RouteContext,
  supported: readonly string[],
): RouteResponse | undefined {
  const version = ctx.query["api-version"];
  if (!version) {
    return ctx.error(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (supported.includes(version)) return undefined;
  return ctx.error(
    400,
    "InvalidApiVersionParameter",
    `The api-version '${version}' is invalid. The supported versions are '${supported.join(",")}'.`,
  );
}

/**
 * Whether the caller holds an Azure role here. Resource Manager authorizes with Azure RBAC, which no token
 * carries: the emulator's stand-in is that an app of the seed without any grant (the demo "no grant" app) has no
 * role assignment either; every other app, user and managed identity has one.
 */
export function hasRoleAssignment(ctx: RouteContext): boolean {
  const clientId = ctx.claims.appid ?? ctx.claims.azp;
  if (ctx.claims.scp !== undefined) return true;
  const app = ctx.tenant?.apps.find((candidate) => candidate.clientId === clientId);
  if (!app) return true;
  return Object.values(app.grants ?? {}).some((roles) => roles.length > 0);
}

/** Resource Manager's 403 for a caller without a role that allows `action` on `scope`. */
function authorizationFailed(ctx: RouteContext, action: string): RouteResponse {
  const scope = ctx.path;
  return ctx.error(
    403,
    "AuthorizationFailed",
    `The client '${ctx.claims.appid ?? ctx.claims.oid}' with object id '${ctx.claims.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/** A query string as Azure services write their nextLinks: keys as they are (`$skipToken`), values encoded. */
export function queryString(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join("&");
}

/** The base URL the client addressed (for nextLinks): the real host through a proxy or harness, else the emulator. */
export function addressedBase(ctx: RouteContext): string {
  const host = ctx.headers["x-forwarded-host"] ?? "";
  return /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? `https://${host}` : ctx.origin;
}

type Handler = (ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;

/**
 * A route with Resource Manager's checks in front: api-version, the caller's role for `action`, the resource group
 * (404 ResourceGroupNotFound for another than the seeded one).
 */
function armRoute(
  method: string,
  path: string,
  versions: readonly string[],
  action: string,
  handler: Handler,
): ServiceRoute {
  return {
    method,
    path,
    handler: (ctx) => {
      const versionError = armApiVersionError(ctx, versions);
      if (versionError) return versionError;
      if (!hasRoleAssignment(ctx)) return authorizationFailed(ctx, action);
      const group = ctx.params["rg"];
      if (group !== undefined && group.toLowerCase() !== SECURITY_RESOURCE_GROUP) {
        return ctx.error(404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
      }
      return handler(ctx);
    },
  };
}

/** A 404 Resource Manager answers for a resource that does not exist in the resource group. */
function resourceNotFound(ctx: RouteContext, type: string, name: string): RouteResponse {
  return ctx.error(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${ctx.params["rg"]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function groupId(ctx: RouteContext): string {
  return `/subscriptions/${ctx.params["sub"]}/resourceGroups/${SECURITY_RESOURCE_GROUP}`;
}

function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Sentinel (learn.microsoft.com/rest/api/securityinsights/incidents, …/incident-comments, …/watchlists)

interface IncidentComment {
  name: string;
  message: string;
  createdTimeUtc: string;
  author: string;
}

interface Incident {
  name: string;
  etag: string;
  incidentNumber: number;
  title: string;
  description: string;
  severity: string;
  status: string;
  createdTimeUtc: string;
  owner: { assignedTo?: string; email?: string; objectId?: string };
  comments: IncidentComment[];
}

function seedIncidents(): Incident[] {
  const incident = (number: number, name: string, fields: Partial<Incident>, minutes: number): Incident => ({
    name,
    etag: `"${randomUUID()}"`,
    incidentNumber: number,
    title: "",
    description: "",
    severity: "Medium",
    status: "New",
    createdTimeUtc: minutesAgo(minutes),
    owner: {},
    comments: [],
    ...fields,
  });
  return [
    incident(
      3177,
      "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
      {
        title: "Multiple failed sign-ins",
        description: "Ten failed sign-ins to adele.vance@contoso.onmicrosoft.com from one IP address.",
        severity: "High",
        owner: { assignedTo: "Adele Vance", email: "adele.vance@contoso.onmicrosoft.com" },
      },
      30,
    ),
    incident(
      3176,
      "e2a8f1c4-0b7d-4d3e-9a61-5c2f8e7d1b09",
      {
        title: "Suspicious PowerShell command line",
        description: "An encoded PowerShell command ran on WIN-SRV-01.",
        status: "Active",
        owner: { assignedTo: "Megan Bowen", email: "megan.bowen@contoso.onmicrosoft.com" },
      },
      240,
    ),
    incident(
      3175,
      "4c1d9b7e-6f2a-4e8b-8d3c-1a0f5e9b7c26",
      {
        title: "Mass download by a single user",
        description: "A user downloaded 1,200 files from SharePoint in ten minutes.",
        severity: "Low",
        status: "Closed",
      },
      1440,
    ),
  ];
}

function incidentResource(ctx: RouteContext, incident: Incident) {
  const base = `${groupId(ctx)}/providers/Microsoft.OperationalInsights/workspaces/${SECURITY_WORKSPACE.name}/providers/Microsoft.SecurityInsights`;
  return {
    id: `${base}/Incidents/${incident.name}`,
    name: incident.name,
    etag: incident.etag,
    type: "Microsoft.SecurityInsights/Incidents",
    properties: {
      title: incident.title,
      description: incident.description,
      severity: incident.severity,
      status: incident.status,
      incidentNumber: incident.incidentNumber,
      createdTimeUtc: incident.createdTimeUtc,
      lastModifiedTimeUtc: incident.createdTimeUtc,
      owner: incident.owner,
      labels: [],
      additionalData: { alertsCount: 1, bookmarksCount: 0, commentsCount: incident.comments.length },
      incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${base}/Incidents/${incident.name}`,
    },
  };
}

function commentResource(ctx: RouteContext, incident: Incident, comment: IncidentComment) {
  return {
    id: `${incidentResource(ctx, incident).id}/Comments/${comment.name}`,
    name: comment.name,
    etag: `"${randomUUID()}"`,
    type: "Microsoft.SecurityInsights/Incidents/Comments",
    properties: {
      message: comment.message,
      createdTimeUtc: comment.createdTimeUtc,
      lastModifiedTimeUtc: comment.createdTimeUtc,
      author: { objectId: ctx.claims.oid, name: comment.author, type: "User" },
    },
  };
}

/** `$filter` of the incidents list: `properties/<field> eq '<value>'` clauses joined by `and`. */
function incidentFilter(filter: string | undefined): ((incident: Incident) => boolean) | string {
  if (!filter) return () => true;
  const clauses = filter
    .split(/\s+and\s+/i)
    .map((clause) =>
      /^\s*properties\/(severity|status|title|incidentNumber)\s+eq\s+'?([^']*)'?\s*$/i.exec(clause),
    );
  if (clauses.some((clause) => !clause)) return `Invalid $filter '${filter}'.`;
  return (incident) =>
    clauses.every((clause) => {
      const field = clause![1]!.toLowerCase();
      const value = clause![2]!;
      const actual =
        field === "incidentnumber"
          ? String(incident.incidentNumber)
          : String(incident[field as "severity" | "status" | "title"]);
      return actual.toLowerCase() === value.toLowerCase();
    });
}

function sentinelRoutes(): ServiceRoute[] {
  const incidents = seedIncidents();
  const versions = VERSIONS.sentinel;
  const onWorkspace = (handler: Handler): Handler => {
    return (ctx) =>
      ctx.params["ws"]?.toLowerCase() === SECURITY_WORKSPACE.name
        ? handler(ctx)
        : resourceNotFound(ctx, "Microsoft.OperationalInsights/workspaces", ctx.params["ws"] ?? "");
  };
  const withIncident = (handler: (ctx: RouteContext, incident: Incident) => RouteResponse): Handler =>
    onWorkspace((ctx) => {
      const incident = incidents.find((candidate) => candidate.name === ctx.params["id"]);
      return incident
        ? handler(ctx, incident)
        : ctx.error(404, "NotFound", `Incident with id '${ctx.params["id"]}' was not found.`);
    });
  return [
    armRoute(
      "GET",
      `${SENTINEL}/incidents`,
      versions,
      "Microsoft.SecurityInsights/incidents/read",
      onWorkspace((ctx) => listIncidents(ctx, incidents)),
    ),
    armRoute(
      "GET",
      `${SENTINEL}/incidents/:id`,
      versions,
      "Microsoft.SecurityInsights/incidents/read",
      withIncident((ctx, incident) => ctx.json(200, incidentResource(ctx, incident))),
    ),
    armRoute(
      "GET",
      `${SENTINEL}/incidents/:id/comments`,
      versions,
      "Microsoft.SecurityInsights/incidents/comments/read",
      withIncident((ctx, incident) =>
        ctx.json(200, { value: incident.comments.map((comment) => commentResource(ctx, incident, comment)) }),
      ),
    ),
    armRoute(
      "PUT",
      `${SENTINEL}/incidents/:id/comments/:comment`,
      versions,
      "Microsoft.SecurityInsights/incidents/comments/write",
      withIncident((ctx, incident) => putComment(ctx, incident)),
    ),
    armRoute(
      "GET",
      `${SENTINEL}/watchlists`,
      versions,
      "Microsoft.SecurityInsights/watchlists/read",
      onWorkspace((ctx) => ctx.json(200, { value: watchlists(ctx) })),
    ),
  ];
}

function listIncidents(ctx: RouteContext, incidents: Incident[]): RouteResponse {
  const top = ctx.query["$top"] === undefined ? 50 : Number(ctx.query["$top"]);
  if (!Number.isInteger(top) || top < 1) {
    return ctx.error(
      400,
      "BadRequest",
      `The value '${ctx.query["$top"]}' of $top is not a positive integer.`,
    );
  }
  const filter = incidentFilter(ctx.query["$filter"]);
  if (typeof filter === "string") return ctx.error(400, "BadRequest", filter);
  const ascending = /createdTimeUtc\s+asc/i.test(ctx.query["$orderby"] ?? "");
  const sorted = incidents
    .filter(filter)
    .sort((a, b) => (ascending ? 1 : -1) * a.createdTimeUtc.localeCompare(b.createdTimeUtc));
  const skip = Number(ctx.query["$skipToken"] ?? 0) || 0;
  const page = sorted.slice(skip, skip + top);
  const body: Record<string, unknown> = { value: page.map((incident) => incidentResource(ctx, incident)) };
  if (skip + top < sorted.length) {
    const next = queryString({ ...ctx.query, $skipToken: String(skip + top) });
    body["nextLink"] = `${addressedBase(ctx)}${ctx.path}?${next}`;
  }
  return ctx.json(200, body);
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
    author: ctx.claims.name ?? ctx.claims.upn ?? ctx.claims.appid ?? "unknown",
  };
  incident.comments.push(comment);
  return ctx.json(201, commentResource(ctx, incident, comment));
}

function watchlists(ctx: RouteContext) {
  const base = `${groupId(ctx)}/providers/Microsoft.OperationalInsights/workspaces/${SECURITY_WORKSPACE.name}/providers/Microsoft.SecurityInsights/Watchlists`;
  const watchlist = (alias: string, displayName: string, description: string) => ({
    id: `${base}/${alias}`,
    name: alias,
    etag: `"${randomUUID()}"`,
    type: "Microsoft.SecurityInsights/Watchlists",
    properties: {
      watchlistId: randomUUID(),
      displayName,
      watchlistAlias: alias,
      description,
      provider: "Microsoft",
      source: "Local file",
      itemsSearchKey: "AssetName",
      created: minutesAgo(10_000),
    },
  });
  return [
    watchlist("high-value-assets", "High Value Assets", "Servers whose compromise would stop the business."),
    watchlist("vip-users", "VIP Users", "Accounts of the executive team."),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Log Analytics workspaces and saved searches (learn.microsoft.com/rest/api/loganalytics/workspaces/list-by-
// resource-group, …/saved-searches/list-by-workspace)

function workspaceResource(ctx: RouteContext) {
  return {
    id: `${groupId(ctx)}/providers/Microsoft.OperationalInsights/workspaces/${SECURITY_WORKSPACE.name}`,
    name: SECURITY_WORKSPACE.name,
    type: "Microsoft.OperationalInsights/workspaces",
    location: "westeurope",
    tags: { environment: "production" },
    properties: {
      customerId: SECURITY_WORKSPACE.customerId,
      provisioningState: "Succeeded",
      retentionInDays: 90,
      sku: { name: "PerGB2018" },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
    },
  };
}

function savedSearches(ctx: RouteContext) {
  const base = `${workspaceResource(ctx).id}/savedSearches`;
  const search = (id: string, category: string, displayName: string, query: string) => ({
    id: `${base}/${id}`,
    etag: `W/"datetime'${encodeURIComponent(minutesAgo(5000))}'"`,
    properties: { category, displayName, query, version: 2, tags: [{ name: "owner", value: "soc" }] },
  });
  return [
    search(
      "failed-sign-ins",
      "Security",
      "Failed sign-ins by user",
      "SigninLogs | where ResultType != 0 | summarize count() by UserPrincipalName",
    ),
    search(
      "new-processes",
      "Security",
      "Processes started today",
      "SecurityEvent | where EventID == 4688 | take 100",
    ),
  ];
}

function operationalInsightsRoutes(): ServiceRoute[] {
  const workspaceOnly = (handler: Handler): Handler => {
    return (ctx) =>
      ctx.params["ws"]?.toLowerCase() === SECURITY_WORKSPACE.name
        ? handler(ctx)
        : resourceNotFound(ctx, "Microsoft.OperationalInsights/workspaces", ctx.params["ws"] ?? "");
  };
  return [
    armRoute(
      "GET",
      `${GROUP}/providers/Microsoft.OperationalInsights/workspaces`,
      VERSIONS.workspaces,
      "Microsoft.OperationalInsights/workspaces/read",
      (ctx) => ctx.json(200, { value: [workspaceResource(ctx)] }),
    ),
    armRoute(
      "GET",
      WORKSPACE,
      VERSIONS.workspaces,
      "Microsoft.OperationalInsights/workspaces/read",
      workspaceOnly((ctx) => ctx.json(200, workspaceResource(ctx))),
    ),
    armRoute(
      "GET",
      `${WORKSPACE}/savedSearches`,
      VERSIONS.savedSearches,
      "Microsoft.OperationalInsights/workspaces/savedSearches/read",
      workspaceOnly((ctx) => ctx.json(200, { value: savedSearches(ctx) })),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Defender for Cloud (learn.microsoft.com/rest/api/defenderforcloud/alerts, …/locations/list)

/** Where Defender for Cloud stores the subscription's alerts (its home region). */
const ASC_LOCATION = "centralus";

interface SecurityAlert {
  name: string;
  displayName: string;
  alertType: string;
  severity: string;
  status: string;
  minutes: number;
  entity: string;
  description: string;
}

const ALERT_STATES: Readonly<Record<string, string>> = {
  activate: "Active",
  dismiss: "Dismissed",
  inprogress: "InProgress",
  resolve: "Resolved",
};

function seedAlerts(): SecurityAlert[] {
  return [
    {
      name: "2518770965529163669_F144EE95-A3E5-42DA-A279-967D115809AA",
      displayName: "Suspicious authentication activity",
      alertType: "VM_LoginBruteForceValidUserFailed",
      severity: "Medium",
      status: "Active",
      minutes: 45,
      entity: "vm-web-01",
      description: "Many failed sign-ins to vm-web-01 from 203.0.113.7, then one that succeeded.",
    },
    {
      name: "2518765996949954086_2325cf9e-42a2-4f3d-85a4-2c5b1a3d4e6f",
      displayName: "Access from a suspicious IP to a storage account",
      alertType: "Storage.Blob_TorAnomaly",
      severity: "High",
      status: "Active",
      minutes: 300,
      entity: "socstorage01",
      description: "A blob container of socstorage01 was read from a Tor exit node.",
    },
    {
      name: "2518760000000000000_9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e",
      displayName: "Antimalware action taken",
      alertType: "VM_AmMalwareDetected",
      severity: "Low",
      status: "Resolved",
      minutes: 2880,
      entity: "vm-db-02",
      description: "Microsoft Antimalware removed a trojan from vm-db-02.",
    },
  ];
}

function alertResource(ctx: RouteContext, alert: SecurityAlert) {
  const group = `/subscriptions/${ctx.params["sub"]}/resourceGroups/${SECURITY_RESOURCE_GROUP}`;
  const time = minutesAgo(alert.minutes);
  return {
    id: `${group}/providers/Microsoft.Security/locations/${ASC_LOCATION}/alerts/${alert.name}`,
    name: alert.name,
    type: "Microsoft.Security/Locations/alerts",
    properties: {
      status: alert.status,
      timeGeneratedUtc: time,
      processingEndTimeUtc: time,
      startTimeUtc: time,
      endTimeUtc: time,
      alertType: alert.alertType,
      alertDisplayName: alert.displayName,
      description: alert.description,
      severity: alert.severity,
      intent: "Execution",
      compromisedEntity: alert.entity,
      productName: "Microsoft Defender for Cloud",
      systemAlertId: alert.name,
      vendorName: "Microsoft",
      resourceIdentifiers: [{ type: "AzureResource", azureResourceId: `${group}/resources/${alert.entity}` }],
      remediationSteps: ["Review the activity and isolate the resource if it is confirmed malicious."],
    },
  };
}

function securityRoutes(): ServiceRoute[] {
  const alerts = seedAlerts();
  const read = "Microsoft.Security/locations/alerts/read";
  const list = (location: boolean): Handler => {
    return (ctx) => {
      if (location && ctx.params["loc"]?.toLowerCase() !== ASC_LOCATION) return ctx.json(200, { value: [] });
      return ctx.json(200, { value: alerts.map((alert) => alertResource(ctx, alert)) });
    };
  };
  const withAlert = (handler: (ctx: RouteContext, alert: SecurityAlert) => RouteResponse): Handler => {
    return (ctx) => {
      const alert = alerts.find((candidate) => candidate.name === ctx.params["name"]);
      if (!alert || ctx.params["loc"]?.toLowerCase() !== ASC_LOCATION) {
        return ctx.error(404, "NotFound", `Alert '${ctx.params["name"]}' was not found.`);
      }
      return handler(ctx, alert);
    };
  };
  const scopes = [SECURITY, `${GROUP}/providers/Microsoft.Security`];
  return [
    ...scopes.flatMap((scope) => [
      armRoute("GET", `${scope}/alerts`, VERSIONS.alerts, read, list(false)),
      armRoute("GET", `${scope}/locations/:loc/alerts`, VERSIONS.alerts, read, list(true)),
    ]),
    // Alerts - Get / Update … State at subscription and at resource group level (…/defenderforcloud/alerts).
    ...scopes.flatMap((scope) => [
      armRoute(
        "GET",
        `${scope}/locations/:loc/alerts/:name`,
        VERSIONS.alerts,
        read,
        withAlert((ctx, alert) => ctx.json(200, alertResource(ctx, alert))),
      ),
      armRoute(
        "POST",
        `${scope}/locations/:loc/alerts/:name/:action`,
        VERSIONS.alerts,
        "Microsoft.Security/locations/alerts/dismiss/action",
        withAlert((ctx, alert) => {
          const state = ALERT_STATES[ctx.params["action"]!.toLowerCase()];
          if (!state) {
            return ctx.error(404, "NotFound", `The action '${ctx.params["action"]}' is not an alert action.`);
          }
          alert.status = state;
          return ctx.empty(204);
        }),
      ),
    ]),
    armRoute("GET", `${SECURITY}/locations`, VERSIONS.locations, "Microsoft.Security/locations/read", (ctx) =>
      ctx.json(200, {
        value: [
          {
            id: `/subscriptions/${ctx.params["sub"]}/providers/Microsoft.Security/locations/${ASC_LOCATION}`,
            name: ASC_LOCATION,
            type: "Microsoft.Security/locations",
            properties: { homeRegionName: ASC_LOCATION },
          },
        ],
      }),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Key vaults (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-resource-group, …/vaults/get,
// …/vaults/update-access-policy)

interface AccessPolicy {
  tenantId: string;
  objectId: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[] };
}

function vaultResource(ctx: RouteContext, policies: AccessPolicy[]) {
  return {
    id: `${groupId(ctx)}/providers/Microsoft.KeyVault/vaults/${SECURITY_VAULT}`,
    name: SECURITY_VAULT,
    type: "Microsoft.KeyVault/vaults",
    location: "westeurope",
    tags: { environment: "production" },
    properties: {
      tenantId: DEMO_TENANT_ID,
      sku: { family: "A", name: "standard" },
      vaultUri: `https://${SECURITY_VAULT}.vault.azure.net/`,
      accessPolicies: policies,
      enableRbacAuthorization: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      publicNetworkAccess: "Enabled",
      provisioningState: "Succeeded",
    },
  };
}

function updateAccessPolicies(ctx: RouteContext, policies: AccessPolicy[]): RouteResponse {
  const kind = ctx.params["kind"]!.toLowerCase();
  const given = (ctx.body as { properties?: { accessPolicies?: AccessPolicy[] } } | undefined)?.properties
    ?.accessPolicies;
  if (!["add", "replace", "remove"].includes(kind)) {
    return ctx.error(
      400,
      "BadRequest",
      `The operation kind '${ctx.params["kind"]}' is not add, replace or remove.`,
    );
  }
  if (!Array.isArray(given)) {
    return ctx.error(400, "BadRequest", "The request body's properties.accessPolicies must be a list.");
  }
  for (const policy of given) {
    const index = policies.findIndex((current) => current.objectId === policy.objectId);
    if (kind === "remove") {
      if (index >= 0) policies.splice(index, 1);
    } else if (index >= 0 && kind === "replace") {
      policies[index] = policy;
    } else if (index >= 0) {
      const current = policies[index]!.permissions;
      for (const key of ["keys", "secrets", "certificates"] as const) {
        current[key] = [...new Set([...(current[key] ?? []), ...(policy.permissions?.[key] ?? [])])];
      }
    } else {
      policies.push(policy);
    }
  }
  return ctx.json(200, {
    id: `${vaultResource(ctx, policies).id}/accessPolicies/${kind}`,
    type: "Microsoft.KeyVault/vaults/accessPolicies",
    properties: { accessPolicies: given },
  });
}

function keyVaultRoutes(): ServiceRoute[] {
  const policies: AccessPolicy[] = [
    {
      tenantId: DEMO_TENANT_ID,
      objectId: "6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b",
      permissions: { keys: ["get", "list"], secrets: ["get", "list"], certificates: ["get", "list"] },
    },
  ];
  const vaultOnly = (handler: Handler): Handler => {
    return (ctx) =>
      ctx.params["name"]?.toLowerCase() === SECURITY_VAULT
        ? handler(ctx)
        : resourceNotFound(ctx, "Microsoft.KeyVault/vaults", ctx.params["name"] ?? "");
  };
  return [
    armRoute("GET", VAULTS, VERSIONS.vaults, "Microsoft.KeyVault/vaults/read", (ctx) =>
      ctx.json(200, { value: [vaultResource(ctx, policies)], nextLink: null }),
    ),
    armRoute(
      "GET",
      `${VAULTS}/:name`,
      VERSIONS.vaults,
      "Microsoft.KeyVault/vaults/read",
      vaultOnly((ctx) => ctx.json(200, vaultResource(ctx, policies))),
    ),
    armRoute(
      "PUT",
      `${VAULTS}/:name/accessPolicies/:kind`,
      VERSIONS.vaults,
      "Microsoft.KeyVault/vaults/accessPolicies/write",
      vaultOnly((ctx) => updateAccessPolicies(ctx, policies)),
    ),
  ];
}

/** Resource Manager routes of Sentinel, Log Analytics workspaces, Defender for Cloud and Key Vault management. */
export const armSecurityService: EmulatedService = {
  key: "arm",
  displayName: "Azure Resource Manager (Sentinel, Log Analytics, Defender for Cloud, Key Vault)",
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
  // Azure Service Management's one delegated permission: what a signed-in user's token for Resource Manager carries.
  demoScopes: ["user_impersonation"],
  routes: () => [
    ...sentinelRoutes(),
    ...operationalInsightsRoutes(),
    ...securityRoutes(),
    ...keyVaultRoutes(),
  ],
};
