/** The Microsoft national clouds, and which host names belong to which. */
export type CloudName = "public" | "usgov" | "usdod" | "china" | "germany";

/** Domains of Microsoft cloud services: the proxy terminates TLS for any host under them. */
export const CLOUD_DOMAINS: readonly string[] = [
  // Public cloud.
  "microsoftonline.com",
  "microsoft.com",
  "windows.net",
  "windows.com",
  "azure.com",
  "azure.net",
  "loganalytics.io",
  "office.com",
  "office365.com",
  "microsoftazure.com",
  // US Government (GCC High) and DoD.
  "microsoftonline.us",
  "microsoft.us",
  "usgovcloudapi.net",
  "azure.us",
  "loganalytics.us",
  "office365.us",
  // China (21Vianet).
  "chinacloudapi.cn",
  "microsoftonline.cn",
  "azure.cn",
  "partner.outlook.cn",
  // Germany (retired, still in clients' tables).
  "microsoftonline.de",
  "microsoft.de",
  "cloudapi.de",
  "microsoftazure.de",
];

/** Whether a host name is a Microsoft cloud host the proxy may intercept. */
export function isCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return CLOUD_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The national cloud of a host, or undefined for the emulator's own (loopback) origin and unknown hosts. */
export function cloudOfHost(hostname: string): CloudName | undefined {
  const host = hostname.toLowerCase();
  if (!isCloudHost(host)) return undefined;
  if (host === "dod-graph.microsoft.us" || host.endsWith(".dod-graph.microsoft.us")) return "usdod";
  if (/\.(us|usgovcloudapi\.net)$/.test(host)) return "usgov";
  if (host.endsWith(".cn")) return "china";
  if (host.endsWith(".de")) return "germany";
  return "public";
}

/** Microsoft Graph's root per cloud (what short delegated scopes such as `User.Read` mean). */
const GRAPH: Record<CloudName, string> = {
  public: "https://graph.microsoft.com",
  usgov: "https://graph.microsoft.us",
  usdod: "https://dod-graph.microsoft.us",
  china: "https://microsoftgraph.chinacloudapi.cn",
  germany: "https://graph.microsoft.de",
};

/** The Graph audience for a sign-in addressed to this host (the public cloud's for the emulator origin). */
export function graphAudienceFor(hostname: string): string {
  return GRAPH[cloudOfHost(hostname) ?? "public"];
}

/** Entra's v1 access-token issuer in each cloud. */
const V1_ISSUER: Record<CloudName, string> = {
  public: "https://sts.windows.net",
  usgov: "https://login.microsoftonline.us",
  usdod: "https://login.microsoftonline.us",
  china: "https://sts.chinacloudapi.cn",
  germany: "https://sts.microsoftonline.de",
};

/** The v1 issuer of access tokens issued through this host (`https://sts.windows.net/{tid}/` by default). */
export function v1IssuerFor(hostname: string | undefined, tenantId: string): string {
  return `${V1_ISSUER[(hostname && cloudOfHost(hostname)) || "public"]}/${tenantId}/`;
}

/** Every v1 issuer of a tenant, across clouds (what the resource doubles accept). */
export function allV1Issuers(tenantId: string): string[] {
  return [...new Set(Object.values(V1_ISSUER))].map((base) => `${base}/${tenantId}/`);
}

/** Discovery-document host fields per cloud. */
export function discoveryHosts(hostname: string): {
  cloudInstanceName: string;
  graphHost: string;
  aadGraphHost: string;
} {
  const cloud = cloudOfHost(hostname);
  if (cloud === undefined)
    return { cloudInstanceName: hostname, graphHost: hostname, aadGraphHost: hostname };
  const byCloud: Record<CloudName, [string, string]> = {
    public: ["microsoftonline.com", "graph.windows.net"],
    usgov: ["microsoftonline.us", "graph.windows.net"],
    usdod: ["microsoftonline.us", "graph.windows.net"],
    china: ["partner.microsoftonline.cn", "graph.chinacloudapi.cn"],
    germany: ["microsoftonline.de", "graph.cloudapi.de"],
  };
  const [cloudInstanceName, aadGraphHost] = byCloud[cloud];
  return { cloudInstanceName, graphHost: new URL(GRAPH[cloud]).host, aadGraphHost };
}

/**
 * Whether a token audience is acceptable to an API addressed at `hostname`: on a cloud host, only audiences of
 * the same cloud (and non-URL audiences such as app IDs); on the emulator origin, any of the resource's.
 */
export function audienceFitsHost(audience: string, hostname: string): boolean {
  const requestCloud = cloudOfHost(hostname);
  if (requestCloud === undefined) return true;
  let audienceHost: string;
  try {
    audienceHost = new URL(audience).hostname;
  } catch {
    return true;
  }
  const audienceCloud = cloudOfHost(audienceHost);
  return audienceCloud === undefined || audienceCloud === requestCloud;
}
