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
/** A second seeded key vault (incident response), for commands that name another vault than the instance's. */
export const SECOND_VAULT = "ir-vault";

const GROUP = "/subscriptions/:sub/resourceGroups/:rg";
const WORKSPACE = `${GROUP}/providers/Microsoft.OperationalInsights/workspaces/:ws`;
const SECURITY = "/subscriptions/:sub/providers/Microsoft.Security";
const VAULTS = `${GROUP}/providers/Microsoft.KeyVault/vaults`;

/**
 * The api-versions each resource type accepts (a subset of those Resource Manager lists for it): Sentinel
 * learn.microsoft.com/rest/api/securityinsights, workspaces learn.microsoft.com/rest/api/loganalytics, alerts
 * learn.microsoft.com/rest/api/defenderforcloud/alerts, vaults learn.microsoft.com/rest/api/keyvault/keyvault/vaults.
 */
const VERSIONS = {
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
// Key vaults (learn.microsoft.com/rest/api/keyvault/keyvault/vaults/list-by-resource-group, …/vaults/list-by-subscription,
// …/vaults/get, …/vaults/create-or-update, …/vaults/delete, …/vaults/update-access-policy). Vaults are kept by
// name; `soc-vault` and `ir-vault` are seeded in `soc-rg`.

interface AccessPolicy {
  tenantId: string;
  objectId: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[]; storage?: string[] };
}

interface VaultRecord {
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown> & { accessPolicies: AccessPolicy[] };
}

function seededVault(
  name: string,
  policies: AccessPolicy[],
  extra: Record<string, unknown> = {},
): VaultRecord {
  return {
    name,
    location: "westeurope",
    tags: { environment: "production" },
    properties: {
      tenantId: DEMO_TENANT_ID,
      sku: { family: "A", name: "standard" },
      vaultUri: `https://${name}.vault.azure.net/`,
      accessPolicies: policies,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableRbacAuthorization: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      publicNetworkAccess: "Enabled",
      provisioningState: "Succeeded",
      ...extra,
    },
  };
}

function vaultResource(ctx: RouteContext, vault: VaultRecord) {
  return {
    id: `${groupId(ctx)}/providers/Microsoft.KeyVault/vaults/${vault.name}`,
    name: vault.name,
    type: "Microsoft.KeyVault/vaults",
    location: vault.location,
    ...(vault.tags ? { tags: vault.tags } : {}),
    properties: vault.properties,
  };
}

function updateAccessPolicies(ctx: RouteContext, vault: VaultRecord): RouteResponse {
  const policies = vault.properties.accessPolicies;
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
      for (const key of ["keys", "secrets", "certificates", "storage"] as const) {
        current[key] = [...new Set([...(current[key] ?? []), ...(policy.permissions?.[key] ?? [])])];
      }
    } else {
      policies.push(policy);
    }
  }
  return ctx.json(200, {
    id: `${vaultResource(ctx, vault).id}/accessPolicies/${kind}`,
    type: "Microsoft.KeyVault/vaults/accessPolicies",
    properties: { accessPolicies: given },
  });
}

/** Vaults - Create Or Update: the body's location, sku, tenantId and access policies are required. */
function createOrUpdateVault(ctx: RouteContext, vaults: Map<string, VaultRecord>): RouteResponse {
  const name = ctx.params["name"]!.toLowerCase();
  const body = ctx.body as
    | { location?: string; tags?: Record<string, string>; properties?: Record<string, unknown> }
    | undefined;
  const properties = body?.properties;
  if (!body?.location || !properties?.["tenantId"] || !properties["sku"]) {
    return ctx.error(
      400,
      "BadRequest",
      "The request body must have location, properties.tenantId and properties.sku.",
    );
  }
  if (!/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/.test(name)) {
    return ctx.error(400, "VaultNameNotValid", `The vault name '${ctx.params["name"]}' is invalid.`);
  }
  const existed = vaults.has(name);
  const vault = seededVault(name, (properties["accessPolicies"] as AccessPolicy[] | undefined) ?? []);
  vault.location = body.location;
  if (body.tags) vault.tags = body.tags;
  else delete vault.tags;
  Object.assign(vault.properties, properties, { provisioningState: "Succeeded" });
  vaults.set(name, vault);
  return ctx.json(existed ? 200 : 201, vaultResource(ctx, vault));
}

/** `$top` of the vault lists (Vaults - List By Subscription / By Resource Group). */
function vaultList(ctx: RouteContext, vaults: Map<string, VaultRecord>): RouteResponse {
  const top = ctx.query["$top"] === undefined ? undefined : Number(ctx.query["$top"]);
  if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 1000)) {
    return ctx.error(400, "InvalidParameter", `Invalid $top value '${ctx.query["$top"]}'.`);
  }
  const all = [...vaults.values()].map((vault) => vaultResource(ctx, vault));
  return ctx.json(200, { value: all.slice(0, top ?? all.length), nextLink: null });
}

function keyVaultRoutes(): ServiceRoute[] {
  const vaults = new Map<string, VaultRecord>([
    [
      SECURITY_VAULT,
      seededVault(SECURITY_VAULT, [
        {
          tenantId: DEMO_TENANT_ID,
          objectId: "6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b",
          permissions: { keys: ["get", "list"], secrets: ["get", "list"], certificates: ["get", "list"] },
        },
      ]),
    ],
    [
      SECOND_VAULT,
      seededVault(SECOND_VAULT, [], { enableRbacAuthorization: true, sku: { family: "A", name: "premium" } }),
    ],
  ]);
  const withVault = (handler: (ctx: RouteContext, vault: VaultRecord) => RouteResponse): Handler => {
    return (ctx) => {
      const vault = vaults.get(ctx.params["name"]?.toLowerCase() ?? "");
      return vault
        ? handler(ctx, vault)
        : resourceNotFound(ctx, "Microsoft.KeyVault/vaults", ctx.params["name"] ?? "");
    };
  };
  return [
    armRoute("GET", VAULTS, VERSIONS.vaults, "Microsoft.KeyVault/vaults/read", (ctx) =>
      vaultList(ctx, vaults),
    ),
    armRoute(
      "GET",
      "/subscriptions/:sub/providers/Microsoft.KeyVault/vaults",
      VERSIONS.vaults,
      "Microsoft.KeyVault/vaults/read",
      (ctx) => vaultList(ctx, vaults),
    ),
    armRoute(
      "GET",
      `${VAULTS}/:name`,
      VERSIONS.vaults,
      "Microsoft.KeyVault/vaults/read",
      withVault((ctx, vault) => ctx.json(200, vaultResource(ctx, vault))),
    ),
    armRoute("PUT", `${VAULTS}/:name`, VERSIONS.vaults, "Microsoft.KeyVault/vaults/write", (ctx) =>
      createOrUpdateVault(ctx, vaults),
    ),
    armRoute("DELETE", `${VAULTS}/:name`, VERSIONS.vaults, "Microsoft.KeyVault/vaults/delete", (ctx) =>
      vaults.delete(ctx.params["name"]?.toLowerCase() ?? "") ? ctx.json(200, {}) : ctx.empty(204),
    ),
    armRoute(
      "PUT",
      `${VAULTS}/:name/accessPolicies/:kind`,
      VERSIONS.vaults,
      "Microsoft.KeyVault/vaults/accessPolicies/write",
      withVault(updateAccessPolicies),
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
  routes: () => [...operationalInsightsRoutes(), ...securityRoutes(), ...keyVaultRoutes()],
};
