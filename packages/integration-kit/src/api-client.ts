import { ApiError, type HttpRequest, type Transport, translateApiError } from "@msint/auth-core";

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
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = new URL(options.baseUrl.replace(/\/*$/, "/"));

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
    const send = async (forceRefresh: boolean) => {
      const authorization = await options.authorize(forceRefresh);
      const { fromCache } = authorization;
      const url = urlFor(apiRequest.path, apiRequest.query, authorization.query);
      const headers: Record<string, string> = {
        accept: apiRequest.responseType === "text" ? "*/*" : "application/json",
        ...options.headers,
        ...apiRequest.headers,
        ...authorization.headers,
      };
      let body: string | undefined;
      if (apiRequest.body !== undefined) {
        headers["content-type"] ??= "application/json";
        body = typeof apiRequest.body === "string" ? apiRequest.body : JSON.stringify(apiRequest.body);
      }
      const response = await options.transport.request({
        method: apiRequest.method ?? "GET",
        url,
        headers,
        body,
      });
      return { response, fromCache };
    };
    let { response, fromCache } = await send(false);
    if (response.status === 401 && fromCache) {
      // The API no longer accepts the cached token (revoked, or the app's permissions changed): get a new one once.
      ({ response } = await send(true));
    }
    if (response.status >= 400) {
      throw translateApiError(response.status, response.body, { commandPrefix: options.commandPrefix });
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
