/**
 * The checks of `POST /obtain-token` before Microsoft is asked, in order: the client address is not blocked, the
 * registration exists and is not blocked for this address, the app matches, the encrypted token opens with the
 * registration's Key, is fresh and new, and the registration's rate allows it.
 */
import { decryptBrokerToken } from "@msint/auth-core/internal";
import type { BrokerApp } from "../config.js";
import { type BrokerContext, TIMESTAMP_WINDOW_SECONDS } from "../context.js";
import type { Registration } from "../database.js";
import { ProtocolError } from "../http.js";

/** Failed protocol requests (unknown registration, wrong key or token) allowed per client address and minute. */
export const FAILURES_PER_MINUTE = 60;

/** Counts a failure against the client (and the registration it named), and returns the error to throw. */
export type Penalize = (error: ProtocolError) => Promise<ProtocolError>;

/** The 429 of a blocked client or registration. */
function rateLimited(message: string, retryAfter: number): ProtocolError {
  return new ProtocolError(429, "rate_limited", message, { headers: { "Retry-After": String(retryAfter) } });
}

/** Refuses a client address with too many failed requests this minute. */
export async function refuseBlockedAddress(context: BrokerContext, address: string): Promise<void> {
  const blocked = await context.limits.failures.peek(address, FAILURES_PER_MINUTE);
  if (blocked) {
    throw rateLimited(`Too many failed requests from this address; retry in ${blocked} s.`, blocked);
  }
}

/** Counts failures per client address. */
export function addressPenalty(context: BrokerContext, address: string): Penalize {
  return async (error) => {
    await context.limits.failures.take(address, FAILURES_PER_MINUTE);
    return error;
  };
}

/**
 * Failures naming a registration slow down that registration from that address only: a stranger's guesses
 * never lock out the registration's real client, which calls from elsewhere. Refuses a blocked pair, else
 * returns the penalty that counts against the pair and the address.
 */
export async function registrationPenalty(
  context: BrokerContext,
  strikeKey: string,
  failed: Penalize,
): Promise<Penalize> {
  const backoff = await context.limits.strikes.blocked(strikeKey);
  if (backoff) {
    throw rateLimited(
      `Too many failed requests for this registration from this address; retry in ${backoff} s.`,
      backoff,
    );
  }
  return async (error) => {
    await context.limits.strikes.fail(strikeKey);
    return failed(error);
  };
}

/** The registration's app, when it is the one the client named and the broker still serves it. */
export async function registeredApp(
  context: BrokerContext,
  registration: Registration,
  appName: string,
  failedFor: Penalize,
): Promise<BrokerApp> {
  if (registration.appName !== appName) {
    throw await failedFor(
      new ProtocolError(
        400,
        "app_mismatch",
        `This registration was created for another integration than ${appName.slice(0, 100)}: use the ID, Token and Key from the page of this integration.`,
      ),
    );
  }
  const app = context.config.apps.get(registration.appName);
  if (!app) {
    throw new ProtocolError(
      503,
      "app_not_configured",
      `The broker no longer serves ${registration.appName}.`,
    );
  }
  return app;
}

/** Decrypts the client's token with the registration's Key; it must be recent and never seen before. */
export async function openToken(
  context: BrokerContext,
  registration: Registration,
  encryptedToken: string,
  failedFor: Penalize,
): Promise<string> {
  let content: string;
  let issuedAt: number;
  try {
    ({ content, issuedAt } = decryptBrokerToken(encryptedToken, registration.key));
  } catch {
    throw await failedFor(
      new ProtocolError(
        401,
        "decryption_failed",
        "The encrypted token cannot be decrypted with this registration's key: check Key, or the data was altered on the way.",
      ),
    );
  }
  const nowSeconds = Math.floor(context.now() / 1000);
  if (Math.abs(nowSeconds - issuedAt) > TIMESTAMP_WINDOW_SECONDS) {
    throw await failedFor(
      new ProtocolError(
        401,
        "stale_token",
        `The encrypted token was made at ${new Date(issuedAt * 1000).toISOString()}, more than 5 minutes from the broker's clock (${new Date(nowSeconds * 1000).toISOString()}): check the clock of the machine running the integration.`,
      ),
    );
  }
  const nonce = Buffer.from(encryptedToken, "base64").subarray(0, 12).toString("base64");
  if (!(await context.limits.nonces.remember(`${registration.id}:${nonce}`))) {
    throw await failedFor(
      new ProtocolError(
        401,
        "replayed_token",
        "This encrypted token was already used: every request must be encrypted anew.",
      ),
    );
  }
  return content;
}

/** Counts the request against the registration's rate (only requests made with its Key get this far). */
export async function takeRate(
  context: BrokerContext,
  registration: Registration,
  app: BrokerApp,
): Promise<void> {
  const rate = await context.limits.registrations.take(registration.id, app.rateLimitPerMinute);
  if (!rate.allowed) {
    throw rateLimited(
      `Too many token requests for this registration (at most ${app.rateLimitPerMinute} a minute); retry in ${rate.retryAfterSeconds} s.`,
      rate.retryAfterSeconds,
    );
  }
}
