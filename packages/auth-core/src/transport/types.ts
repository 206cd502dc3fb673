import type { Logger } from "../log.js";
import type { Redactor } from "../redact.js";

/** HTTP methods the product uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** One HTTP request. */
export interface HttpRequest {
  method: HttpMethod;
  /** Absolute `http:` or `https:` URL. */
  url: string;
  /** Header names in any case; sent as given. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Timeout of each attempt; defaults to the transport's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Whether failed attempts may be repeated. Defaults to true for GET, HEAD, PUT and DELETE and for POSTs with
   * a form body (token requests, which are safe to resend); false otherwise.
   */
  retry?: boolean;
  signal?: AbortSignal;
  /**
   * The most bytes of a successful answer read (after decompression); more stops the reading and fails with one
   * message naming the limit and the host. Defaults to the transport's `maxResponseBytes`. `what` names the
   * limit in that message ("a token endpoint's answer").
   */
  responseLimit?: ResponseLimit;
}

/** A cap on the body of a response; see {@link HttpRequest.responseLimit}. */
export interface ResponseLimit {
  bytes: number;
  /** What is capped, for the message: "a token endpoint's answer", "an API answer". */
  what: string;
  /** A sentence the message ends with, e.g. how to raise the limit. */
  hint?: string;
}

/** The final response of a request. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decoded (gzip, deflate, br) and read as UTF-8. */
  body: string;
  /** The URL that was requested. */
  url: string;
  /**
   * Set when the body of an error answer (status 400 or more) was longer than the transport keeps of one
   * (`ERROR_BODY_MAX_BYTES`): `body` then holds its beginning only.
   */
  bodyTruncated?: boolean;
}

/** Sends HTTP requests; the only way the product talks to the network. */
export interface Transport {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  /** Timeout of one attempt (connect, headers and body), default 30 000 ms. */
  timeoutMs?: number;
  /** Limit for all attempts and waits together, default 120 000 ms. */
  deadlineMs?: number;
  /** Retries after the first attempt, default 3. */
  maxRetries?: number;
  /** Statuses that are retried, default 408, 429, 500, 502, 503 and 504. */
  retryStatuses?: readonly number[];
  /**
   * Longest `Retry-After` honoured, default 60 000 ms. A longer one, or one that would pass the deadline, fails
   * the request at once with a message saying when to try again.
   */
  maxRetryAfterMs?: number;
  /** Skip TLS certificate verification for this transport's connections only (instance flag "insecure"). */
  insecure?: boolean;
  /**
   * Use HTTPS_PROXY / HTTP_PROXY (either case) honouring NO_PROXY (instance flag "proxy"). Default false:
   * proxy variables are ignored unless the instance asks for them.
   */
  proxy?: boolean;
  /** A PEM bundle trusted in addition to the default CAs (and NODE_EXTRA_CA_CERTS). */
  caFile?: string;
  logger?: Logger;
  /** Applied to URLs and messages in logs and errors; defaults to the process-wide redactor. */
  redactor?: Redactor;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in ms since the epoch; injectable for tests. */
  now?: () => number;
  /** Random number in [0, 1) for backoff jitter; injectable for tests. */
  random?: () => number;
  userAgent?: string;
  /**
   * The most bytes of an answer read by default (after decompression), 64 MiB; see
   * {@link HttpRequest.responseLimit}.
   */
  maxResponseBytes?: number;
  /** The last sentence of the message when an answer passes `maxResponseBytes` (how to raise it). */
  maxResponseHint?: string;
  /** Environment read for proxy variables; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}
