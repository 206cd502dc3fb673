import { TOKEN_RESPONSE_LIMIT } from "./node-transport.js";
import type { HttpMethod, HttpResponse, Transport } from "./types.js";

/** The request options MSAL passes to its network client (structurally `NetworkRequestOptions`). */
export interface MsalNetworkRequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

/** What MSAL expects back (structurally `NetworkResponse<T>`): the body already parsed from JSON. */
export interface MsalNetworkResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** MSAL's `INetworkModule`, typed structurally so msal-node is not needed to import this module. */
export interface MsalNetworkClient {
  sendGetRequestAsync<T>(
    url: string,
    options?: MsalNetworkRequestOptions,
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>>;
  sendPostRequestAsync<T>(url: string, options?: MsalNetworkRequestOptions): Promise<MsalNetworkResponse<T>>;
}

/** Options of {@link adaptToMsalNetworkClient}. */
export interface MsalNetworkClientOptions {
  /** Sees every raw response (before JSON parsing), e.g. to keep a non-JSON error page for the error message. */
  onResponse?: (response: HttpResponse) => void;
}

function parseJsonBody(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  try {
    const parsed: unknown = JSON.parse(trimmed);
    // MSAL reads fields of the body unconditionally: anything but an object becomes an empty one.
    return parsed !== null && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Wraps a transport as MSAL's `system.networkClient`, so MSAL's token and metadata requests get the transport's
 * timeouts, retries, proxy and TLS settings. Non-JSON bodies become `{}`; MSAL then judges the status itself.
 * Transport failures are thrown as they are (MSAL wraps them; the flows keep the original for their message).
 */
export function adaptToMsalNetworkClient(
  transport: Transport,
  options: MsalNetworkClientOptions = {},
): MsalNetworkClient {
  const send = async <T>(
    method: HttpMethod,
    url: string,
    request: MsalNetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>> => {
    const response = await transport.request({
      method,
      url,
      ...(request?.headers ? { headers: { ...request.headers } } : {}),
      ...(method === "POST" ? { body: request?.body ?? "" } : {}),
      ...(typeof timeout === "number" && timeout > 0 ? { timeoutMs: timeout } : {}),
      // MSAL asks only token endpoints and their metadata.
      responseLimit: TOKEN_RESPONSE_LIMIT,
    });
    options.onResponse?.(response);
    return { status: response.status, headers: response.headers, body: parseJsonBody(response.body) as T };
  };
  return {
    sendGetRequestAsync: (url, request, timeout) => send("GET", url, request, timeout),
    sendPostRequestAsync: (url, request) => send("POST", url, request),
  };
}
