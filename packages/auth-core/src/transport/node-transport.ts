import { getLogger } from "../log.js";
import { getRedactor } from "../redact.js";
import { AgentPool } from "./agents.js";
import { sendWithRetries } from "./retry-loop.js";
import type { ResponseLimit, Transport, TransportOptions } from "./types.js";

// The transport is split by concern: agents.ts (connection pools, CA bundle), proxy.ts (proxy selection and
// CONNECT tunnels), attempt.ts (one attempt on the wire and reading its answer), classify.ts (what a failed
// attempt means for the user), retry-loop.ts (attempts, waits and the deadline).
export { ERROR_BODY_MAX_BYTES } from "./attempt.js";
export { formatBytes } from "./retry.js";

/** A transport with pooled connections; `close()` releases them. */
export interface NodeTransport extends Transport {
  /** Closes idle pooled connections. The transport stays usable. */
  close(): void;
}

/** Defaults of {@link createTransport}. */
export const TRANSPORT_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  deadlineMs: 120_000,
  maxRetries: 3,
  // 500 and 502 are included: Entra ID and the Graph/ARM gateways return them for transient failures, and only
  // requests that are safe to resend (idempotent methods, token POSTs) are retried at all.
  retryStatuses: Object.freeze([408, 429, 500, 502, 503, 504]) as readonly number[],
  maxRetryAfterMs: 60_000,
  userAgent: "msint-auth-core",
  // The largest answer read by default: far above any page of Graph or ARM (a few MiB at most), far below what
  // would exhaust the memory of the machine a playbook runs on.
  maxResponseBytes: 64 * 1024 * 1024,
});

/**
 * The cap on a token endpoint's answer (Entra ID, the broker, a managed identity endpoint): real ones are a few
 * KiB, so 256 KiB leaves room for any token while a misbehaving host cannot make msint buffer megabytes.
 */
export const TOKEN_RESPONSE_LIMIT: Readonly<ResponseLimit> = Object.freeze({
  bytes: 256 * 1024,
  what: "a token endpoint's answer",
});

/** Creates the transport every request of the product goes through (node:http / node:https). */
export function createTransport(options: TransportOptions = {}): NodeTransport {
  const timeoutMs = options.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs;
  const pool = new AgentPool({ insecure: options.insecure, caFile: options.caFile }, timeoutMs);
  const settings = {
    timeoutMs,
    deadlineMs: options.deadlineMs ?? TRANSPORT_DEFAULTS.deadlineMs,
    maxRetries: Math.max(0, options.maxRetries ?? TRANSPORT_DEFAULTS.maxRetries),
    retryStatuses: new Set(options.retryStatuses ?? TRANSPORT_DEFAULTS.retryStatuses),
    maxRetryAfterMs: options.maxRetryAfterMs ?? TRANSPORT_DEFAULTS.maxRetryAfterMs,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? TRANSPORT_DEFAULTS.userAgent,
    defaultLimit: {
      bytes: options.maxResponseBytes ?? TRANSPORT_DEFAULTS.maxResponseBytes,
      what: "an answer",
      ...(options.maxResponseHint ? { hint: options.maxResponseHint } : {}),
    },
    redactor: options.redactor ?? getRedactor(),
    logger: options.logger ?? getLogger().child("transport"),
    proxyEnv: options.proxy ? (options.env ?? process.env) : undefined,
    pool,
  };
  return {
    request: (req) => sendWithRetries(settings, req),
    close: () => pool.close(),
  };
}
