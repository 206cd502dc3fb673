import { randomBytes } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import { addressedBase, hasRoleAssignment, queryString, SECURITY_VAULT } from "./arm-security.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// The Key Vault data plane (learn.microsoft.com/rest/api/keyvault/secrets, …/keys, …/certificates): the seeded
// vault `soc-vault` on <name>.vault.azure.net (and the national clouds' vault hosts). On the emulator's own
// address (a Custom cloud) the seeded vault answers whatever the host.

/** Data-plane api-versions Key Vault accepts (learn.microsoft.com/rest/api/keyvault/ "API versions"). */
const API_VERSIONS = ["7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6"];

const VAULT_HOST = /^([a-z0-9-]+)\.vault\.(azure\.net|usgovcloudapi\.net|azure\.cn|microsoftazure\.de)$/i;

interface Attributes {
  enabled: boolean;
  created: number;
  updated: number;
  exp?: number;
  recoveryLevel: string;
}

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  attributes: Attributes;
  tags?: Record<string, string>;
  managed?: boolean;
}

interface KeyItem {
  name: string;
  kty: string;
  keyOps: string[];
  managed?: boolean;
  attributes: Attributes;
}

interface CertificateItem {
  name: string;
  subject: string;
  attributes: Attributes;
}

const version = () => randomBytes(16).toString("hex");

function attributes(createdDaysAgo: number, extra: Partial<Attributes> = {}): Attributes {
  const created = Math.floor(Date.now() / 1000) - createdDaysAgo * 86_400;
  return { enabled: true, created, updated: created, recoveryLevel: "Recoverable+Purgeable", ...extra };
}

function seed() {
  const inYear = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const secrets = new Map<string, SecretVersion[]>([
    [
      "graph-secret",
      [
        {
          version: version(),
          value: "graph-client-secret-v1",
          contentType: "text/plain",
          attributes: attributes(90),
        },
        {
          version: version(),
          value: "graph-client-secret-v2",
          contentType: "text/plain",
          attributes: attributes(10, { exp: inYear }),
        },
      ],
    ],
    [
      "splunk-token",
      [{ version: version(), value: "splunk-hec-token", attributes: attributes(30, { enabled: false }) }],
    ],
    [
      "sql-connection",
      [
        {
          version: version(),
          value: "Server=tcp:soc-sql.database.windows.net;Database=soc;",
          contentType: "application/x-connection-string",
          attributes: attributes(60),
          tags: { owner: "soc" },
        },
      ],
    ],
  ]);
  const keys: KeyItem[] = [
    {
      name: "cmk",
      kty: "RSA",
      keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
      attributes: attributes(120),
    },
    { name: "signing-key", kty: "EC", keyOps: ["sign", "verify"], attributes: attributes(45) },
    { name: "web-tls", kty: "RSA", keyOps: ["sign", "verify"], managed: true, attributes: attributes(20) },
  ];
  const certificates: CertificateItem[] = [
    { name: "web-tls", subject: "CN=portal.contoso.com", attributes: attributes(20, { exp: inYear }) },
  ];
  return { secrets, keys, certificates };
}

/** The vault the client addressed: the first label of `<vault>.vault.azure.net`, or the seeded one. */
function vaultOf(ctx: RouteContext): { name: string; base: string } {
  const host = ctx.headers["x-forwarded-host"] ?? ctx.headers["host"] ?? "";
  const name = VAULT_HOST.exec(host.replace(/:\d+$/, ""))?.[1]?.toLowerCase();
  return { name: name ?? SECURITY_VAULT, base: addressedBase(ctx) };
}

/** Key Vault's checks of every request: api-version, the vault, the caller's access policy for `permission`. */
function check(ctx: RouteContext, permission: string): RouteResponse | undefined {
  const apiVersion = ctx.query["api-version"];
  if (!apiVersion) {
    return ctx.error(400, "BadParameter", "The 'api-version' query parameter is missing.");
  }
  if (!API_VERSIONS.includes(apiVersion)) {
    return ctx.error(
      400,
      "BadParameter",
      `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${API_VERSIONS.at(-1)}).`,
    );
  }
  const vault = vaultOf(ctx).name;
  if (vault !== SECURITY_VAULT) {
    return ctx.error(404, "VaultNotFound", `The vault '${vault}' was not found.`);
  }
  if (!hasRoleAssignment(ctx)) {
    const caller = `appid=${ctx.claims.appid ?? ctx.claims.azp};oid=${ctx.claims.oid};iss=${ctx.claims.iss}`;
    return ctx.json(403, {
      error: {
        code: "Forbidden",
        message: `The user, group or application '${caller}' does not have ${permission} permission on key vault '${vault};location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
        innererror: { code: "AccessDenied" },
      },
    });
  }
  return undefined;
}

/** `maxresults` (1-25) and `$skiptoken` paging of a list; an error response for a bad `maxresults`. */
function page<T>(ctx: RouteContext, items: T[], toJson: (item: T) => unknown): RouteResponse {
  const max = ctx.query["maxresults"] === undefined ? 25 : Number(ctx.query["maxresults"]);
  if (!Number.isInteger(max) || max < 1 || max > 25) {
    return ctx.error(
      400,
      "BadParameter",
      `Invalid value for maxresults: '${ctx.query["maxresults"]}'. It must be between 1 and 25.`,
    );
  }
  const skip = Number(ctx.query["$skiptoken"] ?? 0) || 0;
  const next =
    skip + max < items.length
      ? `${vaultOf(ctx).base}${ctx.path}?${queryString({ ...ctx.query, $skiptoken: String(skip + max) })}`
      : null;
  return ctx.json(200, { value: items.slice(skip, skip + max).map(toJson), nextLink: next });
}

function secretRoutes(secrets: Map<string, SecretVersion[]>): ServiceRoute[] {
  const base = (ctx: RouteContext) => `${vaultOf(ctx).base}/secrets`;
  const item = (ctx: RouteContext, name: string, entry: SecretVersion) => ({
    id: `${base(ctx)}/${name}`,
    ...(entry.contentType ? { contentType: entry.contentType } : {}),
    attributes: entry.attributes,
    ...(entry.tags ? { tags: entry.tags } : {}),
  });
  const bundle = (ctx: RouteContext, name: string, entry: SecretVersion) => ({
    value: entry.value,
    id: `${base(ctx)}/${name}/${entry.version}`,
    ...(entry.contentType ? { contentType: entry.contentType } : {}),
    attributes: entry.attributes,
    ...(entry.tags ? { tags: entry.tags } : {}),
  });
  const get = (ctx: RouteContext): RouteResponse => {
    const denied = check(ctx, "secrets get");
    if (denied) return denied;
    const name = ctx.params["name"]!;
    const versions = secrets.get(name);
    const entry = ctx.params["version"]
      ? versions?.find((candidate) => candidate.version === ctx.params["version"])
      : versions?.at(-1);
    if (!entry) {
      const which = ctx.params["version"] ? `${name}/${ctx.params["version"]}` : name;
      return ctx.error(
        404,
        "SecretNotFound",
        `A secret with (name/id) ${which} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
      );
    }
    return ctx.json(200, bundle(ctx, name, entry));
  };
  return [
    {
      method: "GET",
      path: "/secrets",
      handler: (ctx) =>
        check(ctx, "secrets list") ??
        page(ctx, [...secrets.entries()], ([name, versions]) => item(ctx, name, versions.at(-1)!)),
    },
    { method: "GET", path: "/secrets/:name", handler: get },
    { method: "GET", path: "/secrets/:name/:version", handler: get },
    {
      method: "PUT",
      path: "/secrets/:name",
      handler: (ctx) => {
        const denied = check(ctx, "secrets set");
        if (denied) return denied;
        const body = ctx.body as { value?: unknown; contentType?: unknown } | undefined;
        if (typeof body?.value !== "string") {
          return ctx.error(400, "BadParameter", "The request body must have a string 'value'.");
        }
        const entry: SecretVersion = {
          version: version(),
          value: body.value,
          ...(typeof body.contentType === "string" ? { contentType: body.contentType } : {}),
          attributes: attributes(0),
        };
        const name = ctx.params["name"]!;
        secrets.set(name, [...(secrets.get(name) ?? []), entry]);
        return ctx.json(200, bundle(ctx, name, entry));
      },
    },
  ];
}

function keyRoutes(keys: KeyItem[], certificates: CertificateItem[]): ServiceRoute[] {
  const keyJson = (ctx: RouteContext, key: KeyItem) => ({
    kid: `${vaultOf(ctx).base}/keys/${key.name}`,
    attributes: key.attributes,
    ...(key.managed ? { managed: true } : {}),
  });
  const certificateJson = (ctx: RouteContext, certificate: CertificateItem) => ({
    id: `${vaultOf(ctx).base}/certificates/${certificate.name}`,
    x5t: Buffer.from(certificate.name).toString("base64url"),
    attributes: certificate.attributes,
  });
  return [
    {
      method: "GET",
      path: "/keys",
      handler: (ctx) => check(ctx, "keys list") ?? page(ctx, keys, (key) => keyJson(ctx, key)),
    },
    {
      method: "GET",
      path: "/keys/:name",
      handler: (ctx) => {
        const denied = check(ctx, "keys get");
        if (denied) return denied;
        const key = keys.find((candidate) => candidate.name === ctx.params["name"]);
        if (!key) {
          return ctx.error(
            404,
            "KeyNotFound",
            `A key with (name/id) ${ctx.params["name"]} was not found in this key vault.`,
          );
        }
        const kid = `${keyJson(ctx, key).kid}/${version()}`;
        return ctx.json(200, {
          key: {
            kid,
            kty: key.kty,
            key_ops: key.keyOps,
            ...(key.kty === "RSA" ? { e: "AQAB" } : { crv: "P-256" }),
          },
          attributes: key.attributes,
          ...(key.managed ? { managed: true } : {}),
        });
      },
    },
    {
      method: "GET",
      path: "/certificates",
      handler: (ctx) =>
        check(ctx, "certificates list") ??
        page(ctx, certificates, (certificate) => certificateJson(ctx, certificate)),
    },
    {
      method: "GET",
      path: "/certificates/:name",
      handler: (ctx) => {
        const denied = check(ctx, "certificates get");
        if (denied) return denied;
        const certificate = certificates.find((candidate) => candidate.name === ctx.params["name"]);
        if (!certificate) {
          return ctx.error(
            404,
            "CertificateNotFound",
            `A certificate with (name/id) ${ctx.params["name"]} was not found in this key vault.`,
          );
        }
        const base = vaultOf(ctx).base;
        return ctx.json(200, {
          ...certificateJson(ctx, certificate),
          kid: `${base}/keys/${certificate.name}`,
          sid: `${base}/secrets/${certificate.name}`,
          policy: { x509_props: { subject: certificate.subject, validity_months: 12 } },
        });
      },
    },
  ];
}

/** The Key Vault data plane. Access is Key Vault's (access policies / Azure RBAC), not the token's roles. */
export const keyVaultService: EmulatedService = {
  key: "key-vault",
  displayName: "Azure Key Vault",
  audiences: [
    "https://vault.azure.net",
    "https://vault.usgovcloudapi.net",
    "https://vault.azure.cn",
    "https://vault.microsoftazure.de",
    "cfa8b339-82a2-471a-a3c9-0fc0be7a4093",
  ],
  hosts: VAULT_HOST,
  // A request without a token gets Key Vault's challenge (authorization="<login>/<tenant>", resource=…).
  challenge: { resource: "https://vault.azure.net" },
  demoScopes: ["user_impersonation"],
  routes: () => {
    const { secrets, keys, certificates } = seed();
    return [...secretRoutes(secrets), ...keyRoutes(keys, certificates)];
  },
};
