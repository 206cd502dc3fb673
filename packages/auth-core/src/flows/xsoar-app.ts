import { type CipherGCMTypes, createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { validateEndpointUrl } from "../clouds.js";
import type { FetchedToken, IntegrationContext } from "../context.js";
import {
  AuthenticationError,
  cleanAadstsDescription,
  MsintError,
  ParameterError,
  summarizeText,
  TOKEN_EXPIRED_AADSTS_CODES,
} from "../errors.js";
import { getRedactor } from "../redact.js";
import type { FlowStrategy } from "../strategy.js";
import { type HttpResponse, TOKEN_RESPONSE_LIMIT, type Transport } from "../transport/index.js";
import { fingerprint } from "./msal-support.js";
import {
  BROKER_DEFAULT_EXPIRES_IN_SECONDS,
  commandName,
  jsonObject,
  toFetchedToken,
  tokenAnswerProblem,
} from "./oauth-http.js";
import { withContextToPersist } from "./strategy-failure.js";

// The "Cortex XSOAR application" flow: a multi-tenant app whose secret stays with a token broker. The instance
// holds an ID (the registration), a Token (tenant ID, or a refresh token for delegated apps) and a Key (AES). Each
// token request sends the Token encrypted with the Key and stamped with the time; the broker calls Microsoft.

/** The public broker of Cortex XSOAR. */
export const DEFAULT_BROKER_URL = "https://oproxy.demisto.ninja/obtain-token";
/** Display names of the three broker parameters. */
export const BROKER_ID_PARAMETER = "ID";
export const BROKER_TOKEN_PARAMETER = "Token";
export const BROKER_KEY_PARAMETER = "Key";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Backoff after broker failures: 2^counter seconds, counter 1…6, so 2, 4, 8, 16, 32, then 64 s at most. */
const MAX_BACKOFF_EXPONENT = 6;

/**
 * Decodes the broker Key (standard base64; base64url and missing padding are accepted) into an AES key.
 * @throws ParameterError naming "Key" unless it decodes to 16, 24 or 32 bytes.
 */
export function parseBrokerKey(base64Key: string): Buffer {
  const compact = String(base64Key ?? "")
    .replace(/\s+/g, "")
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  const fix = `paste the Key exactly as the broker's page showed it (16, 24 or 32 bytes in base64).`;
  if (compact === "") {
    throw new ParameterError(`${BROKER_KEY_PARAMETER} is empty: ${fix}`, BROKER_KEY_PARAMETER);
  }
  const valid = /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.replace(/=+$/, "").length % 4 !== 1;
  const key = valid ? Buffer.from(compact, "base64") : Buffer.alloc(0);
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new ParameterError(
      `${BROKER_KEY_PARAMETER} is not a valid base64 AES key${valid ? ` (it decodes to ${key.length} bytes)` : ""}: ${fix}`,
      BROKER_KEY_PARAMETER,
    );
  }
  return key;
}

function gcmCipher(key: Buffer): CipherGCMTypes {
  return `aes-${key.length * 8}-gcm` as CipherGCMTypes;
}

/**
 * Encrypts a Token for the broker: base64(nonce ‖ AES-GCM(`"<epoch seconds>:<content>"`) ‖ tag) with a random
 * 12-byte nonce, no associated data, AES-128/192/256 by the key's length.
 * @param now epoch ms (default now).
 */
export function encryptBrokerToken(content: string, base64Key: string, now: number = Date.now()): string {
  const key = parseBrokerKey(base64Key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(gcmCipher(key), key, nonce, { authTagLength: TAG_BYTES });
  const plaintext = Buffer.from(`${Math.floor(now / 1000)}:${content}`, "utf8");
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, encrypted, cipher.getAuthTag()]).toString("base64");
}

/**
 * Decrypts what {@link encryptBrokerToken} produced (the broker's side).
 * @returns the content and the time it was encrypted (epoch seconds).
 * @throws MsintError when the data is malformed or was not encrypted with this key.
 */
export function decryptBrokerToken(
  encrypted: string,
  base64Key: string,
): { content: string; issuedAt: number } {
  const key = parseBrokerKey(base64Key);
  const data = Buffer.from(String(encrypted ?? ""), "base64");
  const fail = () =>
    new MsintError("The encrypted token cannot be decrypted with this key.", {
      code: "broker_token_invalid",
    });
  if (data.length < NONCE_BYTES + TAG_BYTES + 2) throw fail();
  let plaintext: string;
  try {
    const decipher = createDecipheriv(gcmCipher(key), key, data.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    plaintext = Buffer.concat([
      decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw fail();
  }
  const match = /^(\d+):([\s\S]*)$/.exec(plaintext);
  if (!match) throw fail();
  return { issuedAt: Number(match[1]), content: match[2]! };
}

/**
 * Splits the ID parameter, which is exactly `<registration id>` (the default broker) or
 * `<registration id>@<broker URL>` with an https URL (http only for a loopback broker). Anything else (two `@`,
 * an empty part, a URL with a user name or password, plain http to another host) is refused naming ID: falling
 * back to the default broker would send the Token to a broker the user did not choose.
 * @throws ParameterError naming "ID".
 */
export function parseBrokerId(
  authId: string,
  defaultBrokerUrl = DEFAULT_BROKER_URL,
): {
  registrationId: string;
  brokerUrl: string;
} {
  const value = String(authId ?? "").trim();
  if (value === "") {
    throw new ParameterError(
      `${BROKER_ID_PARAMETER} is empty: paste the ID the broker's page gave (Start Authorization Process).`,
      BROKER_ID_PARAMETER,
    );
  }
  const form = `it must be the registration ID alone, or <registration ID>@<broker URL> with an https broker URL, exactly as the broker's page gave it.`;
  const parts = value.split("@");
  if (parts.length > 2) {
    throw new ParameterError(
      `${BROKER_ID_PARAMETER} contains ${parts.length - 1} '@' characters: ${form} (A user name or password in the broker URL is not accepted either.)`,
      BROKER_ID_PARAMETER,
    );
  }
  const registrationId = parts[0]!.trim();
  if (registrationId === "") {
    throw new ParameterError(
      `${BROKER_ID_PARAMETER} has no registration ID before '@': ${form}`,
      BROKER_ID_PARAMETER,
    );
  }
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(registrationId)) {
    throw new ParameterError(
      `${BROKER_ID_PARAMETER}: the registration ID contains spaces or control characters: ${form}`,
      BROKER_ID_PARAMETER,
    );
  }
  if (parts.length === 1) return { registrationId, brokerUrl: defaultBrokerUrl };
  const url = parts[1]!.trim();
  if (url === "") {
    throw new ParameterError(
      `${BROKER_ID_PARAMETER} ends with '@' but names no broker URL: ${form}`,
      BROKER_ID_PARAMETER,
    );
  }
  return { registrationId, brokerUrl: validateEndpointUrl(url, BROKER_ID_PARAMETER) };
}

/** The context of this flow: the shared one plus the Token the stored refresh token descends from. */
export interface XsoarAppContext extends IntegrationContext {
  /**
   * SHA-256 of the Token parameter the stored refresh token was obtained with. When the Token parameter changes
   * (new credentials from the broker's page) the stale refresh token is not sent.
   */
  brokerTokenHash?: string;
}

/** Inputs of {@link createXsoarAppStrategy}. */
export interface XsoarAppOptions {
  /** ID: registration ID, optionally `<id>@<broker URL>`. */
  authId: string;
  /** Token: the tenant ID (application permissions) or a refresh token (delegated). */
  token: string;
  /** Key: base64 AES key. */
  key: string;
  /** The integration's name at the broker, e.g. `ms-graph-mail-listener`. */
  appName: string;
  /** Sent as `scope`; `null` lets the broker choose by app name (XSOAR's default). */
  scope?: string | null | undefined;
  /** Sent as `resource`; default "". */
  resource?: string | undefined;
  transport: Transport;
  commandPrefix?: string | undefined;
  /** Default {@link DEFAULT_BROKER_URL}; a URL in `authId` wins. */
  brokerUrl?: string | undefined;
  /** Clock, epoch ms. */
  now?: () => number;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The delay armed by a failure, from the counter stored by the previous one. */
export function nextBrokerBackoff(
  previous: IntegrationContext["backoff"],
  now: number,
): NonNullable<IntegrationContext["backoff"]> {
  const exponent = Math.min(Math.max(1, previous?.counter ?? 1), MAX_BACKOFF_EXPONENT);
  return { nextRequestAt: now + 2 ** exponent * 1000, counter: Math.min(exponent + 1, MAX_BACKOFF_EXPONENT) };
}

function brokerFailure(response: HttpResponse, cmd: (name: string) => string): AuthenticationError {
  const { status, body } = response;
  // Brokers answer { error, message }, an Entra body, or text with the Entra body embedded.
  const json = jsonObject(body) ?? jsonObject(/\{[\s\S]*\}/.exec(body)?.[0] ?? "");
  let detail: string;
  let error: string | undefined;
  let codes: number[] = [];
  if (json) {
    const nested = json["error"];
    if (nested && typeof nested === "object" && !Array.isArray(nested)) {
      const record = nested as Record<string, unknown>;
      error = typeof record["code"] === "string" ? record["code"] : undefined;
      detail = [error, typeof record["message"] === "string" ? record["message"] : undefined]
        .filter(Boolean)
        .join(": ");
    } else {
      error = typeof nested === "string" && nested !== "" ? nested : undefined;
      const cleaned = cleanAadstsDescription(json["error_description"] ?? json["message"] ?? json["detail"]);
      if (Array.isArray(json["error_codes"])) codes = (json["error_codes"] as unknown[]).map(Number);
      if (cleaned.code !== undefined && !codes.includes(cleaned.code)) codes.push(cleaned.code);
      const head = cleaned.code !== undefined ? `AADSTS${cleaned.code}` : error;
      detail = [head, cleaned.description].filter(Boolean).join(": ");
    }
    detail ||= `HTTP ${status}`;
  } else {
    detail = summarizeText(body, 300) || "an empty response";
  }
  const expired =
    error === "invalid_grant" ||
    (codes.length > 0 && codes.every((code) => TOKEN_EXPIRED_AADSTS_CODES.has(code)));
  const transient = status === 429 || status >= 500;
  const fix = expired
    ? `The stored sign-in is no longer valid: run ${cmd("auth-reset")}, get a new ID, Token and Key from the broker's page (Start Authorization Process), enter them in the instance and try again.`
    : transient
      ? "The broker is busy or unavailable: try again in a minute (msint waits before calling it again, longer after each failure)."
      : `Check ID, Token and Key against what the broker's page gave for this instance (each set works for one instance); if they are right, get new ones and run ${cmd("auth-reset")}.`;
  const message = getRedactor().redact(
    `The Cortex XSOAR application broker refused to issue a token (HTTP ${status}): ${detail}\nHow to fix: ${fix}`,
  );
  return new AuthenticationError(message, {
    status,
    hint: fix,
    code: "broker_error",
    ...(error === undefined ? {} : { error }),
    ...(codes.length > 0 ? { aadsts: codes } : {}),
  });
}

/**
 * Creates the Cortex XSOAR application (broker client) strategy: POST JSON
 * `{ app_name, registration_id, encrypted_token, scope, resource }` to the broker. The encrypted content is the
 * stored refresh token, else the Token parameter; a returned refresh token is stored (rotation). A failure arms
 * a backoff (2, 4, … 64 s) persisted through the error ({@link withContextToPersist}); calls inside the window
 * fail at once without a request; a success clears it.
 * @throws ParameterError naming "ID" or "Key" for malformed parameters.
 */
export function createXsoarAppStrategy(options: XsoarAppOptions): FlowStrategy {
  const { appName, transport, commandPrefix } = options;
  const { registrationId, brokerUrl } = parseBrokerId(
    options.authId,
    options.brokerUrl ? validateEndpointUrl(options.brokerUrl, BROKER_ID_PARAMETER) : DEFAULT_BROKER_URL,
  );
  parseBrokerKey(options.key);
  const tokenParameter = String(options.token ?? "").trim();
  const redactor = getRedactor();
  redactor.add(options.key);
  redactor.add(tokenParameter);
  const tokenHash = sha256(tokenParameter);
  const now = options.now ?? Date.now;
  const cmd = (name: string) => commandName(commandPrefix, name);
  const scope = options.scope === undefined ? null : options.scope;
  const resource = options.resource ?? "";

  return {
    flow: "xsoar-app",
    fingerprint: fingerprint(
      "xsoar-app",
      brokerUrl,
      registrationId,
      appName,
      scope ?? "\u0000null",
      resource,
      fingerprint(options.key),
      tokenHash,
    ),
    async fetchToken(_scopes, current) {
      const context: XsoarAppContext = { ...(current ?? {}) };
      const started = now();
      if (context.backoff && started < context.backoff.nextRequestAt) {
        throw new MsintError(
          `The Cortex XSOAR application broker is backing off after a failure: next attempt after ${new Date(context.backoff.nextRequestAt).toISOString()}.`,
          { code: "broker_backoff" },
        );
      }
      // A refresh token obtained with another Token parameter belongs to old credentials: start from the new one.
      const storedRefreshToken =
        context.refreshToken &&
        (context.brokerTokenHash === undefined || context.brokerTokenHash === tokenHash)
          ? context.refreshToken
          : undefined;
      const content = storedRefreshToken ?? tokenParameter;
      if (content === "") {
        throw new ParameterError(
          `${BROKER_TOKEN_PARAMETER} is empty: paste the Token the broker's page gave (Start Authorization Process).`,
          BROKER_TOKEN_PARAMETER,
        );
      }
      const failed = (error: Error) =>
        withContextToPersist(error, { ...context, backoff: nextBrokerBackoff(context.backoff, now()) });

      let response: HttpResponse;
      try {
        response = await transport.request({
          method: "POST",
          url: brokerUrl,
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({
            app_name: appName,
            registration_id: registrationId,
            encrypted_token: encryptBrokerToken(content, options.key, started),
            scope,
            resource,
          }),
          retry: false,
          responseLimit: TOKEN_RESPONSE_LIMIT,
        });
      } catch (error) {
        throw failed(error instanceof Error ? error : new MsintError(String(error)));
      }
      if (response.status < 200 || response.status >= 300) throw failed(brokerFailure(response, cmd));
      const record = jsonObject(response.body);
      const token: FetchedToken | undefined = toFetchedToken(
        record,
        now(),
        BROKER_DEFAULT_EXPIRES_IN_SECONDS,
      );
      if (!token) {
        const summary = record ? "" : summarizeText(response.body, 200);
        const problem = record
          ? `: it answered ${tokenAnswerProblem(record, now(), BROKER_DEFAULT_EXPIRES_IN_SECONDS)}`
          : "";
        throw failed(
          new AuthenticationError(
            redactor.redact(
              `The broker did not answer with a token (HTTP ${response.status}${summary ? `: ${summary}` : record ? "" : ", empty response"})${problem}. Check the broker URL (the part of ID after '@') and the proxy settings.`,
            ),
            { status: response.status, code: "broker_error" },
          ),
        );
      }
      delete context.backoff;
      if (token.refreshToken) {
        redactor.add(token.refreshToken);
        context.refreshToken = token.refreshToken;
        context.brokerTokenHash = tokenHash;
      } else if (storedRefreshToken === undefined) {
        delete context.refreshToken;
        delete context.brokerTokenHash;
      }
      return { token, context };
    },
  };
}
