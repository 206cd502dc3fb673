import { deviceCodeEndpoint, tokenEndpoint } from "../clouds.js";
import type { FetchedToken, IntegrationContext } from "../context.js";
import {
  AuthenticationError,
  MsintError,
  TOKEN_EXPIRED_AADSTS_CODES,
  translateEntraError,
} from "../errors.js";
import { getRedactor } from "../redact.js";
import type { FlowStrategy } from "../strategy.js";
import { tokenCacheKey } from "../token-cache.js";
import type { HttpResponse, Transport } from "../transport/index.js";
import { fingerprint } from "./msal-support.js";
import {
  commandName,
  jsonObject,
  mergeScopes,
  numeric,
  oauthErrorOf,
  postForm,
  readTokenResponse,
  restate,
  withAdvice,
} from "./oauth-http.js";
import { withContextToPersist } from "./strategy-failure.js";

// Device code is our own HTTP (RFC 8628): MSAL runs start and polling in one call and cannot resume a device code
// in another process, and `-auth-start` and `-auth-complete` are two commands, maybe two processes.

/** RFC 8628 grant type of the polling request. */
export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** Where users enter the code when the response names no URL. */
const DEFAULT_VERIFICATION_URI = "https://microsoft.com/devicelogin";

/** Inputs of {@link startDeviceCode}. */
export interface StartDeviceCodeOptions {
  loginHost: string;
  /** Default `organizations` (work or school accounts of any tenant). */
  tenantId?: string | undefined;
  clientId: string;
  /** Delegated scopes; `offline_access` is added so a refresh token comes back. */
  scopes: readonly string[];
  transport: Transport;
  commandPrefix?: string | undefined;
  /** Clock, epoch ms. */
  now?: number;
}

/** A started device-code sign-in. */
export interface StartedDeviceCode {
  /** Secret: whoever has it can finish the sign-in once the user approved. */
  deviceCode: string;
  /** What the user types at the verification URI. */
  userCode: string;
  verificationUri: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Seconds to wait between polls. */
  interval: number;
  /** Microsoft's instruction text. */
  message: string;
  /** The scopes the sign-in was started for. */
  scopes: string[];
}

/** The device code as this flow keeps it in the integration context. */
export type PendingDeviceCode = NonNullable<IntegrationContext["deviceCode"]> & {
  /** Shown again while the sign-in is not finished. */
  verificationUri?: string;
  userCode?: string;
  /** Scopes the device code was requested for; a token for other scopes is then got with the refresh token. */
  scopes?: string[];
};

/** The context of the device-code flow. */
export interface DeviceCodeContext extends IntegrationContext {
  deviceCode?: PendingDeviceCode;
}

/**
 * Starts a device-code sign-in: POST `<loginHost>/<tenant>/oauth2/v2.0/devicecode` with `client_id` and `scope`.
 * Store {@link toPendingDeviceCode} of the result in the context's `deviceCode`, show `userCode` and
 * `verificationUri`, then `-auth-complete` runs the strategy.
 */
export async function startDeviceCode(options: StartDeviceCodeOptions): Promise<StartedDeviceCode> {
  const tenant = options.tenantId?.trim() || "organizations";
  const scopes = mergeScopes(options.scopes, ["offline_access"]);
  const response = await postForm(options.transport, deviceCodeEndpoint(options.loginHost, tenant), [
    ["client_id", options.clientId],
    ["scope", scopes.join(" ")],
  ]);
  if (response.status < 200 || response.status >= 300) {
    throw translateEntraError(response.status, response.body, { commandPrefix: options.commandPrefix });
  }
  const json = jsonObject(response.body);
  const deviceCode = json?.["device_code"];
  const userCode = json?.["user_code"];
  if (typeof deviceCode !== "string" || deviceCode === "" || typeof userCode !== "string") {
    throw new AuthenticationError(
      `The device-code endpoint answered HTTP ${response.status} without a device code. Check Azure Cloud (or Azure AD endpoint): something other than Microsoft Entra ID may be answering.`,
      { status: response.status },
    );
  }
  getRedactor().add(deviceCode);
  const now = options.now ?? Date.now();
  const message = typeof json?.["message"] === "string" ? (json["message"] as string) : "";
  // v2 says verification_uri; the v1 endpoint said verification_url. The message always contains the URL.
  const verificationUri =
    [json?.["verification_uri"], json?.["verification_url"]].find(
      (value): value is string => typeof value === "string" && value !== "",
    ) ??
    /https?:\/\/\S+/.exec(message)?.[0] ??
    DEFAULT_VERIFICATION_URI;
  return {
    deviceCode,
    userCode,
    verificationUri,
    expiresAt: now + (numeric(json?.["expires_in"]) ?? 900) * 1000,
    interval: Math.max(1, numeric(json?.["interval"]) ?? 5),
    message,
    scopes,
  };
}

/** The part of a started sign-in that goes into the context's `deviceCode`. */
export function toPendingDeviceCode(started: StartedDeviceCode): PendingDeviceCode {
  return {
    deviceCode: started.deviceCode,
    expiresAt: started.expiresAt,
    interval: started.interval,
    verificationUri: started.verificationUri,
    userCode: started.userCode,
    scopes: started.scopes,
  };
}

/** Waiting for the user inside one `-auth-complete` (the CLI's `--wait`). */
export interface DeviceCodeWait {
  /**
   * Called before each wait with the seconds left until the code expires, and where the person signs in: the
   * verification page and the code to enter there.
   */
  onProgress?(secondsLeft: number, signIn: { verificationUri: string; userCode?: string | undefined }): void;
  /** Injectable for tests. */
  sleep?(ms: number): Promise<void>;
  /** Stop polling after this long (the code stays valid for a later attempt). Default: until it expires. */
  maxWaitMs?: number;
  /** Clock, epoch ms; injectable for tests. */
  now?(): number;
}

/** Inputs of {@link createDeviceCodeStrategy}. */
export interface DeviceCodeOptions {
  loginHost: string;
  /** Default `organizations`; must be the tenant the device code was started with. */
  tenantId?: string | undefined;
  clientId: string;
  transport: Transport;
  commandPrefix?: string | undefined;
  /** Poll until the user finishes; without it one attempt is made per call. */
  wait?: DeviceCodeWait;
}

/**
 * Creates the device-code strategy (a public client: no secret is sent). With a refresh token it refreshes,
 * rotating it. Otherwise it redeems the context's device code (`grant_type=urn:ietf:params:oauth:grant-type:device_code`,
 * `device_code`): the refresh token is stored and the device code cleared. An expired, declined or unknown code
 * is cleared too (the error carries the context to persist, see {@link withContextToPersist}).
 */
export function createDeviceCodeStrategy(options: DeviceCodeOptions): FlowStrategy {
  const { loginHost, clientId, transport, commandPrefix } = options;
  const tenant = options.tenantId?.trim() || "organizations";
  const client: DeviceCodeClient = {
    url: tokenEndpoint(loginHost, tenant),
    clientId,
    transport,
    commandPrefix,
    cmd: (name: string) => commandName(commandPrefix, name),
    wait: options.wait,
    sleep: options.wait?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: options.wait?.now ?? Date.now,
  };
  return {
    flow: "device-code",
    fingerprint: fingerprint("device-code", loginHost, tenant, clientId),
    fetchToken: (scopes, current) => fetchDeviceCodeToken(client, scopes, current),
  };
}

/** What the steps of the device-code strategy share. */
interface DeviceCodeClient {
  /** The tenant's token endpoint. */
  url: string;
  clientId: string;
  transport: Transport;
  commandPrefix: string | undefined;
  /** The full name of one of the integration's commands, for messages. */
  cmd: (name: string) => string;
  wait: DeviceCodeWait | undefined;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

async function fetchDeviceCodeToken(
  client: DeviceCodeClient,
  scopes: readonly string[],
  current: DeviceCodeContext | undefined,
): Promise<{ token: FetchedToken; context: DeviceCodeContext }> {
  const { cmd } = client;
  const context: DeviceCodeContext = { ...(current ?? {}) };
  if (context.refreshToken) {
    const token = await refresh(client, context.refreshToken, scopes);
    if (token.refreshToken) context.refreshToken = token.refreshToken;
    return { token, context };
  }
  const pending = context.deviceCode;
  if (!pending?.deviceCode) {
    throw new MsintError(
      `No sign-in has been started: run ${cmd("auth-start")} first, sign in with the code it shows, then run ${cmd("auth-complete")}.`,
      { code: "device_code_missing" },
    );
  }
  getRedactor().add(pending.deviceCode);
  let token = await redeemDeviceCode(client, pending, context);
  delete context.deviceCode;
  if (token.refreshToken) context.refreshToken = token.refreshToken;
  // The device code was started for the integration's scopes; a token for other scopes (another resource)
  // is got at once with the new refresh token.
  if (
    pending.scopes &&
    token.refreshToken &&
    tokenCacheKey(mergeScopes(pending.scopes, ["offline_access"])) !==
      tokenCacheKey(mergeScopes(scopes, ["offline_access"]))
  ) {
    try {
      token = await refresh(client, token.refreshToken, scopes);
    } catch (error) {
      // The device code is used up: keep the refresh token it gave, or the sign-in is lost.
      throw error instanceof Error ? withContextToPersist(error, context) : error;
    }
    if (token.refreshToken) context.refreshToken = token.refreshToken;
  }
  return { token, context };
}

async function refresh(
  client: DeviceCodeClient,
  refreshToken: string,
  scopes: readonly string[],
): Promise<FetchedToken> {
  const response = await postForm(client.transport, client.url, [
    ["client_id", client.clientId],
    ["grant_type", "refresh_token"],
    ["refresh_token", refreshToken],
    ["scope", mergeScopes(scopes, ["offline_access"]).join(" ")],
  ]);
  try {
    return readTokenResponse(response, client.commandPrefix);
  } catch (error) {
    const { error: oauthError, codes } = oauthErrorOf(response);
    if (
      AuthenticationError.isInstance(error) &&
      (oauthError === "invalid_grant" || codes.some((code) => TOKEN_EXPIRED_AADSTS_CODES.has(code)))
    ) {
      const { cmd } = client;
      throw withAdvice(
        error,
        `The stored sign-in can no longer be used: run ${cmd("auth-reset")}, then ${cmd("auth-start")} and ${cmd("auth-complete")} to sign in again.`,
      );
    }
    throw error;
  }
}

/** The expiry, as it is: nobody finished the sign-in in time (not a network problem). */
function expiredMessage(client: DeviceCodeClient, pending: PendingDeviceCode): string {
  return `The code expired: nobody completed the sign-in at ${pending.verificationUri ?? DEFAULT_VERIFICATION_URI}${pending.userCode ? ` with the code ${pending.userCode}` : ""} while it was valid. Run ${client.cmd("auth-start")} again for a new code.`;
}

function pendingMessage(client: DeviceCodeClient, pending: PendingDeviceCode): string {
  return `The sign-in is not finished yet: open ${pending.verificationUri ?? DEFAULT_VERIFICATION_URI}, enter the code${pending.userCode ? ` ${pending.userCode}` : ""}, then run ${client.cmd("auth-complete")} again.`;
}

function withoutDeviceCode(context: DeviceCodeContext): DeviceCodeContext {
  const cleared: DeviceCodeContext = { ...context };
  delete cleared.deviceCode;
  return cleared;
}

/** One poll: a token, "pending" (with the interval to use next), or a thrown error. */
async function poll(
  client: DeviceCodeClient,
  pending: PendingDeviceCode,
  context: DeviceCodeContext,
): Promise<FetchedToken | { pending: true; slowDown: boolean }> {
  const { cmd } = client;
  const response: HttpResponse = await postForm(client.transport, client.url, [
    ["grant_type", DEVICE_CODE_GRANT_TYPE],
    ["client_id", client.clientId],
    ["device_code", pending.deviceCode],
  ]);
  if (response.status >= 200 && response.status < 300)
    return readTokenResponse(response, client.commandPrefix);
  const { error } = oauthErrorOf(response);
  if (error === "authorization_pending") return { pending: true, slowDown: false };
  if (error === "slow_down") return { pending: true, slowDown: true };
  const cleared = withoutDeviceCode(context);
  const translated = translateEntraError(response.status, response.body, {
    commandPrefix: client.commandPrefix,
  });
  if (error === "expired_token" || error === "code_expired") {
    throw withContextToPersist(restate(translated, expiredMessage(client, pending)), cleared);
  }
  if (error === "authorization_declined") {
    throw withContextToPersist(
      restate(
        translated,
        `The sign-in was declined at the verification page: run ${cmd("auth-start")} again and approve the request.`,
      ),
      cleared,
    );
  }
  if (error === "bad_verification_code" || error === "invalid_grant") {
    throw withContextToPersist(
      restate(translated, `The stored device code is not valid: run ${cmd("auth-start")} again.`),
      cleared,
    );
  }
  throw translated;
}

/** Polls until a token comes (or, without `wait`, once), honouring the interval, slow_down and the expiry. */
async function redeemDeviceCode(
  client: DeviceCodeClient,
  pending: PendingDeviceCode,
  context: DeviceCodeContext,
): Promise<FetchedToken> {
  const { now, wait } = client;
  const cleared = withoutDeviceCode(context);
  const expired = () =>
    withContextToPersist(
      new AuthenticationError(expiredMessage(client, pending), {
        error: "expired_token",
        code: "expired_token",
      }),
      cleared,
    );
  if (now() >= pending.expiresAt) throw expired();
  const started = now();
  let interval = Math.max(1, pending.interval || 5);
  for (;;) {
    const result = await poll(client, pending, context);
    if (!("pending" in result)) return result;
    if (result.slowDown) interval += 5;
    if (!wait) {
      throw new AuthenticationError(pendingMessage(client, pending), {
        error: result.slowDown ? "slow_down" : "authorization_pending",
        code: result.slowDown ? "slow_down" : "authorization_pending",
      });
    }
    const left = pending.expiresAt - now();
    if (left <= interval * 1000) throw expired();
    const maxWait = wait.maxWaitMs;
    if (maxWait !== undefined && now() - started + interval * 1000 > maxWait) {
      throw new AuthenticationError(pendingMessage(client, pending), {
        error: "authorization_pending",
        code: "authorization_pending",
      });
    }
    wait.onProgress?.(Math.floor(left / 1000), {
      verificationUri: pending.verificationUri ?? DEFAULT_VERIFICATION_URI,
      userCode: pending.userCode,
    });
    await client.sleep(interval * 1000);
  }
}
