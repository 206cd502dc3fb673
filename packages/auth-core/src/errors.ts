import { formatCommand } from "./command-names.js";
import { ownEntry } from "./own.js";
import { getRedactor, type Redactor } from "./redact.js";
import { SERVER_TEXT_SHOWN_CHARS, truncateServerText } from "./text-safety.js";

/** Options shared by every error of the package. */
export interface MsintErrorOptions {
  /** Stable, machine-readable code (e.g. `AADSTS7000215`, `invalid_parameter`, `timeout`). */
  code?: string;
  /** What the user should do about it, one or two sentences. */
  hint?: string;
  /** Process exit code the CLI uses: 1 for failures, 2 is reserved for usage errors. */
  exitCode?: 1 | 2;
  cause?: unknown;
}

/**
 * Where a class keeps its brand: `Symbol.for("msint.error")` on {@link MsintError}, `Symbol.for("msint.error.<Kind>")`
 * on a subclass. The brand is set on the class's prototype, so every instance carries it. `Symbol.for` keys are
 * shared by the whole process: an error made by one installed copy of msint is recognised by another.
 */
const BRAND_KEY = Symbol.for("msint.error.brand");

/** The brand of {@link MsintError}: every msint error carries it. */
export const MSINT_ERROR_BRAND: unique symbol = Symbol.for("msint.error");

/**
 * Marks an error class so that `Kind.isInstance(value)` recognises its instances from any copy of msint: its
 * prototype gets `Symbol.for("msint.error.<kind>")`. Call it once per class, in a `static {}` block.
 */
export function brandErrorClass(cls: abstract new (...args: never[]) => MsintError, kind: string): void {
  const brand = Symbol.for(`msint.error.${kind}`);
  Object.defineProperty(cls, BRAND_KEY, { value: brand });
  Object.defineProperty(cls.prototype, brand, { value: true });
}

/** Whether `value` carries the brand of `cls`; `instanceof` for a class without a brand of its own. */
function hasBrandOf(cls: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  const brand = Object.hasOwn(cls, BRAND_KEY)
    ? (cls as unknown as Record<symbol, symbol>)[BRAND_KEY]
    : undefined;
  if (brand === undefined) return value instanceof cls;
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * Base class of every error msint throws on purpose. The message is safe to show.
 *
 * Check for it (and for its subclasses) with `MsintError.isInstance(error)` / `ParameterError.isInstance(error)`
 * rather than `instanceof`: two installed copies of a package have two classes, and `instanceof` sees only one.
 */
export class MsintError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: 1 | 2;

  static {
    Object.defineProperty(MsintError, BRAND_KEY, { value: MSINT_ERROR_BRAND });
    Object.defineProperty(MsintError.prototype, MSINT_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `value` is an error of this class (or of a subclass), made by this copy of msint or by another
   * installed next to it. A subclass that was not branded ({@link brandErrorClass}) falls back to `instanceof`.
   */
  static isInstance<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance is called on, a subclass included.
    return hasBrandOf(this, value);
  }

  constructor(message: string, options: MsintErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MsintError";
    this.code = options.code ?? "msint_error";
    if (options.hint !== undefined) this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * An instance parameter is missing or malformed. `parameter` is its display name as the user sees it in the
 * instance configuration ("Azure Cloud", "Server URL"…). A bad configuration is a failure (exit code 1), not a
 * usage error.
 */
export class ParameterError extends MsintError {
  readonly parameter: string;

  static {
    brandErrorClass(ParameterError, "ParameterError");
  }

  constructor(message: string, parameter: string, options: MsintErrorOptions = {}) {
    super(message, { code: "invalid_parameter", ...options });
    this.name = "ParameterError";
    this.parameter = parameter;
  }
}

/** Details of a failed sign-in, as far as the token endpoint revealed them. */
export interface AuthenticationErrorDetails extends MsintErrorOptions {
  status?: number;
  /** OAuth `error` string, e.g. `invalid_client`. */
  error?: string;
  /** Every AADSTS code of the response (`error_codes`, or the one in the description). */
  aadsts?: number[];
  /** The server's description without its code prefix and trace lines. */
  description?: string;
  traceId?: string;
  correlationId?: string;
}

/** Microsoft Entra ID (or the broker, or the managed identity endpoint) refused to issue a token. */
export class AuthenticationError extends MsintError {
  readonly status?: number;
  readonly error?: string;
  readonly aadsts?: number[];
  readonly description?: string;
  readonly traceId?: string;
  readonly correlationId?: string;

  static {
    brandErrorClass(AuthenticationError, "AuthenticationError");
  }

  constructor(message: string, details: AuthenticationErrorDetails = {}) {
    const { status, error, aadsts, description, traceId, correlationId, ...options } = details;
    super(message, { code: "authentication_failed", ...options });
    this.name = "AuthenticationError";
    if (status !== undefined) this.status = status;
    if (error !== undefined) this.error = error;
    if (aadsts !== undefined) this.aadsts = aadsts;
    if (description !== undefined) this.description = description;
    if (traceId !== undefined) this.traceId = traceId;
    if (correlationId !== undefined) this.correlationId = correlationId;
  }
}

/** Why a request never produced a usable HTTP response. */
export type TransportErrorKind =
  | "timeout"
  | "deadline"
  | "connection_refused"
  | "connection_reset"
  | "dns"
  | "tls"
  | "proxy"
  | "network"
  | "aborted"
  | "throttled"
  | "retries_exhausted"
  | "too_large";

/** Details of a transport failure; never contains request bodies or credentials. */
export interface TransportErrorDetails extends MsintErrorOptions {
  /** Host (and port when not the default) of the target. */
  host?: string;
  /** How many attempts were made. */
  attempts?: number;
  /** Last HTTP status, for `throttled` and `retries_exhausted`. */
  status?: number;
}

/** The network failed: timeout, refused or reset connection, DNS, TLS, proxy, or retries ran out. */
export class TransportError extends MsintError {
  readonly kind: TransportErrorKind;
  readonly host?: string;
  readonly attempts?: number;
  readonly status?: number;

  static {
    brandErrorClass(TransportError, "TransportError");
  }

  constructor(message: string, kind: TransportErrorKind, details: TransportErrorDetails = {}) {
    const { host, attempts, status, ...options } = details;
    super(message, { code: kind, ...options });
    this.name = "TransportError";
    this.kind = kind;
    if (host !== undefined) this.host = host;
    if (attempts !== undefined) this.attempts = attempts;
    if (status !== undefined) this.status = status;
  }
}

/** Details of an error response of a resource API (Graph, ARM, Defender…). */
export interface ApiErrorDetails extends MsintErrorOptions {
  /** HTTP status; absent when the request was refused before it was sent. */
  status?: number;
  /** The service's own message, without the code prefix. */
  apiMessage?: string;
  /** `request-id` of Graph, `x-ms-request-id` and the like, to quote to Microsoft support. */
  requestId?: string;
  /** The `x-ms-client-request-id` msint sent with the request (a UUID of ours, safe to print). */
  clientRequestId?: string;
}

/** A resource API answered with an error. `code` is the service's error code (e.g. `Authorization_RequestDenied`). */
export class ApiError extends MsintError {
  readonly status?: number;
  readonly apiMessage?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;

  static {
    brandErrorClass(ApiError, "ApiError");
  }

  constructor(message: string, details: ApiErrorDetails = {}) {
    const { status, apiMessage, requestId, clientRequestId, ...options } = details;
    super(message, { code: status === undefined ? "api_error" : `http_${status}`, ...options });
    this.name = "ApiError";
    if (status !== undefined) this.status = status;
    if (apiMessage !== undefined) this.apiMessage = apiMessage;
    if (requestId !== undefined) this.requestId = requestId;
    if (clientRequestId !== undefined) this.clientRequestId = clientRequestId;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AADSTS descriptions

/** An Entra `error_description` split into its AADSTS code and the human part. */
export interface CleanDescription {
  /** The number of a leading `AADSTSnnnn:` prefix, when there was one. */
  code?: number;
  /** The description without prefix and without the Trace ID / Correlation ID / Timestamp tail. */
  description: string;
}

const AADSTS_PREFIX = /^\s*AADSTS(\d+)\s*:\s*/i;
const TRACE_TAIL = /(?:\r?\n|\s)*\b(?:Trace ID|Correlation ID|Timestamp)\s*:/i;

/**
 * Splits an Entra `error_description` into its code and a one-line description: the `AADSTSnnnn: ` prefix
 * goes into `code`, everything from the first Trace ID / Correlation ID / Timestamp line is cut, and line
 * breaks inside the rest become spaces. Never throws; non-strings give an empty description.
 */
export function cleanAadstsDescription(desc: unknown): CleanDescription {
  if (typeof desc !== "string") return { description: "" };
  let text = desc;
  let code: number | undefined;
  const prefix = AADSTS_PREFIX.exec(text);
  if (prefix) {
    code = Number(prefix[1]);
    text = text.slice(prefix[0].length);
  }
  const tail = TRACE_TAIL.exec(text);
  if (tail) text = text.slice(0, tail.index);
  // A description is the server's text: shown up to SERVER_TEXT_SHOWN_CHARS, the rest cut and counted.
  text = truncateServerText(text.replace(/\s+/g, " ").trim(), SERVER_TEXT_SHOWN_CHARS);
  return code === undefined || !Number.isSafeInteger(code)
    ? { description: text }
    : { code, description: text };
}

// ---------------------------------------------------------------------------------------------------------------
// Entra token endpoint errors

/** Options of the error translators. */
export interface TranslateOptions {
  /** Command prefix of the integration (e.g. `msgraph-user`), to name its auth commands in fixes. */
  commandPrefix?: string | undefined;
  /** Redactor for the final message; defaults to the process-wide one. */
  redactor?: Redactor | undefined;
  /** Response headers (lower-case keys), e.g. for `Retry-After`. */
  headers?: Record<string, string> | undefined;
  /**
   * The `x-ms-client-request-id` of the failed request: the message then ends with the request IDs to quote to
   * Microsoft support (ours, and the service's `request-id` / `x-ms-request-id` when it sent one).
   */
  clientRequestId?: string | undefined;
}

/** Codes XSOAR treats as "the stored grant is gone: reset and authenticate again". Kept for compatibility. */
export const TOKEN_EXPIRED_AADSTS_CODES: ReadonlySet<number> = new Set([
  50173, 700082, 70008, 54005, 7000222,
]);

type Fix = (command: (name: string) => string) => string;

// Fixes are written for the SOC engineer who configures the instance: they name instance parameters by their
// display names and Entra portal pages by the labels shown there.
const AADSTS_FIXES: Readonly<Record<number, Fix>> = {
  7000215: () =>
    "The Client Secret parameter holds a wrong value: paste the secret's Value (not its Secret ID) from Certificates & secrets of the app registration.",
  7000222: () =>
    "The client secret has expired: create a new one under Certificates & secrets of the app registration and paste its Value into Client Secret (or move to a certificate).",
  700016: () =>
    "No application with this App/Client ID exists in the tenant: compare App/Client ID and Tenant ID with the app registration's Overview page and check that Azure Cloud is the tenant's cloud. A multi-tenant application must first be consented in this tenant.",
  700027: () =>
    "Entra ID does not know the certificate that signed the request: upload the certificate under Certificates & secrets of the app registration, and make sure Certificate Thumbprint and Private Key belong to that same certificate.",
  65001: (cmd) =>
    `Nobody has consented to the permissions this integration requests: grant admin consent under API permissions of the app registration (or sign in with a user allowed to consent), then run ${cmd("auth-reset")}.`,
  50076: (cmd) =>
    `A Conditional Access policy requires multi-factor authentication: sign in again interactively (${cmd("auth-start")} for Device Code, ${cmd("generate-login-url")} for Authorization Code), or ask an administrator to adjust the policy for this application.`,
  50079: () =>
    "The user has to register for multi-factor authentication first: sign in once at https://aka.ms/mfasetup with that user, then authenticate again.",
  70008: () =>
    "The authorization code or refresh token has expired or was revoked: authenticate again (authorization codes are valid for about 10 minutes).",
  700082: () =>
    "The refresh token expired after a long period without use (90 days by default): authenticate again.",
  50173: () =>
    "The stored grant was revoked, for example after a password change or an administrator's revocation: authenticate again.",
  54005: (cmd) =>
    `This authorization code was already used; each code works once: run ${cmd("generate-login-url")}, sign in, and put the new code into the Authorization code parameter.`,
  70043: () =>
    "The refresh token expired because of a Conditional Access sign-in frequency policy: authenticate again.",
  50011: () =>
    "The redirect URI does not match one registered for the application: add the exact value of Application redirect URI under Authentication of the app registration (scheme, host, path and trailing slash must all match).",
  90002: () =>
    "The tenant was not found: check Tenant ID, and that Azure Cloud is the cloud the tenant lives in (a US Government tenant needs US GCC-High or DoD).",
  90038: () =>
    "The tenant lives in another national cloud: set Azure Cloud (or Azure AD endpoint for Custom) to the tenant's cloud.",
  900432: () =>
    "Confidential applications cannot sign in across clouds: set Azure Cloud to the cloud where the app registration lives.",
  70011: () =>
    "The requested scope is not valid: for Client Credentials request exactly one <resource>/.default scope; for user flows check the delegated permission names.",
  700022: () =>
    "The request asks for scopes of more than one API: a token can only be issued for one resource, so request the scopes of one API (for Client Credentials a single <resource>/.default).",
  901002: () =>
    "The v2.0 token endpoint does not take a resource parameter: request a scope such as https://graph.microsoft.com/.default instead.",
  500011: () =>
    "The API this integration calls is not present in the tenant: check that Azure Cloud (or Server URL) points to the right service and that the service is licensed and enabled in the tenant; granting admin consent also adds it.",
  7000218: () =>
    "The request carried neither a client secret nor a certificate: fill in Client Secret (or Certificate Thumbprint and Private Key). For the Device Code flow, turn on Allow public client flows under Authentication of the app registration.",
  700025: () =>
    "The application is registered as a public client, which must not send a secret: clear Client Secret for the Device Code flow, or turn off Allow public client flows if the application is meant to be confidential.",
  53003: () =>
    "A Conditional Access policy blocked the sign-in: an Entra ID administrator must change the policy or exclude this application or user (the Sign-in logs name the policy).",
  50196: () =>
    "Entra ID saw a loop of identical requests: wait a few minutes, and check that several instances or playbooks are not requesting tokens with the same application in a tight loop.",
  9001023: () =>
    "This grant is not supported on the /common or /consumers endpoint: set Tenant ID to your tenant's ID or domain.",
  90130: () =>
    "This application is not supported on the /common or /consumers endpoint: set Tenant ID to your tenant's ID or domain.",
  50012: () =>
    "The client assertion was rejected (wrong audience, bad signature, or a policy requiring subject name and issuer authentication): check that Private Key matches Certificate Thumbprint and that Azure Cloud is the tenant's cloud.",
  500133: () =>
    "The client assertion is outside its validity period: check that this machine's clock is correct (NTP), then try again.",
  50032: () =>
    "The certificate's RSA key is shorter than 2048 bits: create a certificate with a 2048-bit (or longer) key and upload it to the app registration.",
  50048: () =>
    "The client assertion's subject does not match its issuer: use the App/Client ID of the app registration the certificate belongs to.",
  70000: (cmd) =>
    `The grant is not valid (for example a code issued to another application or redirect URI, or one that was already used): run ${cmd("auth-reset")} and authenticate again.`,
  70016: (cmd) =>
    `The user has not finished signing in yet: open the verification URL, enter the code shown by ${cmd("auth-start")}, then run ${cmd("auth-complete")} again.`,
  70019: (cmd) =>
    `The device code expired before sign-in was completed (codes last 15 minutes): run ${cmd("auth-start")} again and finish signing in in time.`,
  7000112: () =>
    "The application is disabled: an administrator must enable it under Enterprise applications > Properties (Enabled for users to sign-in).",
  50034: () =>
    "This user does not exist in the tenant: sign in with a user of the tenant given in Tenant ID (or invite the user as a guest).",
  50126: () => "The user name or password is wrong: check the credentials and sign in again.",
  70018: (cmd) => `The device code was not recognised: run ${cmd("auth-start")} again and use the new code.`,
};

// Used when a response has no AADSTS code (other identity providers, the broker, the emulator).
const OAUTH_ERROR_FIXES: Readonly<Record<string, Fix>> = {
  invalid_client: () =>
    "The client credentials were rejected: check App/Client ID and Client Secret (or Certificate Thumbprint and Private Key).",
  unauthorized_client: () =>
    "The application may not use this flow: check App/Client ID and the app registration's Authentication settings.",
  invalid_grant: (cmd) =>
    `The stored grant is no longer valid: run ${cmd("auth-reset")} and authenticate again.`,
  invalid_scope: () =>
    "The requested scope is not valid: check the scopes and permissions of the integration.",
  invalid_request: () =>
    "The token request was malformed: check Tenant ID, App/Client ID and the authentication type of the instance.",
  authorization_pending: AADSTS_FIXES[70016]!,
  slow_down: (cmd) =>
    `Sign-in is being polled too often: wait a few seconds, then run ${cmd("auth-complete")}.`,
  expired_token: AADSTS_FIXES[70019]!,
  authorization_declined: (cmd) =>
    `The user declined the sign-in request: run ${cmd("auth-start")} again and approve it.`,
  bad_verification_code: AADSTS_FIXES[70018]!,
  access_denied: () =>
    "The sign-in was denied: the user or an administrator must approve the requested permissions.",
  consent_required: AADSTS_FIXES[65001]!,
  interaction_required: AADSTS_FIXES[50076]!,
  temporarily_unavailable: () => "Microsoft Entra ID is temporarily unavailable: try again in a few minutes.",
  server_error: () => "Microsoft Entra ID had an internal error: try again in a few minutes.",
};

const GENERIC_FIX: Fix = () =>
  "Check App/Client ID, Tenant ID, the credential parameters and Azure Cloud of the instance against the app registration.";

function commandNamer(prefix: string | undefined): (name: string) => string {
  return (name) => (prefix ? formatCommand(`${prefix}-${name}`) : `the ${name} command`);
}

function parseBody(body: unknown): { json?: Record<string, unknown>; text: string } {
  if (body !== null && typeof body === "object" && !(body instanceof Uint8Array)) {
    return { json: body as Record<string, unknown>, text: "" };
  }
  const text =
    typeof body === "string" ? body : body instanceof Uint8Array ? Buffer.from(body).toString("utf8") : "";
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        return { json: parsed as Record<string, unknown>, text };
      }
    } catch {
      // Not JSON after all: reported as text.
    }
  }
  return { text };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function describeStatus(status: number): string {
  const text = ownEntry(STATUS_TEXT, status);
  return text ? `HTTP ${status} (${text})` : `HTTP ${status}`;
}

/** Turns an HTML or plain-text body into at most 300 characters of readable text, saying how much was cut. */
export function summarizeText(text: string, limit = 300): string {
  const plain = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/\s+/g, " ")
    .trim();
  return truncateServerText(plain, limit);
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function numberList(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const codes: number[] = [];
  for (const item of value) {
    const code = typeof item === "number" ? item : typeof item === "string" ? Number(item) : Number.NaN;
    if (Number.isSafeInteger(code) && code > 0) codes.push(code);
  }
  return codes;
}

function nonJsonFix(status: number): string {
  if (status === 407) {
    return "A proxy asked for credentials: put the user and password into the proxy URL (HTTPS_PROXY=http://user:password@host:port).";
  }
  if (status >= 500) {
    return "Entra ID, or a proxy between this machine and it, is failing: try again in a few minutes.";
  }
  return "Something other than Microsoft Entra ID answered (a proxy, a captive portal or a wrong host): check Azure Cloud and Azure AD endpoint, and the proxy settings.";
}

/**
 * Translates an error response of a Microsoft token endpoint into an {@link AuthenticationError} whose message is
 * `AADSTSnnnn: <description>`, then `How to fix: <fix>` naming the instance parameters to change, and for the
 * "grant expired" codes a line telling to run `!<prefix>-auth-reset`.
 */
export function translateEntraError(
  status: number,
  body: string | object | null | undefined,
  options: TranslateOptions = {},
): AuthenticationError {
  const redactor = options.redactor ?? getRedactor();
  const cmd = commandNamer(options.commandPrefix);
  const { json, text } = parseBody(body);

  if (!json) {
    const summary = summarizeText(text);
    const message = summary
      ? `Microsoft sign-in failed with ${describeStatus(status)} and a response that is not JSON: ${summary}`
      : `Microsoft sign-in failed with ${describeStatus(status)} and an empty response.`;
    const fix = nonJsonFix(status);
    return new AuthenticationError(redactor.redact(`${message}\nHow to fix: ${fix}`), { status, hint: fix });
  }

  // Resource-API shape ({ error: { code, message } }), e.g. from the broker or a managed identity endpoint.
  const nested = json["error"];
  if (nested !== null && typeof nested === "object" && !Array.isArray(nested)) {
    const record = nested as Record<string, unknown>;
    const code = stringField(record, "code") ?? "error";
    const detail = summarizeText(stringField(record, "message") ?? "no message", 1000);
    const fix = GENERIC_FIX(cmd);
    return new AuthenticationError(redactor.redact(`${code}: ${detail}\nHow to fix: ${fix}`), {
      status,
      error: code,
      code,
      hint: fix,
    });
  }

  const error = stringField(json, "error");
  const cleaned = cleanAadstsDescription(json["error_description"] ?? json["message"]);
  const listed = numberList(json["error_codes"]);
  const codes = listed.length > 0 ? listed : cleaned.code !== undefined ? [cleaned.code] : [];
  const primary = cleaned.code ?? codes[0];

  // A known AADSTS code says most; an unknown one is looked up rather than guessed from the coarse OAuth error.
  let chooseFix: Fix | undefined =
    (primary !== undefined ? ownEntry(AADSTS_FIXES, primary) : undefined) ??
    codes.map((code) => ownEntry(AADSTS_FIXES, code)).find((candidate) => candidate !== undefined);
  if (chooseFix === undefined && primary !== undefined) {
    const generic = GENERIC_FIX(cmd);
    chooseFix = () =>
      `Look the code up at https://login.microsoftonline.com/error?code=${primary}, then ${generic.charAt(0).toLowerCase()}${generic.slice(1)}`;
  }
  const fix = (chooseFix ?? (error ? ownEntry(OAUTH_ERROR_FIXES, error) : undefined) ?? GENERIC_FIX)(cmd);

  const head = primary !== undefined ? `AADSTS${primary}` : (error ?? describeStatus(status));
  const description =
    cleaned.description ||
    (primary !== undefined && error ? error : "") ||
    `sign-in failed with ${describeStatus(status)}`;
  const lines = [`${head}: ${description}`, `How to fix: ${fix}`];
  if (
    options.commandPrefix &&
    codes.length > 0 &&
    codes.every((code) => TOKEN_EXPIRED_AADSTS_CODES.has(code))
  ) {
    lines.push(`Run ${cmd("auth-reset")} to reset the authentication process, then authenticate again.`);
  }

  const details: AuthenticationErrorDetails = {
    status,
    code: primary !== undefined ? `AADSTS${primary}` : (error ?? "authentication_failed"),
    hint: fix,
    description: redactor.redact(cleaned.description),
  };
  if (error !== undefined) details.error = error;
  if (codes.length > 0) details.aadsts = codes;
  const traceId = stringField(json, "trace_id");
  const correlationId = stringField(json, "correlation_id");
  if (traceId !== undefined) details.traceId = traceId;
  if (correlationId !== undefined) details.correlationId = correlationId;
  return new AuthenticationError(redactor.redact(lines.join("\n")), details);
}

// ---------------------------------------------------------------------------------------------------------------
// Resource API errors (Graph, ARM, Log Analytics, Defender)

interface ExtractedApiError {
  code?: string;
  message?: string;
  requestId?: string;
}

function extractApiError(json: Record<string, unknown>): ExtractedApiError {
  const result: ExtractedApiError = {};
  const error = json["error"];
  if (error !== null && typeof error === "object" && !Array.isArray(error)) {
    const record = error as Record<string, unknown>;
    const code = stringField(record, "code");
    const message = stringField(record, "message");
    if (code !== undefined) result.code = code;
    if (message !== undefined) result.message = message;
    const inner = (record["innerError"] ?? record["innererror"]) as Record<string, unknown> | undefined;
    const requestId =
      inner && typeof inner === "object"
        ? (stringField(inner, "request-id") ?? stringField(inner, "requestId"))
        : undefined;
    if (requestId !== undefined) result.requestId = requestId;
    return result;
  }
  // Legacy Azure AD Graph: { "odata.error": { code, message: { value } } }.
  const odata = json["odata.error"] as Record<string, unknown> | undefined;
  if (odata && typeof odata === "object") {
    const code = stringField(odata, "code");
    const message = odata["message"];
    if (code !== undefined) result.code = code;
    if (typeof message === "string") result.message = message;
    else if (message && typeof message === "object") {
      const value = stringField(message as Record<string, unknown>, "value");
      if (value !== undefined) result.message = value;
    }
    return result;
  }
  // Flat shapes: { code, message } or an OAuth-style { error: "…", error_description }.
  const code = stringField(json, "code") ?? (typeof error === "string" && error !== "" ? error : undefined);
  const message =
    stringField(json, "message") ??
    stringField(json, "Message") ??
    (json["error_description"] !== undefined
      ? cleanAadstsDescription(json["error_description"]).description
      : undefined) ??
    [stringField(json, "title"), stringField(json, "detail")].filter(Boolean).join(". ");
  if (code !== undefined) result.code = code;
  if (message) result.message = message;
  return result;
}

function apiHint(
  status: number,
  code: string | undefined,
  cmd: (name: string) => string,
  retryAfter?: string,
): string | undefined {
  if (status === 401) {
    return `The access token was rejected: check that Azure Cloud (or Server URL) is the tenant's cloud, since tokens of one cloud do not work in another, then run ${cmd("auth-reset")} and try again.`;
  }
  if (status === 403) {
    if (code === "AuthorizationFailed") {
      return "The application has no Azure role on this resource: assign it a role (for example Reader or Contributor) on the subscription or resource group under Access control (IAM), then try again.";
    }
    return `Insufficient privileges to complete the operation: add the permission to the app registration, grant admin consent, then run ${cmd("auth-reset")}.`;
  }
  if (status === 404) {
    return "Not found: check the identifiers given to the command, and that Server URL (or Azure Cloud) points to the right service.";
  }
  if (status === 429) {
    const wait =
      retryAfter && /^\d+$/.test(retryAfter.trim())
        ? ` (the service asked to wait ${retryAfter.trim()} s)`
        : "";
    return `The service is throttling requests${wait}: wait, then run the command again, and make playbooks call it less often.`;
  }
  return undefined;
}

/**
 * Translates an error response of a resource API (Graph / ARM / Defender shape `{ error: { code, message } }`,
 * and a few flatter shapes) into an {@link ApiError} with message `<code>: <message>` and, for 401, 403, 404 and
 * 429, a hint on what to do.
 */
export function translateApiError(
  status: number,
  body: string | object | null | undefined,
  options: TranslateOptions = {},
): ApiError {
  const redactor = options.redactor ?? getRedactor();
  const cmd = commandNamer(options.commandPrefix);
  const { json, text } = parseBody(body);
  const extracted = json ? extractApiError(json) : {};
  const said = extracted.message ?? (json ? undefined : summarizeText(text));
  const apiMessage = said === undefined ? undefined : truncateServerText(said, SERVER_TEXT_SHOWN_CHARS);
  const head = extracted.code ?? describeStatus(status);
  const message = apiMessage
    ? `${head}: ${apiMessage}`
    : `${head}: the service returned ${text.trim() ? "no error message" : "an empty response"}.`;
  const hint = apiHint(status, extracted.code, cmd, options.headers?.["retry-after"]);
  const requestId =
    extracted.requestId ??
    options.headers?.["request-id"] ??
    options.headers?.["x-ms-request-id"] ??
    undefined;

  const details: ApiErrorDetails = { status };
  if (extracted.code !== undefined) details.code = extracted.code;
  if (apiMessage !== undefined) details.apiMessage = redactor.redact(apiMessage);
  if (hint !== undefined) details.hint = hint;
  if (requestId !== undefined) details.requestId = requestId;
  let full = hint ? `${message}\nHow to fix: ${hint}` : message;
  if (options.clientRequestId !== undefined) {
    details.clientRequestId = options.clientRequestId;
    // The service's id is server text: printed only when it looks like an id.
    const serverId =
      requestId && /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) ? `, request-id ${requestId}` : "";
    full += `\nFor Microsoft support: client-request-id ${options.clientRequestId}${serverId}.`;
  }
  return new ApiError(redactor.redact(full), details);
}
