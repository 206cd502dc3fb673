import { ParameterError } from "./errors.js";

// ---------------------------------------------------------------------------------------------------------------
// National clouds

/** Internal key of a cloud (the XSOAR abbreviation). */
export type CloudId = "com" | "gcc" | "gcc-high" | "dod" | "cn" | "de" | "custom";

/** Values of the instance parameter "Azure Cloud", in the order the parameter offers them. */
export const AZURE_CLOUD_OPTIONS = [
  "Worldwide",
  "US GCC",
  "US GCC-High",
  "DoD",
  "China",
  "Germany",
  "Custom",
] as const;

/** A display name of the "Azure Cloud" parameter. */
export type AzureCloudName = (typeof AZURE_CLOUD_OPTIONS)[number];

/** Display name of the parameter that selects the cloud. */
export const AZURE_CLOUD_PARAMETER = "Azure Cloud";
/** Display name of the parameter holding a Custom cloud's login host (key `azure_ad_endpoint`). */
export const AZURE_AD_ENDPOINT_PARAMETER = "Azure AD endpoint";
/** Display name of the parameter holding the integration's API endpoint (key `server_url`). */
export const SERVER_URL_PARAMETER = "Server URL";
/** Display name of the Defender for Endpoint / Cloud Apps endpoint-type parameter. */
export const ENDPOINT_TYPE_PARAMETER = "Endpoint Type";

/**
 * Endpoints of one cloud. Every URL is absolute and has no trailing slash; suffixes are host name suffixes.
 */
export interface CloudEndpoints {
  readonly id: CloudId;
  readonly displayName: AzureCloudName;
  /** Entra ID login host, e.g. `https://login.microsoftonline.com`. */
  readonly loginHost: string;
  /** Microsoft Graph root (also the token audience). */
  readonly graph: string;
  /** Azure Resource Manager. */
  readonly arm: string;
  /** Log Analytics query API; not offered in every cloud. */
  readonly logAnalytics?: string;
  /** Key Vault resource (token audience). */
  readonly keyVault: string;
  /** Host suffix of vaults, with its leading dot: `.vault.azure.net`. */
  readonly keyVaultDnsSuffix: string;
  /** Storage account host suffix, without leading dot: `core.windows.net`. */
  readonly storageSuffix: string;
  /** Azure portal, where app registrations are managed. */
  readonly portal: string;
  /** Exchange Online; not offered in every cloud. */
  readonly exchangeOnline?: string;
  /** Classic service management endpoint, used as a resource by some ARM integrations. */
  readonly managementCore: string;
  /** Application Insights query API; not offered in every cloud. */
  readonly appInsights?: string;
  /** Only for Custom clouds: the integration's API endpoint from the "Server URL" parameter. */
  readonly resourceUrl?: string;
  /** The cloud was shut down (Microsoft Cloud Deutschland closed on 2021-10-29); kept for old configurations. */
  readonly retired?: boolean;
}

/** The catalog entries that are not Custom. */
export type NamedCloudId = Exclude<CloudId, "custom">;

const US_GOVERNMENT_AZURE = {
  arm: "https://management.usgovcloudapi.net",
  logAnalytics: "https://api.loganalytics.us",
  keyVault: "https://vault.usgovcloudapi.net",
  keyVaultDnsSuffix: ".vault.usgovcloudapi.net",
  storageSuffix: "core.usgovcloudapi.net",
  managementCore: "https://management.core.usgovcloudapi.net",
  appInsights: "https://api.applicationinsights.us",
} as const;

/** The named clouds. One row per cloud; tests check every row. */
export const CLOUDS: Readonly<Record<NamedCloudId, CloudEndpoints>> = deepFreeze({
  com: {
    id: "com",
    displayName: "Worldwide",
    loginHost: "https://login.microsoftonline.com",
    graph: "https://graph.microsoft.com",
    arm: "https://management.azure.com",
    logAnalytics: "https://api.loganalytics.io",
    keyVault: "https://vault.azure.net",
    keyVaultDnsSuffix: ".vault.azure.net",
    storageSuffix: "core.windows.net",
    portal: "https://portal.azure.com",
    exchangeOnline: "https://outlook.office365.com",
    managementCore: "https://management.core.windows.net",
    appInsights: "https://api.applicationinsights.io",
  },
  gcc: {
    id: "gcc",
    displayName: "US GCC",
    loginHost: "https://login.microsoftonline.com",
    // Microsoft 365 GCC (moderate) tenants live in the commercial Entra ID and use the worldwide Microsoft Graph
    // and portal (Microsoft Graph "national cloud deployments"). XSOAR maps GCC Graph to graph.microsoft.us, but
    // that host belongs to GCC High and only accepts tokens from login.microsoftonline.us, which a GCC tenant
    // cannot get; XSOAR's own Defender table already uses graph.microsoft.com for GCC.
    graph: "https://graph.microsoft.com",
    // The Azure services keep XSOAR's US Government values (GCC customers' Azure Government subscriptions).
    ...US_GOVERNMENT_AZURE,
    portal: "https://portal.azure.com",
    exchangeOnline: "https://outlook.office365.com",
  },
  "gcc-high": {
    id: "gcc-high",
    displayName: "US GCC-High",
    loginHost: "https://login.microsoftonline.us",
    graph: "https://graph.microsoft.us",
    ...US_GOVERNMENT_AZURE,
    portal: "https://portal.azure.us",
    exchangeOnline: "https://outlook.office365.us",
  },
  dod: {
    id: "dod",
    displayName: "DoD",
    loginHost: "https://login.microsoftonline.us",
    graph: "https://dod-graph.microsoft.us",
    ...US_GOVERNMENT_AZURE,
    portal: "https://portal.azure.us",
    exchangeOnline: "https://outlook-dod.office365.us",
  },
  cn: {
    id: "cn",
    displayName: "China",
    // MSAL's built-in metadata rewrites this host to its preferred alias login.partner.microsoftonline.cn; the
    // flows pass cloudDiscoveryMetadata() for this exact host so traffic stays where egress rules expect it.
    loginHost: "https://login.chinacloudapi.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    arm: "https://management.chinacloudapi.cn",
    logAnalytics: "https://api.loganalytics.azure.cn",
    keyVault: "https://vault.azure.cn",
    keyVaultDnsSuffix: ".vault.azure.cn",
    storageSuffix: "core.chinacloudapi.cn",
    portal: "https://portal.azure.cn",
    exchangeOnline: "https://partner.outlook.cn",
    managementCore: "https://management.core.chinacloudapi.cn",
    appInsights: "https://api.applicationinsights.azure.cn",
  },
  de: {
    id: "de",
    displayName: "Germany",
    loginHost: "https://login.microsoftonline.de",
    graph: "https://graph.microsoft.de",
    arm: "https://management.microsoftazure.de",
    keyVault: "https://vault.microsoftazure.de",
    keyVaultDnsSuffix: ".vault.microsoftazure.de",
    storageSuffix: "core.cloudapi.de",
    portal: "https://portal.microsoftazure.de",
    managementCore: "https://management.core.cloudapi.de",
    retired: true,
  },
});

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner && typeof inner === "object") deepFreeze(inner as object);
  }
  return Object.freeze(value);
}

/** Endpoint keys of {@link CloudEndpoints} that hold a URL (what a Custom cloud's Server URL can replace). */
export type CloudServiceKey =
  | "graph"
  | "arm"
  | "logAnalytics"
  | "keyVault"
  | "portal"
  | "exchangeOnline"
  | "managementCore"
  | "appInsights";

const ID_BY_NAME: ReadonlyMap<string, CloudId> = new Map<string, CloudId>([
  ...Object.values(CLOUDS).flatMap(
    (cloud): Array<[string, CloudId]> => [
      [cloud.displayName.toLowerCase(), cloud.id],
      [cloud.id, cloud.id],
    ],
  ),
  ["custom", "custom"],
]);

/** Resolves an "Azure Cloud" value or a cloud key (case-insensitive) to its key; throws ParameterError if unknown. */
export function resolveCloudId(displayNameOrId: string): CloudId {
  const id = ID_BY_NAME.get(
    String(displayNameOrId ?? "")
      .trim()
      .toLowerCase(),
  );
  if (id === undefined) {
    throw new ParameterError(
      `${AZURE_CLOUD_PARAMETER}: "${displayNameOrId}" is not a known cloud. Choose one of: ${AZURE_CLOUD_OPTIONS.join(", ")}.`,
      AZURE_CLOUD_PARAMETER,
    );
  }
  return id;
}

/**
 * Looks a cloud up by its "Azure Cloud" display name (`Worldwide`) or key (`com`), case-insensitively.
 * `Custom` needs the custom endpoints (see {@link customCloud}); an unknown value throws a ParameterError
 * naming "Azure Cloud" and listing the valid values.
 */
export function getCloud(displayNameOrId: string, custom?: CustomCloudOptions): CloudEndpoints {
  const id = resolveCloudId(displayNameOrId);
  if (id === "custom") {
    if (!custom || (!custom.loginHost?.trim() && !custom.resourceUrl?.trim())) {
      throw new ParameterError(
        `${AZURE_CLOUD_PARAMETER} is set to Custom, but neither ${AZURE_AD_ENDPOINT_PARAMETER} nor ${SERVER_URL_PARAMETER} is set. Enter the login host in ${AZURE_AD_ENDPOINT_PARAMETER} and the API endpoint in ${SERVER_URL_PARAMETER}, or choose a named cloud.`,
        AZURE_CLOUD_PARAMETER,
      );
    }
    return customCloud(custom);
  }
  return CLOUDS[id];
}

/** Inputs of a Custom cloud: the instance's "Azure AD endpoint" and "Server URL" parameters. */
export interface CustomCloudOptions {
  /** Login host, parameter "Azure AD endpoint" (`azure_ad_endpoint`). Defaults to the base cloud's. */
  loginHost?: string | undefined;
  /** The integration's API endpoint, parameter "Server URL" (`server_url`). */
  resourceUrl?: string | undefined;
  /** Which endpoint of the base cloud the Server URL replaces (e.g. `graph` for a Graph integration). */
  resourceKey?: CloudServiceKey | undefined;
  /** The cloud whose other endpoints are kept; Worldwide by default. */
  base?: NamedCloudId | CloudEndpoints | undefined;
}

/**
 * Builds a Custom cloud: the base cloud's endpoints (Worldwide by default) with the login host and the API
 * endpoint the instance configured. Both URLs are validated (see {@link validateEndpointUrl}).
 */
export function customCloud(options: CustomCloudOptions): CloudEndpoints {
  const base = typeof options.base === "object" ? options.base : CLOUDS[options.base ?? "com"];
  const loginHost = options.loginHost?.trim()
    ? validateEndpointUrl(options.loginHost, AZURE_AD_ENDPOINT_PARAMETER)
    : base.loginHost;
  const cloud: { -readonly [K in keyof CloudEndpoints]: CloudEndpoints[K] } = {
    ...base,
    id: "custom",
    displayName: "Custom",
    loginHost,
  };
  delete cloud.retired;
  delete cloud.resourceUrl;
  if (options.resourceUrl?.trim()) {
    const resourceUrl = validateEndpointUrl(options.resourceUrl, SERVER_URL_PARAMETER);
    cloud.resourceUrl = resourceUrl;
    if (options.resourceKey) cloud[options.resourceKey] = resourceUrl;
  }
  return Object.freeze(cloud);
}

const GRAPH_HOST_TO_CLOUD: ReadonlyMap<string, NamedCloudId> = new Map([
  ["graph.microsoft.com", "com"],
  ["graph.microsoft.us", "gcc-high"],
  ["dod-graph.microsoft.us", "dod"],
  ["graph.microsoft.de", "de"],
  ["microsoftgraph.chinacloudapi.cn", "cn"],
]);

/**
 * The cloud of a Graph URL, for older Graph integrations that only have a host parameter. graph.microsoft.com
 * maps to Worldwide (GCC shares it and cannot be told apart); unknown hosts give undefined.
 */
export function cloudIdFromGraphUrl(url: string): NamedCloudId | undefined {
  try {
    return GRAPH_HOST_TO_CLOUD.get(
      new URL(url.includes("://") ? url : `https://${url}`).hostname.toLowerCase(),
    );
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// URL validation

/**
 * Whether a host, exactly as written, is a literal loopback address: `localhost` itself (any case), a dotted-quad
 * address of 127.0.0.0/8 in plain decimal (`127.0.0.1`), or the IPv6 loopback `::1` / an IPv4-mapped
 * `::ffff:127.x.y.z` (with or without brackets). Names that only resolve to loopback (`foo.localhost`,
 * `localhost.`, `127.0.0.1.nip.io`), `0.0.0.0` and other spellings of an IPv4 address (`2130706433`, `0x7f.1`,
 * `127.1`, `0177.0.0.1`) are not: DNS, a hosts file or a URL parser decides where those go, not the user.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = String(hostname ?? "").toLowerCase();
  if (host === "localhost") return true;
  const bracketed = /^\[([^\]]*)\]$/.exec(host);
  if (bracketed || host.includes(":")) return isLoopbackIpv6(bracketed ? bracketed[1]! : host);
  const octets = dottedQuad(host);
  return octets !== undefined && octets[0] === 127;
}

/** The four octets of a canonical dotted-decimal IPv4 address (no leading zeros, each 0-255), else undefined. */
function dottedQuad(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^(?:0|[1-9][0-9]{0,2})$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** `::1`, or an IPv4-mapped address of 127.0.0.0/8 (`::ffff:127.0.0.1`, `::ffff:7f00:1`); no zone index. */
function isLoopbackIpv6(text: string): boolean {
  let rest = text;
  let tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (v4) {
    const octets = dottedQuad(v4[2]!);
    if (!octets) return false;
    tail = [(octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!];
    rest = v4[1]!.endsWith("::") ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = rest.split("::");
  if (halves.length > 2) return false;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]!);
  const back = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...back].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return false;
  const written = head.length + back.length + tail.length;
  if (halves.length === 1 ? written !== 8 : written > 7) return false;
  const groups = [
    ...head.map((group) => Number.parseInt(group, 16)),
    ...new Array<number>(8 - written).fill(0),
    ...back.map((group) => Number.parseInt(group, 16)),
    ...tail,
  ];
  if (groups.slice(0, 5).some((group) => group !== 0)) return false;
  if (groups[5] === 0 && groups[6] === 0 && groups[7] === 1) return true;
  return groups[5] === 0xffff && groups[6]! >> 8 === 0x7f;
}

/**
 * The host of an absolute URL exactly as it is written (user info and port removed, brackets kept, lower-cased),
 * before the URL parser rewrites it (`http://2130706433` parses to the host 127.0.0.1). Undefined when the text
 * has no `scheme://authority`.
 */
export function writtenUrlHost(raw: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/\\?#]*)/i.exec(String(raw ?? "").trim());
  if (!match) return undefined;
  let authority = match[1]!;
  authority = authority.slice(authority.lastIndexOf("@") + 1);
  if (authority.startsWith("[")) {
    const end = authority.indexOf("]");
    return end < 0 ? undefined : authority.slice(0, end + 1).toLowerCase();
  }
  return authority.replace(/:[0-9]*$/, "").toLowerCase();
}

/**
 * Whether an absolute URL points at a literal loopback address as written (see {@link isLoopbackHost}): both
 * the host as the user wrote it and the host the URL parser makes of it must be loopback.
 */
export function isLoopbackUrl(raw: string): boolean {
  const written = writtenUrlHost(raw);
  if (written === undefined || !isLoopbackHost(written)) return false;
  try {
    return isLoopbackHost(new URL(String(raw).trim()).hostname);
  } catch {
    return false;
  }
}

/** What a refusal of plain http says about the loopback rule. */
export const LOOPBACK_RULE =
  "plain http is only accepted for a literal loopback address: 127.0.0.1 (any 127.x.y.z in dotted decimal), [::1] or localhost itself";

/**
 * Checks an endpoint URL of the instance configuration and returns it normalized (lower-case host, no trailing
 * slash). It must be absolute, without credentials, query or fragment, and use `https:`; plain `http:` is allowed
 * only for loopback hosts (a local emulator). Errors name `parameter` and say how to fix the value.
 */
export function validateEndpointUrl(value: string, parameter: string): string {
  const raw = String(value ?? "").trim();
  if (raw === "") {
    throw new ParameterError(
      `${parameter} is empty. Enter a full URL such as https://login.microsoftonline.us.`,
      parameter,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ParameterError(
      `${parameter}: "${raw}" is not an absolute URL. Enter the full URL including https://, for example https://${raw.replace(/^\/+/, "") || "login.microsoftonline.us"}.`,
      parameter,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ParameterError(
      `${parameter}: the scheme ${url.protocol} is not supported. Enter an https:// URL.`,
      parameter,
    );
  }
  if (url.protocol === "http:" && !isLoopbackUrl(raw)) {
    const written = writtenUrlHost(raw) ?? url.host;
    throw new ParameterError(
      `${parameter}: http://${written} uses plain http, which would send credentials unencrypted, and ${written} is not a literal loopback address. Use https://${written}${url.port ? `:${url.port}` : ""}${url.pathname === "/" ? "" : url.pathname} instead (${LOOPBACK_RULE}).`,
      parameter,
    );
  }
  if (url.username || url.password) {
    throw new ParameterError(
      `${parameter} must not contain a user name or password. Remove the "user:password@" part.`,
      parameter,
    );
  }
  if (url.search || url.hash) {
    throw new ParameterError(
      `${parameter} must not contain a query (?…) or fragment (#…). Enter only the scheme, host and, if needed, a path.`,
      parameter,
    );
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

function trimBase(base: string): string {
  return String(base).trim().replace(/\/+$/, "");
}

function tenantSegment(tenant: string): string {
  return encodeURIComponent(String(tenant).trim());
}

/** `…/<tenant>/oauth2/v2.0/token` of a login host. */
export function tokenEndpoint(loginBase: string, tenant: string): string {
  return `${trimBase(loginBase)}/${tenantSegment(tenant)}/oauth2/v2.0/token`;
}

/** `…/<tenant>/oauth2/v2.0/authorize` of a login host. */
export function authorizeEndpoint(loginBase: string, tenant: string): string {
  return `${trimBase(loginBase)}/${tenantSegment(tenant)}/oauth2/v2.0/authorize`;
}

/** `…/<tenant>/oauth2/v2.0/devicecode` of a login host. */
export function deviceCodeEndpoint(loginBase: string, tenant: string): string {
  return `${trimBase(loginBase)}/${tenantSegment(tenant)}/oauth2/v2.0/devicecode`;
}

/** `…/<tenant>/oauth2/v2.0/logout` of a login host. */
export function logoutEndpoint(loginBase: string, tenant: string): string {
  return `${trimBase(loginBase)}/${tenantSegment(tenant)}/oauth2/v2.0/logout`;
}

const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

/**
 * The OpenID configuration of a tenant, as a JSON string for MSAL's `authorityMetadata` option, shaped like
 * Entra's `/<tenant>/v2.0/.well-known/openid-configuration`. With it (and {@link cloudDiscoveryMetadata}) MSAL
 * makes no discovery request. `graph` adds the userinfo endpoint of the cloud's Graph.
 */
export function authorityMetadata(loginBase: string, tenant: string, graph?: string): string {
  const base = trimBase(loginBase);
  const segment = tenantSegment(tenant);
  const issuerTenant = MULTI_TENANT.has(segment.toLowerCase()) ? "{tenantid}" : segment;
  let host = "";
  try {
    host = new URL(base).hostname;
  } catch {
    // Left empty: only informational.
  }
  const metadata: Record<string, unknown> = {
    token_endpoint: tokenEndpoint(base, tenant),
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/${segment}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: authorizeEndpoint(base, tenant),
    device_authorization_endpoint: deviceCodeEndpoint(base, tenant),
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: logoutEndpoint(base, tenant),
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${base}/${segment}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: host.split(".").slice(1).join(".") || host,
  };
  if (graph) {
    const graphBase = trimBase(graph);
    metadata["userinfo_endpoint"] = `${graphBase}/oidc/userinfo`;
    try {
      metadata["msgraph_host"] = new URL(graphBase).host;
    } catch {
      // No Graph host then.
    }
  }
  return JSON.stringify(metadata);
}

/**
 * Instance-discovery metadata for MSAL's `cloudDiscoveryMetadata` option: declares `host` (a host, `host:port`
 * or a URL) as its own only alias and preferred network, so MSAL neither calls the global discovery endpoint nor
 * rewrites the host to another alias.
 */
export function cloudDiscoveryMetadata(host: string): string {
  let authorityHost = String(host).trim();
  if (authorityHost.includes("://")) {
    try {
      authorityHost = new URL(authorityHost).host;
    } catch {
      // Keep what was given.
    }
  }
  authorityHost = authorityHost.replace(/\/.*$/, "").toLowerCase();
  return JSON.stringify({
    tenant_discovery_endpoint: `https://${authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [
      { preferred_network: authorityHost, preferred_cache: authorityHost, aliases: [authorityHost] },
    ],
  });
}

/** The `.default` scope of a resource: `https://graph.microsoft.com/` → `https://graph.microsoft.com/.default`. */
export function resourceScope(resourceUrl: string): string {
  const trimmed = String(resourceUrl).trim();
  if (/\/\.default$/i.test(trimmed)) return trimmed.replace(/\/+\.default$/i, "/.default");
  return `${trimmed.replace(/\/+$/, "")}/.default`;
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Defender for Endpoint

/** Values of the Defender for Endpoint parameter "Endpoint Type". */
export const DEFENDER_ENDPOINT_TYPES = [
  "Worldwide",
  "US Geo Proximity",
  "EU Geo Proximity",
  "UK Geo Proximity",
  "US GCC",
  "US GCC-High",
  "DoD",
  "Custom",
] as const;

/** A value of the Defender for Endpoint "Endpoint Type" parameter. */
export type DefenderEndpointType = (typeof DEFENDER_ENDPOINT_TYPES)[number];

/** Internal key of a Defender endpoint type (as XSOAR abbreviates it). */
export type DefenderEndpointKey =
  | "com"
  | "geo-us"
  | "geo-eu"
  | "geo-uk"
  | "gcc"
  | "gcc-high"
  | "dod"
  | "custom";

/** Where a Defender for Endpoint instance signs in and which API it calls. URLs have no trailing slash. */
export interface DefenderEndpoint {
  readonly type: DefenderEndpointType;
  readonly key: DefenderEndpointKey;
  /** The cloud the type belongs to (login host and Graph come from it). */
  readonly cloud: NamedCloudId;
  /** API base, e.g. `https://api.securitycenter.microsoft.com`; also the managed-identity resource. */
  readonly api: string;
  readonly loginHost: string;
  readonly graph: string;
  /** Audience host of the WindowsDefenderATP service principal. */
  readonly aptServiceHost: string;
  /** `<aptServiceHost>/windowsatpservice/.default`. */
  readonly aptServiceScope: string;
}

const APT_COMMERCIAL = "https://securitycenter.onmicrosoft.com";
const APT_GOVERNMENT = "https://securitycenter.onmicrosoft.us";

function defenderRow(
  type: DefenderEndpointType,
  key: DefenderEndpointKey,
  cloud: NamedCloudId,
  api: string,
  aptServiceHost: string,
): DefenderEndpoint {
  return {
    type,
    key,
    cloud,
    api,
    loginHost: CLOUDS[cloud].loginHost,
    graph: CLOUDS[cloud].graph,
    aptServiceHost,
    aptServiceScope: `${aptServiceHost}/windowsatpservice/.default`,
  };
}

/** The named Defender for Endpoint types (Custom is built by {@link getDefenderEndpoint}). */
export const DEFENDER_ENDPOINTS: Readonly<Record<Exclude<DefenderEndpointType, "Custom">, DefenderEndpoint>> =
  deepFreeze({
    Worldwide: defenderRow(
      "Worldwide",
      "com",
      "com",
      "https://api.securitycenter.microsoft.com",
      APT_COMMERCIAL,
    ),
    // XSOAR sends "US Geo Proximity" to the global host; Microsoft documents api-us as the US geo host, which is
    // what a user choosing geo proximity asks for, consistent with the EU and UK rows.
    "US Geo Proximity": defenderRow(
      "US Geo Proximity",
      "geo-us",
      "com",
      "https://api-us.securitycenter.microsoft.com",
      APT_COMMERCIAL,
    ),
    "EU Geo Proximity": defenderRow(
      "EU Geo Proximity",
      "geo-eu",
      "com",
      "https://api-eu.securitycenter.microsoft.com",
      APT_COMMERCIAL,
    ),
    "UK Geo Proximity": defenderRow(
      "UK Geo Proximity",
      "geo-uk",
      "com",
      "https://api-uk.securitycenter.microsoft.com",
      APT_COMMERCIAL,
    ),
    "US GCC": defenderRow(
      "US GCC",
      "gcc",
      "gcc",
      "https://api-gcc.securitycenter.microsoft.us",
      APT_COMMERCIAL,
    ),
    "US GCC-High": defenderRow(
      "US GCC-High",
      "gcc-high",
      "gcc-high",
      "https://api-gov.securitycenter.microsoft.us",
      APT_GOVERNMENT,
    ),
    DoD: defenderRow("DoD", "dod", "dod", "https://api-gov.securitycenter.microsoft.us", APT_GOVERNMENT),
  });

const KNOWN_DEFENDER_APIS = new Set(
  [...Object.values(DEFENDER_ENDPOINTS).map((row) => row.api), "https://api.security.microsoft.com"].map(
    (url) => url.toLowerCase(),
  ),
);

function matchOption<T extends string>(options: readonly T[], value: string): T | undefined {
  const wanted = value.trim().toLowerCase();
  return options.find((option) => option.toLowerCase() === wanted);
}

/**
 * Resolves the Defender for Endpoint "Endpoint Type" (case-insensitive) and the optional "Server URL".
 * - `Custom` (or no type) uses the Server URL as API base with Worldwide sign-in; without a URL it throws.
 * - A named type uses its catalog API, unless the Server URL names a host outside the catalog (then the user
 *   deliberately pointed the instance elsewhere and the URL wins). This keeps old instances whose Server URL
 *   still holds the default worldwide host working after they pick, say, US GCC.
 */
export function getDefenderEndpoint(type: string | undefined, customUrl?: string): DefenderEndpoint {
  const url = customUrl?.trim() ? validateEndpointUrl(customUrl, SERVER_URL_PARAMETER) : undefined;
  const given = String(type ?? "").trim();
  if (given === "" && url === undefined) {
    throw new ParameterError(
      `${ENDPOINT_TYPE_PARAMETER} is not set and ${SERVER_URL_PARAMETER} is empty. Choose the Endpoint Type of your tenant (${DEFENDER_ENDPOINT_TYPES.join(", ")}).`,
      ENDPOINT_TYPE_PARAMETER,
    );
  }
  const matched = given === "" ? "Custom" : matchOption(DEFENDER_ENDPOINT_TYPES, given);
  if (matched === undefined) {
    throw new ParameterError(
      `${ENDPOINT_TYPE_PARAMETER}: "${given}" is not a known endpoint type. Choose one of: ${DEFENDER_ENDPOINT_TYPES.join(", ")}.`,
      ENDPOINT_TYPE_PARAMETER,
    );
  }
  if (matched === "Custom") {
    if (url === undefined) {
      throw new ParameterError(
        `${ENDPOINT_TYPE_PARAMETER} is set to Custom but ${SERVER_URL_PARAMETER} is empty. Enter the Defender API URL in ${SERVER_URL_PARAMETER} (for example https://api.securitycenter.microsoft.com), or choose a named endpoint type.`,
        SERVER_URL_PARAMETER,
      );
    }
    return Object.freeze({ ...DEFENDER_ENDPOINTS.Worldwide, type: "Custom", key: "custom", api: url });
  }
  const row = DEFENDER_ENDPOINTS[matched];
  if (url !== undefined && !KNOWN_DEFENDER_APIS.has(url.toLowerCase())) {
    return Object.freeze({ ...row, api: url });
  }
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Defender for Cloud Apps

/** Values of the Defender for Cloud Apps "Endpoint Type" parameter. */
export const CLOUD_APPS_ENDPOINT_TYPES = ["Worldwide", "US GCC", "US GCC-High"] as const;

/** A value of the Defender for Cloud Apps "Endpoint Type" parameter. */
export type CloudAppsEndpointType = (typeof CLOUD_APPS_ENDPOINT_TYPES)[number];

/** Sign-in and API of a Defender for Cloud Apps endpoint type. */
export interface CloudAppsEndpoint {
  readonly type: CloudAppsEndpointType;
  readonly key: "com" | "gcc" | "gcc-high";
  readonly cloud: NamedCloudId;
  readonly api: string;
  readonly loginHost: string;
}

/** The Defender for Cloud Apps types, as XSOAR's tables define them. */
export const CLOUD_APPS_ENDPOINTS: Readonly<Record<CloudAppsEndpointType, CloudAppsEndpoint>> = deepFreeze({
  Worldwide: {
    type: "Worldwide",
    key: "com",
    cloud: "com",
    api: "https://api.securitycenter.microsoft.com",
    loginHost: CLOUDS.com.loginHost,
  },
  "US GCC": {
    type: "US GCC",
    key: "gcc",
    cloud: "gcc",
    api: "https://api-gcc.securitycenter.microsoft.us",
    loginHost: CLOUDS.gcc.loginHost,
  },
  "US GCC-High": {
    type: "US GCC-High",
    key: "gcc-high",
    cloud: "gcc-high",
    api: "https://api-gcc.securitycenter.microsoft.us",
    loginHost: CLOUDS["gcc-high"].loginHost,
  },
});

/** Resolves a Defender for Cloud Apps "Endpoint Type" (case-insensitive; empty means Worldwide). */
export function getCloudAppsEndpoint(type: string | undefined): CloudAppsEndpoint {
  const given = String(type ?? "").trim();
  if (given === "") return CLOUD_APPS_ENDPOINTS.Worldwide;
  const matched = matchOption(CLOUD_APPS_ENDPOINT_TYPES, given);
  if (matched === undefined) {
    throw new ParameterError(
      `${ENDPOINT_TYPE_PARAMETER}: "${given}" is not a known endpoint type. Choose one of: ${CLOUD_APPS_ENDPOINT_TYPES.join(", ")}.`,
      ENDPOINT_TYPE_PARAMETER,
    );
  }
  return CLOUD_APPS_ENDPOINTS[matched];
}
