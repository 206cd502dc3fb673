import type { HttpRequest } from "./types.js";

/** First backoff step when the server gives no Retry-After. */
export const BACKOFF_BASE_MS = 500;
/** Longest backoff step. */
export const BACKOFF_CAP_MS = 8_000;

/**
 * The wait a response asks for, in ms: `retry-after-ms` / `x-ms-retry-after-ms` (Azure), else `Retry-After` as
 * seconds or as an HTTP date (relative to `nowMs`). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Record<string, string>, nowMs: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = headers[name]?.trim();
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  }
  return parseRetryAfter(headers["retry-after"], nowMs);
}

/** Parses a `Retry-After` value (delta seconds or HTTP date) into ms from `nowMs`; never negative. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only real dates: Date.parse accepts bare numbers such as "-1" and other odd input.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with jitter for retry number `retry` (1 for the first retry): the step doubles from
 * 500 ms up to 8 s, and the wait is a random point in its upper half, so clients that failed together do not
 * come back together.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
  const jitter = Math.min(0.999_999, Math.max(0, random()));
  return Math.round(step / 2 + (step / 2) * jitter);
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/**
 * Whether a request may be sent again after a failure when the caller did not say: idempotent methods, and
 * form POSTs (OAuth token requests), which the identity platform treats as safe to resend.
 */
export function isRetryable(req: HttpRequest): boolean {
  if (req.retry !== undefined) return req.retry;
  switch (req.method) {
    case "GET":
    case "HEAD":
    case "PUT":
    case "DELETE":
      return true;
    case "POST":
      return /^application\/x-www-form-urlencoded\b/i.test(headerValue(req.headers, "content-type") ?? "");
    default:
      return false;
  }
}

/** "250 ms", "1.5 s", "30 s", "2 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) {
    const seconds = ms / 1000;
    return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  }
  const minutes = ms / 60_000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

/** "256 KiB", "64 MiB", "1.5 MiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, "GiB"],
    [1024 * 1024, "MiB"],
    [1024, "KiB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}
