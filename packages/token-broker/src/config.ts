import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import {
  brandErrorClass,
  type CertificateCredential,
  type CloudEndpoints,
  getCloud,
  MsintError,
  ParameterError,
  parseCertificateCredential,
  resolveCloudId,
  validateEndpointUrl,
} from "@msint/auth-core/internal";

/** Which kind of consent an app asks for, and so which token the customer receives. */
export type PermissionKind = "application" | "delegated";

/** One app as written in the configuration file. Secrets are `env:VARIABLE` or `file:PATH` references. */
export interface BrokerAppConfigInput {
  /** Shown on the pages; defaults to the app name. */
  displayName?: string;
  /** Application (client) ID of the vendor's multi-tenant app registration. */
  clientId: string;
  /** `env:VAR` or `file:PATH` holding the client secret. Either this or `certificate`. */
  clientSecret?: string;
  /** Certificate credential: `privateKey` is `env:VAR` or `file:PATH`; `certificate` (PEM) or `thumbprint`. */
  certificate?: { privateKey: string; certificate?: string; thumbprint?: string };
  /** `application`: admin consent, Token = tenant ID. `delegated`: user sign-in, Token = refresh token. */
  permissions: PermissionKind;
  /**
   * Scopes used when the client names none. Application: one `<resource>/.default` (default: Microsoft Graph's).
   * Delegated: the delegated scopes to sign in with (required); `offline_access` is added.
   */
  scopes?: string[];
  /** Requests per minute per registration of this app (default: the broker's `rateLimit.perMinute`). */
  rateLimitPerMinute?: number;
}

/** The configuration file of the broker (JSON). */
export interface BrokerConfigInput {
  /**
   * The URL customers reach the broker at, e.g. `https://broker.example.com` (its reverse proxy). The redirect
   * URI registered on every app is `<publicUrl>/callback`. Defaults to `http://<host>:<port>` when the broker
   * listens on loopback; required otherwise.
   */
  publicUrl?: string;
  /** Azure cloud of the apps: Worldwide (default), US GCC, US GCC-High, DoD, China. */
  cloud?: string;
  /** Login host overriding the cloud's (e.g. a local emulator). */
  loginHost?: string;
  /** Tenant segment of the authorize and admin-consent URLs: `organizations` (default) or `common`. */
  tenant?: string;
  /** Where the database lives; relative paths are relative to the configuration file. */
  dataDir?: string;
  rateLimit?: { perMinute?: number };
  /** Reach Microsoft through HTTPS_PROXY / HTTP_PROXY (honouring NO_PROXY); default false. */
  proxy?: boolean;
  /**
   * The reverse proxy in front of the broker, whose header names the client's address (for the failure limits and
   * the log). Off by default: without it the client is the TCP peer and no forwarded header is read.
   */
  trustedProxy?: TrustedProxyInput;
  /** App name (as integrations send it, e.g. `ms-graph-user`) → its multi-tenant app. */
  apps: Record<string, BrokerAppConfigInput>;
}

/** The `trustedProxy` setting as written: which header the proxy sets, and how many proxies append to it. */
export interface TrustedProxyInput {
  /** A header holding a comma-separated list of addresses, each proxy appending its peer: `x-forwarded-for`. */
  header: string;
  /** How many trusted proxies stand in front of the broker (the client is that many entries from the right). */
  hops?: number;
}

/** The validated `trustedProxy`. */
export interface TrustedProxy {
  /** Lower-case header name. */
  header: string;
  hops: number;
}

/** How the broker proves the identity of an app to Microsoft Entra ID. */
export type AppCredential =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; certificate: CertificateCredential };

/** One app, validated, with its secrets resolved. */
export interface BrokerApp {
  name: string;
  displayName: string;
  clientId: string;
  credential: AppCredential;
  permissions: PermissionKind;
  scopes: string[];
  rateLimitPerMinute: number;
}

/** The validated configuration. */
export interface BrokerConfig {
  publicUrl?: string;
  cloud: CloudEndpoints;
  loginHost: string;
  tenant: string;
  dataDir?: string;
  rateLimitPerMinute: number;
  proxy: boolean;
  /** Undefined: the client address is the TCP peer. */
  trustedProxy?: TrustedProxy;
  apps: ReadonlyMap<string, BrokerApp>;
}

/** A configuration problem; `field` is its path in the file, e.g. `apps.ms-graph-user.clientSecret`. */
export class BrokerConfigError extends MsintError {
  readonly field: string;

  static {
    brandErrorClass(BrokerConfigError, "BrokerConfigError");
  }

  constructor(field: string, message: string) {
    super(`Broker configuration: ${field} ${message}`, { code: "broker_config", exitCode: 1 });
    this.name = "BrokerConfigError";
    this.field = field;
  }
}

/** App names appear in URLs: lower-case words joined by hyphens, and not a path of the broker itself. */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const RESERVED_NAMES = new Set(["callback", "obtain-token", "healthz", "start"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_RATE_LIMIT = 30;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new BrokerConfigError(`${field}.${key}`.replace(/^\./, ""), "must be a non-empty string.");
  }
  return value.trim();
}

function positiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new BrokerConfigError(
      field,
      `must be a whole number from 1 to 100000, not ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Where references are resolved: the environment and the configuration file's folder. */
export interface ResolveContext {
  env: Record<string, string | undefined>;
  baseDir: string;
}

/**
 * Resolves a secret reference: `env:VARIABLE` or `file:PATH` (relative to the configuration file). A literal
 * value is refused so that secrets stay out of configuration files and their backups.
 */
function resolveSecret(reference: unknown, field: string, context: ResolveContext): string {
  if (typeof reference !== "string" || reference.trim() === "") {
    throw new BrokerConfigError(field, "must be env:VARIABLE or file:PATH.");
  }
  return resolveReference(reference.trim(), field, context, true);
}

function resolveReference(value: string, field: string, context: ResolveContext, secret: boolean): string {
  if (value.startsWith("env:")) {
    const name = value.slice(4).trim();
    const resolved = Object.hasOwn(context.env, name) ? context.env[name] : undefined;
    if (!name) throw new BrokerConfigError(field, "names no environment variable after env:.");
    if (resolved === undefined || resolved.trim() === "") {
      throw new BrokerConfigError(field, `refers to the environment variable ${name}, which is not set.`);
    }
    return resolved.trim();
  }
  if (value.startsWith("file:")) {
    const path = value.slice(5).trim();
    const full = isAbsolute(path) ? path : resolve(context.baseDir, path);
    try {
      const text = readFileSync(full, "utf8").trim();
      if (text === "") throw new BrokerConfigError(field, `refers to ${full}, which is empty.`);
      return text;
    } catch (error) {
      if (BrokerConfigError.isInstance(error)) throw error;
      throw new BrokerConfigError(field, `refers to ${full}, which cannot be read.`);
    }
  }
  if (secret) {
    throw new BrokerConfigError(
      field,
      "must be a reference, env:VARIABLE or file:PATH, so the secret stays out of the configuration file.",
    );
  }
  return value;
}

function parseCredential(
  app: Record<string, unknown>,
  field: string,
  context: ResolveContext,
): AppCredential {
  const hasSecret = app["clientSecret"] !== undefined;
  const hasCertificate = app["certificate"] !== undefined;
  if (hasSecret === hasCertificate) {
    throw new BrokerConfigError(
      `${field}.clientSecret`,
      "or certificate must be set (exactly one of them): the credential of the multi-tenant app.",
    );
  }
  if (hasSecret) {
    return {
      kind: "secret",
      clientSecret: resolveSecret(app["clientSecret"], `${field}.clientSecret`, context),
    };
  }
  const certificate = app["certificate"];
  if (!isRecord(certificate)) {
    throw new BrokerConfigError(
      `${field}.certificate`,
      "must be an object { privateKey, certificate | thumbprint }.",
    );
  }
  const privateKey = resolveSecret(certificate["privateKey"], `${field}.certificate.privateKey`, context);
  const pem = optionalString(certificate, "certificate", `${field}.certificate`);
  const thumbprint = optionalString(certificate, "thumbprint", `${field}.certificate`);
  try {
    return {
      kind: "certificate",
      certificate: parseCertificateCredential({
        privateKey,
        certificate:
          pem === undefined
            ? undefined
            : resolveReference(pem, `${field}.certificate.certificate`, context, false),
        thumbprint,
      }),
    };
  } catch (error) {
    if (ParameterError.isInstance(error)) {
      const key =
        error.parameter === "Private Key"
          ? "privateKey"
          : error.parameter === "Certificate"
            ? "certificate"
            : "thumbprint";
      // The auth-core message names the instance parameter; keep its explanation, name the config field.
      throw new BrokerConfigError(`${field}.certificate.${key}`, `is not usable: ${error.message}`);
    }
    throw error;
  }
}

function parseScopes(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((scope) => typeof scope !== "string" || !scope.trim())
  ) {
    throw new BrokerConfigError(field, "must be a non-empty list of scope strings.");
  }
  return [...new Set(value.map((scope: string) => scope.trim()))];
}

function parseApp(
  name: string,
  value: unknown,
  cloud: CloudEndpoints,
  defaultRate: number,
  context: ResolveContext,
): BrokerApp {
  const field = `apps.${name}`;
  if (!APP_NAME.test(name) || RESERVED_NAMES.has(name)) {
    throw new BrokerConfigError(
      field,
      "is not a valid app name: use lower-case letters, digits and hyphens (as integrations send it, e.g. ms-graph-user), and none of callback, obtain-token, healthz, start.",
    );
  }
  if (!isRecord(value)) throw new BrokerConfigError(field, "must be an object.");
  const known = new Set([
    "displayName",
    "clientId",
    "clientSecret",
    "certificate",
    "permissions",
    "scopes",
    "rateLimitPerMinute",
  ]);
  for (const key of Object.keys(value)) {
    if (!known.has(key))
      throw new BrokerConfigError(
        `${field}.${key}`,
        `is not a known setting (known: ${[...known].join(", ")}).`,
      );
  }
  const clientId = optionalString(value, "clientId", field);
  if (!clientId || !GUID.test(clientId)) {
    throw new BrokerConfigError(
      `${field}.clientId`,
      "must be the Application (client) ID of the multi-tenant app registration (a GUID).",
    );
  }
  const permissions = value["permissions"];
  if (permissions !== "application" && permissions !== "delegated") {
    throw new BrokerConfigError(
      `${field}.permissions`,
      'must be "application" (admin consent, the Token is the tenant ID) or "delegated" (user sign-in, the Token is a refresh token).',
    );
  }
  let scopes = parseScopes(value["scopes"], `${field}.scopes`);
  if (permissions === "application") {
    scopes ??= [`${cloud.graph}/.default`];
    if (scopes.length !== 1 || !/\/\.default$/i.test(scopes[0]!)) {
      throw new BrokerConfigError(
        `${field}.scopes`,
        "of an application-permission app must be one <resource>/.default scope, e.g. https://graph.microsoft.com/.default.",
      );
    }
  } else {
    if (!scopes) {
      throw new BrokerConfigError(
        `${field}.scopes`,
        'must list the delegated scopes users sign in with, e.g. ["https://graph.microsoft.com/User.Read.All"].',
      );
    }
    scopes = scopes.filter((scope) => scope.toLowerCase() !== "offline_access");
  }
  return {
    name,
    displayName: optionalString(value, "displayName", field) ?? name,
    clientId,
    credential: parseCredential(value, field, context),
    permissions,
    scopes,
    rateLimitPerMinute:
      positiveInteger(value["rateLimitPerMinute"], `${field}.rateLimitPerMinute`) ?? defaultRate,
  };
}

/** The top-level settings of a configuration file. */
const KNOWN_SETTINGS = new Set([
  "publicUrl",
  "cloud",
  "loginHost",
  "tenant",
  "dataDir",
  "rateLimit",
  "proxy",
  "trustedProxy",
  "apps",
  "$schema",
]);

/** Refuses a top-level setting the broker does not know (a typo would otherwise be ignored). */
function refuseUnknownSettings(input: Record<string, unknown>): void {
  for (const key of Object.keys(input)) {
    if (!KNOWN_SETTINGS.has(key))
      throw new BrokerConfigError(
        key,
        `is not a known setting (known: ${[...KNOWN_SETTINGS].filter((k) => k !== "$schema").join(", ")}).`,
      );
  }
}

/** `cloud` and `loginHost`: the cloud's endpoints, and the login host (the cloud's unless set). */
function parseCloud(input: Record<string, unknown>): { cloud: CloudEndpoints; loginHost: string } {
  const cloudName = optionalString(input, "cloud", "") ?? "Worldwide";
  const loginHostInput = optionalString(input, "loginHost", "");
  let cloud: CloudEndpoints;
  try {
    if (resolveCloudId(cloudName) === "custom" && !loginHostInput) {
      throw new BrokerConfigError("loginHost", "must be set when cloud is Custom.");
    }
    cloud = getCloud(cloudName, { loginHost: loginHostInput });
  } catch (error) {
    if (BrokerConfigError.isInstance(error)) throw error;
    throw new BrokerConfigError("cloud", `is not usable: ${(error as Error).message}`);
  }
  return { cloud, loginHost: loginHostInput ? endpointUrl(loginHostInput, "loginHost") : cloud.loginHost };
}

/** A validated endpoint URL setting. */
function endpointUrl(value: string, field: string): string {
  try {
    return validateEndpointUrl(value, field);
  } catch (error) {
    throw new BrokerConfigError(field, `is not usable: ${(error as Error).message}`);
  }
}

/** `rateLimit.perMinute`, else the default. */
function parseRateLimit(input: Record<string, unknown>): number {
  const rateLimit = input["rateLimit"];
  if (rateLimit !== undefined && !isRecord(rateLimit)) {
    throw new BrokerConfigError("rateLimit", "must be an object { perMinute }.");
  }
  return positiveInteger(rateLimit?.["perMinute"], "rateLimit.perMinute") ?? DEFAULT_RATE_LIMIT;
}

/** `apps`: at least one, each validated with its secret resolved. */
function parseApps(
  input: Record<string, unknown>,
  cloud: CloudEndpoints,
  rateLimitPerMinute: number,
  context: ResolveContext,
): Map<string, BrokerApp> {
  const appsInput = input["apps"];
  if (!isRecord(appsInput) || Object.keys(appsInput).length === 0) {
    throw new BrokerConfigError(
      "apps",
      "must map at least one app name (e.g. ms-graph-user) to its multi-tenant app.",
    );
  }
  const apps = new Map<string, BrokerApp>();
  for (const [name, value] of Object.entries(appsInput)) {
    apps.set(name, parseApp(name, value, cloud, rateLimitPerMinute, context));
  }
  return apps;
}

/**
 * Validates a configuration object and resolves its secret references. Every problem is a
 * {@link BrokerConfigError} naming the field.
 */
export function parseBrokerConfig(input: unknown, context: ResolveContext): BrokerConfig {
  if (!isRecord(input)) throw new BrokerConfigError("(root)", "must be a JSON object with an apps member.");
  refuseUnknownSettings(input);
  const { cloud, loginHost } = parseCloud(input);
  const publicUrlInput = optionalString(input, "publicUrl", "");
  const publicUrl = publicUrlInput ? endpointUrl(publicUrlInput, "publicUrl") : undefined;
  const tenant = optionalString(input, "tenant", "") ?? "organizations";
  if (!/^[A-Za-z0-9.-]+$/.test(tenant)) {
    throw new BrokerConfigError("tenant", "must be organizations, common, or a tenant ID or domain.");
  }
  const rateLimitPerMinute = parseRateLimit(input);
  const apps = parseApps(input, cloud, rateLimitPerMinute, context);
  const proxy = input["proxy"] ?? false;
  if (typeof proxy !== "boolean") throw new BrokerConfigError("proxy", "must be true or false.");
  const dataDirInput = optionalString(input, "dataDir", "");
  const config: BrokerConfig = { cloud, loginHost, tenant, rateLimitPerMinute, proxy, apps };
  if (publicUrl) config.publicUrl = publicUrl;
  if (dataDirInput) config.dataDir = resolve(context.baseDir, dataDirInput);
  const trustedProxy = parseTrustedProxy(input["trustedProxy"]);
  if (trustedProxy) config.trustedProxy = trustedProxy;
  return config;
}

/** Headers that never carry a client address a proxy appended. */
const NOT_ADDRESS_HEADERS = new Set(["host", "cookie", "authorization", "content-type", "content-length"]);

function parseTrustedProxy(value: unknown): TrustedProxy | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const example = 'e.g. { "header": "x-forwarded-for", "hops": 1 }';
  if (!isRecord(value)) {
    throw new BrokerConfigError("trustedProxy", `must be an object { header, hops }, ${example}.`);
  }
  for (const key of Object.keys(value)) {
    if (key !== "header" && key !== "hops") {
      throw new BrokerConfigError(`trustedProxy.${key}`, "is not a known setting (known: header, hops).");
    }
  }
  const header = value["header"];
  if (typeof header !== "string" || !/^[A-Za-z0-9-]{1,64}$/.test(header.trim())) {
    throw new BrokerConfigError(
      "trustedProxy.header",
      `must be the name of the header your proxy sets to the client address, ${example}.`,
    );
  }
  const name = header.trim().toLowerCase();
  if (NOT_ADDRESS_HEADERS.has(name)) {
    throw new BrokerConfigError(
      "trustedProxy.header",
      `cannot be ${name}: it does not carry the client address.`,
    );
  }
  const hops = value["hops"] ?? 1;
  if (typeof hops !== "number" || !Number.isInteger(hops) || hops < 1 || hops > 10) {
    throw new BrokerConfigError(
      "trustedProxy.hops",
      `must be the number of trusted proxies in front of the broker, a whole number from 1 to 10, not ${JSON.stringify(hops)}.`,
    );
  }
  return { header: name, hops };
}

/**
 * Reads and validates a JSON configuration file; `env:` references are read from `env`, `file:` references and
 * `dataDir` are relative to the file.
 */
export function loadBrokerConfigFile(
  path: string,
  env: Record<string, string | undefined> = process.env,
): BrokerConfig {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch {
    throw new BrokerConfigError("file", `${full} cannot be read.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BrokerConfigError("file", `${full} is not valid JSON: ${(error as Error).message}`);
  }
  return parseBrokerConfig(json, { env, baseDir: dirname(full) });
}
