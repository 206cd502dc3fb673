import { randomUUID } from "node:crypto";
import {
  ApiError,
  type HttpRequest,
  type Transport,
  translateApiError,
  withSpan,
} from "@msint/auth-core/internal";
import { type AnswerContext, notSuccess, readJson } from "./api-answers.js";
import { KIT_VERSION } from "./version.js";

/**
 * The shape of a successful answer a command relies on; anything else is one clear error naming the status and
 * the content type, never an empty table or a crash:
 * - `object`: a JSON object (an entity; the default of GET);
 * - `array`: a JSON array of objects;
 * - `collection`: a JSON object whose `value` is an array of objects (an OData / ARM list page), with a string
 *   `nextLink` / `@odata.nextLink` if any;
 * - `optional-object`: nothing (204, an empty body) or a JSON object (the default of POST, PUT, PATCH, DELETE);
 * - `none`: any successful answer; its body is not read.
 */
export type Expectation = "object" | "array" | "collection" | "optional-object" | "none";

export interface ApiRequest {
  method?: HttpRequest["method"];
  /** Path under the API root (`/v1.0/users`), or an absolute URL on the same origin (a `@odata.nextLink`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * How a successful answer is read: parsed as JSON (the default), returned as text, as it came (XML services
   * such as Azure Storage, file contents), or `headers`: the answer's headers (lower-case names), its body unread
   * (Azure Storage's Get Blob Properties and Get Container Properties answer in headers only).
   */
  responseType?: "json" | "text" | "headers";
  /** The shape of the JSON answer; see {@link Expectation}. Default `object` for GET, else `optional-object`. */
  expect?: Expectation;
}

/** Options of {@link ApiClient.get}. */
export interface GetOptions {
  expect?: Expectation;
  headers?: Record<string, string>;
}

/** How one request is authorized. */
export interface Authorization {
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** True when a cached credential was used (a 401 then earns one retry with a fresh one). */
  fromCache: boolean;
}

/** Bearer authorization from a token provider's result. */
export function bearer(result: { token: string; fromCache: boolean }): Authorization {
  return { headers: { authorization: `Bearer ${result.token}` }, fromCache: result.fromCache };
}

/** HTTP client for an integration's API: the instance's cloud endpoint, a bearer token, errors made readable. */
export interface ApiClient {
  readonly baseUrl: string;
  request<T = unknown>(request: ApiRequest): Promise<T>;
  /** GET of a JSON answer, checked against `options.expect` (default: a JSON object). */
  get<T = unknown>(path: string, query?: ApiRequest["query"], options?: GetOptions): Promise<T>;
  /** GET whose answer is returned as text (`responseType: "text"`); "" for an empty answer. */
  getText(path: string, query?: ApiRequest["query"], headers?: Record<string, string>): Promise<string>;
}

export interface ApiClientOptions {
  baseUrl: string;
  transport: Transport;
  /**
   * Authorizes a request: a bearer token header, or query parameters (an account SAS token). `forceRefresh`
   * comes after the API rejected a cached token.
   */
  authorize: (forceRefresh: boolean) => Promise<Authorization>;
  /** Headers every request carries (e.g. `x-ms-version`). */
  headers?: Readonly<Record<string, string>>;
  commandPrefix: string;
  /** The service as messages name it ("Microsoft Graph"); default "The API". */
  serviceName?: string;
  /** The command whose requests these are ("msgraph-user-list"), for "not the JSON object … expects". */
  commandName?: string;
  /**
   * The integration, for the User-Agent `msint/<kit version> <id>/<version>` (Microsoft's service logs show it);
   * the User-Agent is `msint/<kit version>` alone without it.
   */
  integration?: { id: string; version?: string | undefined } | undefined;
  /** Called with every answer (after a retry, the last one): `-test` records what it reached. */
  onAnswer?: (answer: { method: string; url: string; status: number }) => void;
  /** Added to a 403's message: the permissions the command declares and where to add them. */
  forbiddenAdvice?: string;
}

/** The User-Agent of msint's API requests: `msint/<version> <integration>/<version>`. */
export function userAgent(integration?: { id: string; version?: string | undefined }): string {
  if (!integration) return `msint/${KIT_VERSION}`;
  return `msint/${KIT_VERSION} ${integration.id}${integration.version ? `/${integration.version}` : ""}`;
}

/** The URL of `path` under the API root, with the query; an ApiError for another host. */
function urlFor(base: URL, path: string, query: ApiRequest["query"], extra?: Record<string, string>): string {
  const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\/+/, ""), base);
  if (url.origin !== base.origin) {
    // Never send the instance's token to another host.
    throw new ApiError(
      `Refusing to call ${url.origin}: it is not the instance's API endpoint ${base.origin}.`,
    );
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  for (const [key, value] of Object.entries(extra ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** The headers of one attempt: defaults, the client's, the request's, the authorization's, the request id. */
function headersFor(
  options: ApiClientOptions,
  apiRequest: ApiRequest,
  authorization: Authorization,
  clientRequestId: string,
): Record<string, string> {
  return {
    accept:
      apiRequest.responseType === "text" || apiRequest.responseType === "headers"
        ? "*/*"
        : "application/json",
    "user-agent": userAgent(options.integration),
    ...options.headers,
    ...apiRequest.headers,
    ...authorization.headers,
    "x-ms-client-request-id": clientRequestId,
  };
}

/** One attempt of a request: authorize, send through the transport inside a span. */
async function sendOnce(options: ApiClientOptions, base: URL, apiRequest: ApiRequest, forceRefresh: boolean) {
  const method = apiRequest.method ?? "GET";
  const authorization = await options.authorize(forceRefresh);
  const url = urlFor(base, apiRequest.path, apiRequest.query, authorization.query);
  // A fresh id per request, so a user can quote the one of a failed call to Microsoft support; a command that
  // names its own (Data Explorer's client activity ID, as XSOAR lets users set it) keeps it.
  const clientRequestId =
    apiRequest.headers?.["x-ms-client-request-id"] ??
    options.headers?.["x-ms-client-request-id"] ??
    randomUUID();
  const headers = headersFor(options, apiRequest, authorization, clientRequestId);
  let body: string | Uint8Array | undefined;
  if (apiRequest.body !== undefined) {
    headers["content-type"] ??= "application/json";
    // Text and bytes (a file's contents) are sent as they are; anything else as JSON.
    body =
      typeof apiRequest.body === "string" || apiRequest.body instanceof Uint8Array
        ? apiRequest.body
        : JSON.stringify(apiRequest.body);
  }
  const target = new URL(url);
  // Span attributes: method, host, path and ids only; the query (a SAS signature) and headers stay out.
  const attributes = {
    "http.request.method": method,
    "server.address": target.hostname,
    "url.path": target.pathname,
    "msint.client_request_id": clientRequestId,
  };
  const response = await withSpan(`msint.api ${method}`, attributes, async (span) => {
    const answer = await options.transport.request({ method, url, headers, body });
    span.setAttribute("http.response.status_code", answer.status);
    return answer;
  });
  return { response, fromCache: authorization.fromCache, clientRequestId };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = new URL(options.baseUrl.replace(/\/*$/, "/"));
  const answers: AnswerContext = {
    service: options.serviceName ?? "The API",
    command: options.commandName ?? "the command",
    base,
  };
  const request = async <T>(apiRequest: ApiRequest): Promise<T> => {
    urlFor(base, apiRequest.path, apiRequest.query); // refuse foreign hosts before any credential is obtained
    let { response, fromCache, clientRequestId } = await sendOnce(options, base, apiRequest, false);
    if (response.status === 401 && fromCache) {
      // The API no longer accepts the cached token (revoked, or the app's permissions changed): get a new one once.
      ({ response, clientRequestId } = await sendOnce(options, base, apiRequest, true));
    }
    options.onAnswer?.({
      method: apiRequest.method ?? "GET",
      url: urlFor(base, apiRequest.path, undefined),
      status: response.status,
    });
    if (response.status >= 400) {
      const error = translateApiError(response.status, response.body, {
        commandPrefix: options.commandPrefix,
        headers: response.headers,
        clientRequestId,
      });
      if (response.status !== 403 || !options.forbiddenAdvice) throw error;
      throw new ApiError(`${error.message}\n${options.forbiddenAdvice}`, {
        status: 403,
        ...(error.apiMessage === undefined ? {} : { apiMessage: error.apiMessage }),
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        ...(error.clientRequestId === undefined ? {} : { clientRequestId: error.clientRequestId }),
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        code: error.code,
      });
    }
    const expected: Expectation =
      apiRequest.expect ?? ((apiRequest.method ?? "GET") === "GET" ? "object" : "optional-object");
    if (response.status < 200 || response.status >= 300)
      throw notSuccess(answers, response, expected, clientRequestId);
    if (apiRequest.responseType === "text") return response.body as T;
    if (apiRequest.responseType === "headers") {
      return Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ) as T;
    }
    return readJson(answers, response, expected, clientRequestId) as T;
  };
  return {
    baseUrl: base.toString().replace(/\/$/, ""),
    request,
    get: (path, query, getOptions) =>
      request({
        path,
        query,
        ...(getOptions?.expect ? { expect: getOptions.expect } : {}),
        ...(getOptions?.headers ? { headers: getOptions.headers } : {}),
      }),
    getText: (path, query, headers) =>
      request<string>({ path, query, responseType: "text", ...(headers ? { headers } : {}) }),
  };
}
