import { randomUUID } from "node:crypto";
import { ApiError, type HttpRequest, type Transport, translateApiError, withSpan } from "@msint/auth-core";
import { KIT_VERSION } from "./version.js";

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
  get<T = unknown>(path: string, query?: ApiRequest["query"]): Promise<T>;
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
      // A fresh id per request, so a user can quote the one of a failed call to Microsoft support.
      const clientRequestId = randomUUID();
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
    if (apiRequest.responseType === "text") return response.body as T;
    if (response.status === 204 || response.body.trim() === "") return undefined as T;
    try {
      return JSON.parse(response.body) as T;
    } catch {
      throw new ApiError(
        `The API answered ${response.status} with a body that is not JSON (${response.body.slice(0, 80).replace(/\s+/g, " ")}…).`,
      );
    }
  };

  return {
    baseUrl: base.toString().replace(/\/$/, ""),
    request,
    get: (path, query) => request({ path, query }),
    getText: (path, query, headers) =>
      request<string>({ path, query, responseType: "text", ...(headers ? { headers } : {}) }),
  };
}
