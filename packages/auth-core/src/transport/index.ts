/**
 * The one HTTP client of the product: timeouts, bounded retries honouring Retry-After, proxy from the
 * environment with NO_PROXY, extra CA bundles, per-instance `insecure`, and redacted debug logging.
 */
export {
  adaptToMsalNetworkClient,
  type MsalNetworkClient,
  type MsalNetworkClientOptions,
  type MsalNetworkRequestOptions,
  type MsalNetworkResponse,
} from "./msal-network-client.js";
export {
  createTransport,
  ERROR_BODY_MAX_BYTES,
  formatBytes,
  type NodeTransport,
  TOKEN_RESPONSE_LIMIT,
  TRANSPORT_DEFAULTS,
} from "./node-transport.js";
export { isProxyBypassed, proxyForUrl } from "./proxy.js";
export { backoffMs, isRetryable, parseRetryAfter, retryAfterMs } from "./retry.js";
export type {
  HttpMethod,
  HttpRequest,
  HttpResponse,
  ResponseLimit,
  Transport,
  TransportOptions,
} from "./types.js";
