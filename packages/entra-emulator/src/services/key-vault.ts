import { randomBytes } from "node:crypto";
import type { RouteContext, RouteResponse } from "../types.js";
import {
  addressedBase,
  hasRoleAssignment,
  queryString,
  SECOND_VAULT,
  SECURITY_VAULT,
} from "./arm-security.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// The Key Vault data plane (learn.microsoft.com/rest/api/keyvault/secrets, …/keys, …/certificates): the seeded
// vaults `soc-vault` and `ir-vault` on <name>.vault.azure.net (and the national clouds' vault hosts), each with
// its own secrets, keys and certificates. On the emulator's own address (a Custom cloud) `soc-vault` answers
// whatever the host.

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

/** What one vault holds. */
interface VaultData {
  secrets: Map<string, SecretVersion[]>;
  keys: KeyItem[];
  certificates: CertificateItem[];
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

/** The second vault: one secret, one key, no certificate. */
function seedSecond(): VaultData {
  return {
    secrets: new Map([
      ["ir-webhook", [{ version: version(), value: "ir-webhook-token", attributes: attributes(5) }]],
    ]),
    keys: [{ name: "ir-key", kty: "RSA", keyOps: ["encrypt", "decrypt"], attributes: attributes(5) }],
    certificates: [],
  };
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
  if (vault !== SECURITY_VAULT && vault !== SECOND_VAULT) {
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

type Store = (ctx: RouteContext) => VaultData;

/** DeletedSecretBundle / DeletedKeyBundle's recovery fields (soft delete, 90 days). */
function deletion(ctx: RouteContext, kind: string, name: string) {
  const now = Math.floor(Date.now() / 1000);
  return {
    recoveryId: `${vaultOf(ctx).base}/deleted${kind}/${name}`,
    deletedDate: now,
    scheduledPurgeDate: now + 90 * 86_400,
  };
}

function secretRoutes(store: Store): ServiceRoute[] {
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
    const versions = store(ctx).secrets.get(name);
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
        page(ctx, [...store(ctx).secrets.entries()], ([name, versions]) => item(ctx, name, versions.at(-1)!)),
    },
    {
      // Delete Secret (learn.microsoft.com/rest/api/keyvault/secrets/delete-secret): a DeletedSecretBundle.
      method: "DELETE",
      path: "/secrets/:name",
      handler: (ctx) => {
        const denied = check(ctx, "secrets delete");
        if (denied) return denied;
        const name = ctx.params["name"]!;
        const { secrets } = store(ctx);
        const current = secrets.get(name)?.at(-1);
        if (!current) {
          return ctx.error(
            404,
            "SecretNotFound",
            `A secret with (name/id) ${name} was not found in this key vault.`,
          );
        }
        secrets.delete(name);
        return ctx.json(200, {
          ...deletion(ctx, "secrets", name),
          ...bundle(ctx, name, current),
          value: undefined,
        });
      },
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
        const { secrets } = store(ctx);
        secrets.set(name, [...(secrets.get(name) ?? []), entry]);
        return ctx.json(200, bundle(ctx, name, entry));
      },
    },
  ];
}

/** A key's JSON Web Key, as Get Key and Delete Key return it (an RSA modulus stand-in, or an EC curve). */
function keyBundle(ctx: RouteContext, key: KeyItem) {
  const kid = `${vaultOf(ctx).base}/keys/${key.name}/${Buffer.from(key.name).toString("hex").padEnd(32, "0")}`;
  return {
    key: {
      kid,
      kty: key.kty,
      key_ops: key.keyOps,
      ...(key.kty === "RSA"
        ? { n: Buffer.from(`modulus-of-${key.name}`).toString("base64url"), e: "AQAB" }
        : { crv: "P-256" }),
    },
    attributes: key.attributes,
    ...(key.managed ? { managed: true } : {}),
  };
}

function keyRoutes(store: Store): ServiceRoute[] {
  const keyJson = (ctx: RouteContext, key: KeyItem) => ({
    kid: `${vaultOf(ctx).base}/keys/${key.name}`,
    attributes: { ...key.attributes, recoverableDays: 90 },
    ...(key.managed ? { managed: true } : {}),
  });
  const findKey = (ctx: RouteContext): KeyItem | RouteResponse => {
    const key = store(ctx).keys.find((candidate) => candidate.name === ctx.params["name"]);
    return (
      key ??
      ctx.error(
        404,
        "KeyNotFound",
        `A key with (name/id) ${ctx.params["name"]} was not found in this key vault.`,
      )
    );
  };
  const get = (ctx: RouteContext): RouteResponse => {
    const denied = check(ctx, "keys get");
    if (denied) return denied;
    const key = findKey(ctx);
    return "status" in key ? key : ctx.json(200, keyBundle(ctx, key));
  };
  return [
    {
      method: "GET",
      path: "/keys",
      handler: (ctx) => check(ctx, "keys list") ?? page(ctx, store(ctx).keys, (key) => keyJson(ctx, key)),
    },
    { method: "GET", path: "/keys/:name", handler: get },
    { method: "GET", path: "/keys/:name/:version", handler: get },
    {
      // Delete Key (learn.microsoft.com/rest/api/keyvault/keys/delete-key): a DeletedKeyBundle.
      method: "DELETE",
      path: "/keys/:name",
      handler: (ctx) => {
        const denied = check(ctx, "keys delete");
        if (denied) return denied;
        const key = findKey(ctx);
        if ("status" in key) return key;
        const { keys } = store(ctx);
        keys.splice(keys.indexOf(key), 1);
        return ctx.json(200, { ...deletion(ctx, "keys", key.name), ...keyBundle(ctx, key) });
      },
    },
  ];
}

function certificatePolicy(ctx: RouteContext, certificate: CertificateItem) {
  return {
    id: `${vaultOf(ctx).base}/certificates/${certificate.name}/policy`,
    key_props: { exportable: true, kty: "RSA", key_size: 2048, reuse_key: false },
    secret_props: { contentType: "application/x-pkcs12" },
    x509_props: {
      subject: certificate.subject,
      sans: { dns_names: [certificate.subject.replace(/^CN=/, "")] },
      ekus: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
      key_usage: ["digitalSignature", "keyEncipherment"],
      validity_months: 12,
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "AutoRenew" } }],
    issuer: { name: "Self" },
    attributes: {
      enabled: true,
      created: certificate.attributes.created,
      updated: certificate.attributes.updated,
    },
  };
}

function certificateRoutes(store: Store): ServiceRoute[] {
  const certificateJson = (ctx: RouteContext, certificate: CertificateItem) => ({
    id: `${vaultOf(ctx).base}/certificates/${certificate.name}`,
    x5t: Buffer.from(certificate.name).toString("base64url"),
    attributes: certificate.attributes,
  });
  const find = (ctx: RouteContext, permission: string): CertificateItem | RouteResponse => {
    const denied = check(ctx, permission);
    if (denied) return denied;
    const certificate = store(ctx).certificates.find((candidate) => candidate.name === ctx.params["name"]);
    return (
      certificate ??
      ctx.error(
        404,
        "CertificateNotFound",
        `A certificate with (name/id) ${ctx.params["name"]} was not found in this key vault.`,
      )
    );
  };
  const get = (ctx: RouteContext): RouteResponse => {
    const certificate = find(ctx, "certificates get");
    if ("status" in certificate) return certificate;
    const base = vaultOf(ctx).base;
    return ctx.json(200, {
      ...certificateJson(ctx, certificate),
      kid: `${base}/keys/${certificate.name}`,
      sid: `${base}/secrets/${certificate.name}`,
      cer: Buffer.from(`DER certificate of ${certificate.subject}`).toString("base64"),
      policy: certificatePolicy(ctx, certificate),
    });
  };
  return [
    {
      method: "GET",
      path: "/certificates",
      handler: (ctx) =>
        check(ctx, "certificates list") ??
        page(ctx, store(ctx).certificates, (certificate) => certificateJson(ctx, certificate)),
    },
    {
      // Get Certificate Policy (learn.microsoft.com/rest/api/keyvault/certificates/get-certificate-policy).
      method: "GET",
      path: "/certificates/:name/policy",
      handler: (ctx) => {
        const certificate = find(ctx, "certificates get");
        return "status" in certificate ? certificate : ctx.json(200, certificatePolicy(ctx, certificate));
      },
    },
    { method: "GET", path: "/certificates/:name", handler: get },
    { method: "GET", path: "/certificates/:name/:version", handler: get },
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
    const vaults = new Map<string, VaultData>([
      [SECURITY_VAULT, seed()],
      [SECOND_VAULT, seedSecond()],
    ]);
    // check() has answered 404 for another vault before a handler reads its store.
    const store: Store = (ctx) => vaults.get(vaultOf(ctx).name) ?? vaults.get(SECURITY_VAULT)!;
    return [...secretRoutes(store), ...keyRoutes(store), ...certificateRoutes(store)];
  },
};
