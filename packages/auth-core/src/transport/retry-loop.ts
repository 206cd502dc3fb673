import { MsintError, TransportError } from "../errors.js";
import type { Logger } from "../log.js";
import { type Redactor, redactUrl } from "../redact.js";
import type { AgentPool } from "./agents.js";
import { loadNodeModules } from "./agents.js";
import { buildHeaders, formKeysOf, type SendOptions, sendOnce, toBuffer } from "./attempt.js";
import { Aborted, classifyFailure, describeBody, plural } from "./classify.js";
import { proxyForUrl } from "./proxy.js";
import { backoffMs, formatDuration, isRetryable, retryAfterMs } from "./retry.js";
import type { HttpRequest, HttpResponse, ResponseLimit } from "./types.js";

/** A transport's options with their defaults filled in. */
export interface TransportSettings {
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  retryStatuses: ReadonlySet<number>;
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  userAgent: string;
  defaultLimit: ResponseLimit;
  redactor: Redactor;
  logger: Logger;
  /** The environment to read proxy variables from, or undefined when the transport uses no proxy. */
  proxyEnv: Record<string, string | undefined> | undefined;
  pool: AgentPool;
}

/** One request on its way: what every attempt sends, and the state the loop keeps between attempts. */
interface Exchange {
  req: HttpRequest;
  host: string;
  retryable: boolean;
  deadline: number;
  debug: boolean;
  /** Set once a stale pooled connection has been retried at once. */
  reusedSocketRetried: boolean;
}

/** What the loop does after an attempt: return its response, try again after `delayMs`, or again at once. */
type Next = { response: HttpResponse } | { delayMs: number } | { immediately: true };

/**
 * Sends a request with bounded retries: failures and retryable statuses are retried with backoff (or the
 * server's Retry-After) while the attempts, the deadline and the caller's signal allow; otherwise one
 * {@link TransportError} says what happened.
 */
export async function sendWithRetries(settings: TransportSettings, req: HttpRequest): Promise<HttpResponse> {
  const url = parseRequestUrl(settings, req.url);
  const host = url.host;
  const proxy = settings.proxyEnv ? proxyForUrl(url, settings.proxyEnv) : undefined;
  const mods = await loadNodeModules();
  const agents = settings.pool.get(mods);
  const body = req.body === undefined ? undefined : toBuffer(req.body);
  const headers = buildHeaders(req, body, settings.userAgent);
  const attemptLimit = req.timeoutMs ?? settings.timeoutMs;
  const exchange: Exchange = {
    req,
    host,
    retryable: isRetryable(req),
    deadline: settings.now() + settings.deadlineMs,
    debug: settings.logger.enabled("debug"),
    reusedSocketRetried: false,
  };
  const send: SendOptions = {
    mods,
    url,
    proxy,
    agent: proxy && url.protocol === "https:" ? settings.pool.tunnel(mods, agents, proxy) : undefined,
    agents,
    method: req.method,
    headers,
    body,
    timeoutMs: attemptLimit,
    signal: req.signal,
    originalUrl: req.url,
    limit: req.responseLimit ?? settings.defaultLimit,
  };

  if (req.signal?.aborted) throw new TransportError(`Request to ${host} was cancelled.`, "aborted", { host });

  for (let attempt = 1; ; attempt++) {
    const remaining = exchange.deadline - settings.now();
    if (remaining <= 0) {
      throw new TransportError(
        `Gave up on ${host} after ${plural(attempt - 1, "attempt")}: the ${formatDuration(settings.deadlineMs)} limit for this request has passed.`,
        "deadline",
        { host, attempts: attempt - 1 },
      );
    }
    const attemptStarted = settings.now();
    if (exchange.debug) {
      settings.logger.debug("http request", {
        method: req.method,
        url: safeUrl(settings, req.url),
        attempt,
        proxy: proxy ? proxy.host : undefined,
        formKeys: formKeysOf(headers, body),
      });
    }
    const timeoutMs = Math.max(1, Math.min(attemptLimit, remaining));
    const next = await sendOnce({ ...send, timeoutMs }).then(
      (response) => afterResponse(settings, exchange, response, attempt, attemptStarted),
      (error: unknown) => afterFailure(settings, exchange, error, send, attempt, attemptStarted),
    );
    if ("response" in next) return next.response;
    if ("delayMs" in next) await waitOrCancel(settings, exchange, next.delayMs, attempt);
  }
}

function safeUrl(settings: TransportSettings, url: string): string {
  return settings.redactor.redact(redactUrl(url));
}

function parseRequestUrl(settings: TransportSettings, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MsintError(`"${safeUrl(settings, String(raw))}" is not an absolute URL.`, {
      code: "invalid_url",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MsintError(`Only http and https URLs can be requested, not ${url.protocol}.`, {
      code: "invalid_url",
    });
  }
  return url;
}

/** A failed attempt: resend at once (stale pooled socket), retry after a backoff, or throw its message. */
function afterFailure(
  settings: TransportSettings,
  exchange: Exchange,
  error: unknown,
  send: SendOptions,
  attempt: number,
  attemptStarted: number,
): Next {
  const { host, req } = exchange;
  const failure = classifyFailure(error, {
    url: send.url,
    proxy: send.proxy,
    timeoutMs: settings.timeoutMs,
    redactor: settings.redactor,
  });
  if (exchange.debug) {
    settings.logger.debug("http failure", {
      method: req.method,
      url: safeUrl(settings, req.url),
      attempt,
      kind: failure.kind,
      durationMs: settings.now() - attemptStarted,
    });
  }
  const fail = () =>
    new TransportError(settings.redactor.redact(failure.message(attempt)), failure.kind, {
      host,
      attempts: attempt,
      cause: error,
    });
  // A pooled keep-alive connection the server had already closed: the request never reached it, so one
  // immediate resend is safe whatever the method (Node's documented pattern for reusedSocket).
  const staleSocket =
    (error as { reusedSocket?: boolean }).reusedSocket === true &&
    (error as NodeJS.ErrnoException).code === "ECONNRESET" &&
    !exchange.reusedSocketRetried;
  if (staleSocket) {
    exchange.reusedSocketRetried = true;
    return { immediately: true };
  }
  if (!exchange.retryable || !failure.retryable || attempt > settings.maxRetries) throw fail();
  const delay = backoffMs(attempt, settings.random);
  if (settings.now() + delay >= exchange.deadline) throw fail();
  return { delayMs: delay };
}

/** An answer: returned as it is unless its status is retried, then retried after Retry-After or a backoff. */
function afterResponse(
  settings: TransportSettings,
  exchange: Exchange,
  response: HttpResponse,
  attempt: number,
  attemptStarted: number,
): Next {
  const { host, req } = exchange;
  if (exchange.debug) {
    settings.logger.debug("http response", {
      method: req.method,
      url: safeUrl(settings, req.url),
      status: response.status,
      attempt,
      durationMs: settings.now() - attemptStarted,
    });
  }
  if (!exchange.retryable || !settings.retryStatuses.has(response.status)) return { response };

  const statusText = `HTTP ${response.status}`;
  const summary = describeBody(response.body);
  const last = summary ? ` Last response: ${settings.redactor.redact(summary)}` : "";
  const details = { host, attempts: attempt, status: response.status };
  const requested = retryAfterMs(response.headers, settings.now());
  if (requested !== undefined && requested > settings.maxRetryAfterMs) {
    throw new TransportError(
      `${host} asked to wait ${formatDuration(requested)} before retrying (${statusText}), longer than the ${formatDuration(settings.maxRetryAfterMs)} this command waits. Try again later.${last}`,
      "throttled",
      details,
    );
  }
  if (attempt > settings.maxRetries) {
    throw new TransportError(
      `${host} still answered ${statusText} after ${plural(attempt, "attempt")}. Try again later.${last}`,
      "retries_exhausted",
      details,
    );
  }
  const delay = requested ?? backoffMs(attempt, settings.random);
  if (settings.now() + delay > exchange.deadline) {
    throw new TransportError(
      `Gave up on ${host} after ${plural(attempt, "attempt")} (${statusText}): waiting ${formatDuration(delay)} more would pass the ${formatDuration(settings.deadlineMs)} limit for this request. Try again later.${last}`,
      "deadline",
      details,
    );
  }
  if (exchange.debug) {
    settings.logger.debug("http retry", {
      url: safeUrl(settings, req.url),
      status: response.status,
      delayMs: delay,
    });
  }
  return { delayMs: delay };
}

/** Waits between attempts; the caller's signal cuts the wait short with an "aborted" error. */
async function waitOrCancel(
  settings: TransportSettings,
  exchange: Exchange,
  ms: number,
  attempt: number,
): Promise<void> {
  const { host, req } = exchange;
  await wait(settings, ms, req.signal).catch(() => {
    throw new TransportError(`Request to ${host} was cancelled.`, "aborted", { host, attempts: attempt });
  });
}

async function wait(settings: TransportSettings, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return settings.sleep(ms);
  if (signal.aborted) throw new Aborted();
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      settings.sleep(ms),
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(new Aborted());
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
