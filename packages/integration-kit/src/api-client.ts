import { randomUUID } from "node:crypto";
import {
  ApiError,
  type HttpRequest,
  type HttpResponse,
  type Transport,
  translateApiError,
  withSpan,
} from "@msint/auth-core/internal";
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
   * How a successful answer is read: parsed as JSON (the default), or returned as text, as it came (XML services
   * such as Azure Storage, file contents).
   */
  responseType?: "json" | "text";
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
}

/** The User-Agent of msint's API requests: `msint/<version> <integration>/<version>`. */
export function userAgent(integration?: { id: string; version?: string | undefined }): string {
  if (!integration) return `msint/${KIT_VERSION}`;
  return `msint/${KIT_VERSION} ${integration.id}${integration.version ? `/${integration.version}` : ""}`;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = new URL(options.baseUrl.replace(/\/*$/, "/"));
  const agent = userAgent(options.integration);

  const urlFor = (path: string, query: ApiRequest["query"], extra?: Record<string, string>): string => {
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
  };

  const request = async <T>(apiRequest: ApiRequest): Promise<T> => {
    urlFor(apiRequest.path, apiRequest.query); // refuse foreign hosts before any credential is obtained
    const method = apiRequest.method ?? "GET";
    const send = async (forceRefresh: boolean) => {
      const authorization = await options.authorize(forceRefresh);
      const { fromCache } = authorization;
      const url = urlFor(apiRequest.path, apiRequest.query, authorization.query);
      // A fresh id per request, so a user can quote the one of a failed call to Microsoft support; a command that
      // names its own (Data Explorer's client activity ID, as XSOAR lets users set it) keeps it.
      const clientRequestId =
        apiRequest.headers?.["x-ms-client-request-id"] ??
        options.headers?.["x-ms-client-request-id"] ??
        randomUUID();
      const headers: Record<string, string> = {
        accept: apiRequest.responseType === "text" ? "*/*" : "application/json",
        "user-agent": agent,
        ...options.headers,
        ...apiRequest.headers,
        ...authorization.headers,
        "x-ms-client-request-id": clientRequestId,
      };
      let body: string | undefined;
      if (apiRequest.body !== undefined) {
        headers["content-type"] ??= "application/json";
        body = typeof apiRequest.body === "string" ? apiRequest.body : JSON.stringify(apiRequest.body);
      }
      const target = new URL(url);
      // Span attributes: method, host, path and ids only; the query (a SAS signature) and headers stay out.
      const response = await withSpan(
        `msint.api ${method}`,
        {
          "http.request.method": method,
          "server.address": target.hostname,
          "url.path": target.pathname,
          "msint.client_request_id": clientRequestId,
        },
        async (span) => {
          const answer = await options.transport.request({ method, url, headers, body });
          span.setAttribute("http.response.status_code", answer.status);
          return answer;
        },
      );
      return { response, fromCache, clientRequestId };
    };
    let { response, fromCache, clientRequestId } = await send(false);
    if (response.status === 401 && fromCache) {
      // The API no longer accepts the cached token (revoked, or the app's permissions changed): get a new one once.
      ({ response, clientRequestId } = await send(true));
    }
    if (response.status >= 400) {
      throw translateApiError(response.status, response.body, {
        commandPrefix: options.commandPrefix,
        headers: response.headers,
        clientRequestId,
      });
    }
    const expected: Expectation =
      apiRequest.expect ?? ((apiRequest.method ?? "GET") === "GET" ? "object" : "optional-object");
    if (response.status < 200 || response.status >= 300)
      throw notSuccess(response, expected, clientRequestId);
    if (apiRequest.responseType === "text") return response.body as T;
    return readJson(response, expected, clientRequestId) as T;
  };

  const service = options.serviceName ?? "The API";
  const command = options.commandName ?? "the command";

  const wanted = (expected: Expectation): string =>
    expected === "array"
      ? `the JSON array ${command} expects`
      : expected === "collection"
        ? `the JSON list (an object with a "value" array) ${command} expects`
        : `the JSON object ${command} expects`;

  const contentType = (response: HttpResponse): string =>
    (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();

  /** The line a user quotes to Microsoft support, as API errors end (see translateApiError). */
  const support = (clientRequestId: string): string =>
    `\nFor Microsoft support: client-request-id ${clientRequestId}.`;

  const answered = (
    response: HttpResponse,
    what: string,
    expected: Expectation,
    clientRequestId: string,
  ): ApiError =>
    new ApiError(
      `${service} answered ${response.status} with ${what}, not ${wanted(expected)}.${support(clientRequestId)}`,
      { status: response.status, code: "unexpected_answer", clientRequestId },
    );

  /** A 1xx or 3xx: never followed (a redirect could take the token to another host). */
  const notSuccess = (response: HttpResponse, expected: Expectation, clientRequestId: string): ApiError => {
    const location = response.headers["location"];
    if (response.status >= 300 && response.status < 400) {
      let target = "";
      if (location) {
        try {
          target = ` to ${new URL(location, base).origin}`;
        } catch {
          target = " to an invalid location";
        }
      }
      return new ApiError(
        `${service} answered ${response.status} (a redirect${target}) instead of ${wanted(expected)}. msint does not follow redirects, so the instance's token never goes to another host: check Server URL (or Azure Cloud) and the proxy settings.${support(clientRequestId)}`,
        { status: response.status, code: "unexpected_redirect", clientRequestId },
      );
    }
    return answered(response, `no final answer`, expected, clientRequestId);
  };

  const readJson = (response: HttpResponse, expected: Expectation, clientRequestId: string): unknown => {
    if (expected === "none") return undefined;
    const type = contentType(response);
    const empty = response.status === 204 || response.body.trim() === "";
    if (empty) {
      if (expected === "optional-object") return undefined;
      throw answered(
        response,
        response.status === 204 ? "no content (204)" : `an empty body${type ? ` (${type})` : ""}`,
        expected,
        clientRequestId,
      );
    }
    if (type !== "" && !/[/+]json$/.test(type) && type !== "text/json") {
      throw answered(response, `${type}${bodyTaste(response.body)}`, expected, clientRequestId);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      throw answered(
        response,
        `a body that is not JSON (${type || "no content type"})${bodyTaste(response.body)}`,
        expected,
        clientRequestId,
      );
    }
    const problem = shapeProblem(parsed, expected);
    if (problem !== undefined)
      throw answered(response, `${problem} (${type || "no content type"})`, expected, clientRequestId);
    return parsed;
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

/** A few words of a body that was not what was expected: enough to recognise a portal's page, never a dump. */
function bodyTaste(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return "";
  return ` (${text.length > 80 ? `${text.slice(0, 80)}…` : text})`;
}

/** "null", "an empty array", "a string"… for a JSON value that is not the expected shape. */
function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty JSON array" : "a JSON array";
  if (typeof value === "object") return "a JSON object";
  return `a JSON ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What is wrong with `value` for `expected`, or undefined when it fits. */
function shapeProblem(value: unknown, expected: Expectation): string | undefined {
  if (expected === "object" || expected === "optional-object") {
    return isRecord(value) ? undefined : describeJson(value);
  }
  if (expected === "array") {
    if (!Array.isArray(value)) return describeJson(value);
    const index = value.findIndex((item) => !isRecord(item));
    return index < 0 ? undefined : `a JSON array whose item ${index + 1} is ${describeJson(value[index])}`;
  }
  if (expected === "collection") {
    if (!isRecord(value)) return describeJson(value);
    const items = value["value"];
    if (!Array.isArray(items)) {
      return items === undefined
        ? 'a JSON object without a "value" array'
        : `a JSON object whose "value" is ${describeJson(items)}`;
    }
    const index = items.findIndex((item) => !isRecord(item));
    if (index >= 0) return `a "value" array whose item ${index + 1} is ${describeJson(items[index])}`;
    for (const link of ["nextLink", "@odata.nextLink"]) {
      const next = value[link];
      if (next !== undefined && next !== null && typeof next !== "string") {
        return `a "${link}" that is ${describeJson(next)}, not a URL`;
      }
    }
  }
  return undefined;
}
