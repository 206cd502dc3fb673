import { formatCommand } from "../command-names.js";
import type { FetchedToken } from "../context.js";
import { AuthenticationError, type AuthenticationErrorDetails, translateEntraError } from "../errors.js";
import { getRedactor } from "../redact.js";
import { type HttpResponse, TOKEN_RESPONSE_LIMIT, type Transport } from "../transport/index.js";

// The flows that talk to the token endpoint themselves (authorization code, refresh token, device code, the
// broker) share these helpers: one form POST per grant, the response read as Entra writes it.

/** Form fields in the order they are sent; undefined values are left out. */
export type FormFields = ReadonlyArray<readonly [string, string | undefined]>;

/** Encodes form fields as `application/x-www-form-urlencoded`, keeping their order. */
export function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) if (value !== undefined) params.append(name, value);
  return params.toString();
}

/** POSTs a form to a token or device-code endpoint through the transport (which retries 429/5xx). */
export function postForm(transport: Transport, url: string, fields: FormFields): Promise<HttpResponse> {
  return transport.request({
    method: "POST",
    url,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded;charset=utf-8",
      Accept: "application/json",
    },
    body: encodeForm(fields),
    responseLimit: TOKEN_RESPONSE_LIMIT,
  });
}

/** The JSON object of a response body, or undefined when it is not one. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A number or a numeric string (`expires_in` is a string in some responses). */
export function numeric(value: unknown): number | undefined {
  const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * What is wrong with a successful token answer, as the end of a sentence "… answered HTTP 200 <problem>", or
 * undefined when it is usable: a non-empty string `access_token` and a positive lifetime (`expires_in` seconds,
 * a number or a numeric string; else `expires_on`, epoch seconds, in the future). A token without a lifetime
 * would be cached for a guessed time or used after it expired.
 */
export function tokenAnswerProblem(
  record: Record<string, unknown> | undefined,
  now: number = Date.now(),
  defaultLifetime?: number,
): string | undefined {
  if (record === undefined) return "without an access token";
  const accessToken = record["access_token"];
  if (accessToken === undefined || accessToken === null) return "without an access token";
  if (typeof accessToken !== "string") {
    return `without an access token (access_token is ${Array.isArray(accessToken) ? "an array" : `a ${typeof accessToken}`}, not a string)`;
  }
  if (accessToken.trim() === "") return "without an access token (access_token is empty)";
  const lifetime = lifetimeSeconds(record, now, defaultLifetime);
  return typeof lifetime === "string" ? lifetime : undefined;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Seconds the token lives, or the problem with its lifetime fields. */
function lifetimeSeconds(
  record: Record<string, unknown>,
  now: number,
  defaultLifetime: number | undefined,
): number | string {
  const expiresIn = record["expires_in"];
  if (expiresIn !== undefined && expiresIn !== null) {
    const seconds = numeric(expiresIn);
    if (seconds === undefined) return `with expires_in ${shown(expiresIn)}, not a number of seconds`;
    if (seconds <= 0)
      return `with expires_in ${shown(expiresIn)}: a token must live a positive number of seconds`;
    return seconds;
  }
  const expiresOn = record["expires_on"];
  if (expiresOn !== undefined && expiresOn !== null) {
    const epoch = numeric(expiresOn);
    if (epoch === undefined) return `with expires_on ${shown(expiresOn)}, not a time in epoch seconds`;
    const seconds = Math.floor(epoch - now / 1000);
    if (seconds <= 0) return `with expires_on ${shown(expiresOn)}, which has passed`;
    return seconds;
  }
  return defaultLifetime ?? "with an access token but no lifetime (neither expires_in nor expires_on)";
}

/**
 * Lifetime the Cortex XSOAR broker's answers get when they carry none (the value XSOAR itself assumes). Entra ID
 * always sends `expires_in`: its answers get no default.
 */
export const BROKER_DEFAULT_EXPIRES_IN_SECONDS = 3595;

/**
 * Reads a successful token response; undefined when it is not usable (see {@link tokenAnswerProblem}).
 * `defaultLifetime` stands in for a missing (never for a zero, negative or malformed) lifetime.
 */
export function toFetchedToken(
  record: Record<string, unknown> | undefined,
  now: number = Date.now(),
  defaultLifetime?: number,
): FetchedToken | undefined {
  if (record === undefined || tokenAnswerProblem(record, now, defaultLifetime) !== undefined)
    return undefined;
  const token: FetchedToken = {
    accessToken: record["access_token"] as string,
    expiresInSeconds: lifetimeSeconds(record, now, defaultLifetime) as number,
  };
  const refreshIn = numeric(record["refresh_in"]);
  if (refreshIn !== undefined && refreshIn > 0) token.refreshInSeconds = refreshIn;
  const tokenType = record["token_type"];
  if (typeof tokenType === "string" && tokenType !== "") token.tokenType = tokenType;
  const refreshToken = record["refresh_token"];
  if (typeof refreshToken === "string" && refreshToken !== "") token.refreshToken = refreshToken;
  return token;
}

/** The OAuth `error` and AADSTS codes of an error response, to branch on (never on the description). */
export function oauthErrorOf(response: HttpResponse): { error?: string; codes: number[] } {
  const json = jsonObject(response.body);
  const error = typeof json?.["error"] === "string" ? (json["error"] as string) : undefined;
  const codes = Array.isArray(json?.["error_codes"])
    ? (json["error_codes"] as unknown[]).map(Number).filter((code) => Number.isSafeInteger(code))
    : [];
  const description = json?.["error_description"];
  if (codes.length === 0 && typeof description === "string") {
    const match = /^\s*AADSTS(\d+)/i.exec(description);
    if (match) codes.push(Number(match[1]));
  }
  return error === undefined ? { codes } : { error, codes };
}

/**
 * Reads a token response: the token when the status is 2xx and the body has one, else the translated Entra
 * error (AADSTS code, description, how to fix).
 */
export function readTokenResponse(response: HttpResponse, commandPrefix: string | undefined): FetchedToken {
  if (response.status >= 200 && response.status < 300) {
    const record = jsonObject(response.body);
    const token = toFetchedToken(record);
    if (token) {
      getRedactor().add(token.refreshToken);
      return token;
    }
    throw new AuthenticationError(
      `The token endpoint ${safeHost(response.url)} answered HTTP ${response.status} ${tokenAnswerProblem(record)}. Check Azure Cloud (or Azure AD endpoint): something other than Microsoft Entra ID may be answering.`,
      { status: response.status, code: "invalid_token_answer" },
    );
  }
  const redirect = redirectError(response.status, response.headers["location"], response.url);
  if (redirect) throw redirect;
  throw translateEntraError(response.status, response.body, { commandPrefix });
}

/**
 * The error for a token endpoint that answered with a redirect (3xx), or undefined for any other status. A
 * redirect is never followed: the client credential or the code would go to wherever it points.
 */
export function redirectError(
  status: number | undefined,
  location: string | undefined,
  url: string | undefined,
): AuthenticationError | undefined {
  if (status === undefined || status < 300 || status >= 400) return undefined;
  let target = "";
  if (location) {
    try {
      target = ` to ${new URL(location, url).origin}`;
    } catch {
      target = " to an invalid location";
    }
  }
  return new AuthenticationError(
    `The token endpoint ${safeHost(url ?? "")} answered HTTP ${status} (a redirect${target}) instead of a token. msint does not follow redirects, so the credentials never go to another host: check Azure Cloud (or Azure AD endpoint) and the proxy settings.`,
    { status, code: "unexpected_redirect" },
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/**
 * Adds lines to the message of an authentication error (a flow-specific way out), keeping its details. The
 * first `How to fix` line stays the translator's.
 */
export function withAdvice(error: AuthenticationError, ...lines: string[]): AuthenticationError {
  const details = detailsOf(error);
  const existing = error.message.split("\n");
  const added = lines.filter((line) => !existing.includes(line));
  return new AuthenticationError([error.message, ...added].join("\n"), details);
}

/**
 * Replaces the message of a translated error with the flow's own sentence (what happened and what to run),
 * keeping Microsoft's description on a second line and every detail.
 */
export function restate(error: AuthenticationError, message: string): AuthenticationError {
  const details = detailsOf(error);
  details.hint = message;
  const said = error.description ? `\nMicrosoft Entra ID said: ${error.description}` : "";
  return new AuthenticationError(`${message}${said}`, details);
}

function detailsOf(error: AuthenticationError): AuthenticationErrorDetails {
  const details: AuthenticationErrorDetails = { code: error.code, exitCode: error.exitCode };
  if (error.hint !== undefined) details.hint = error.hint;
  if (error.status !== undefined) details.status = error.status;
  if (error.error !== undefined) details.error = error.error;
  if (error.aadsts !== undefined) details.aadsts = error.aadsts;
  if (error.description !== undefined) details.description = error.description;
  if (error.traceId !== undefined) details.traceId = error.traceId;
  if (error.correlationId !== undefined) details.correlationId = error.correlationId;
  return details;
}

/** Scopes plus extra ones, without duplicates (compared case-insensitively), in first-seen order. */
export function mergeScopes(scopes: readonly string[], extra: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const scope of [...scopes, ...extra]) {
    for (const part of String(scope).split(/\s+/)) {
      const key = part.toLowerCase();
      if (part === "" || seen.has(key)) continue;
      seen.add(key);
      result.push(part);
    }
  }
  return result;
}

/** The "run !<prefix>-<command>" text of a fix (in the caller's form, see withCommandFormatter), or "the <command> command" without a prefix. */
export function commandName(commandPrefix: string | undefined, command: string): string {
  return commandPrefix ? formatCommand(`${commandPrefix}-${command}`) : `the ${command} command`;
}
