import { jsonReply, type Reply } from "./http.js";
import type { ErrorDialect } from "./types.js";

/** Per-request identifiers every error body carries. */
export interface Correlation {
  /** Emulator clock, epoch ms. */
  now: number;
  /** Server-side request ID (Entra's trace ID, Graph's request-id). */
  traceId: string;
  /** The caller's `client-request-id` header, when sent. */
  clientRequestId: string | undefined;
}

/** Entra's timestamp format: `2026-11-26 06:00:00Z`. */
export function entraTimestamp(now: number): string {
  return `${new Date(now).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Headers Entra sets on every token-endpoint answer. */
export function entraHeaders(correlation: Correlation): Record<string, string> {
  const headers: Record<string, string> = {
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    "x-ms-request-id": correlation.traceId,
    "x-ms-ests-server": "2.1.0 - msint entra-emulator",
  };
  if (correlation.clientRequestId) headers["client-request-id"] = correlation.clientRequestId;
  return headers;
}

/** An Entra OAuth error (`error`, `error_description` with trace lines, `error_codes`, …). */
export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  message: string;
}

/** Entra's `error_description`: `AADSTSnnn: message` and the trace, correlation and timestamp lines. */
export function entraDescription(spec: EntraErrorSpec, correlation: Correlation): string {
  const correlationId = correlation.clientRequestId ?? correlation.traceId;
  return (
    `AADSTS${spec.code}: ${spec.message}\r\nTrace ID: ${correlation.traceId}\r\n` +
    `Correlation ID: ${correlationId}\r\nTimestamp: ${entraTimestamp(correlation.now)}`
  );
}

/** Build the Entra error body exactly as the v2 token endpoint does. */
export function entraError(
  spec: EntraErrorSpec,
  correlation: Correlation,
  extraHeaders: Record<string, string> = {},
): Reply {
  const timestamp = entraTimestamp(correlation.now);
  const correlationId = correlation.clientRequestId ?? correlation.traceId;
  const body = {
    error: spec.error,
    error_description: entraDescription(spec, correlation),
    error_codes: [spec.code],
    timestamp,
    trace_id: correlation.traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
  };
  return jsonReply(spec.status, body, { ...entraHeaders(correlation), ...extraHeaders });
}

/** The AADSTS catalogue: Entra's `error`, status and wording per condition. */
export const aadsts = {
  tenantNotFound: (tenant: string, error = "invalid_request"): EntraErrorSpec => ({
    status: 400,
    error,
    code: 90002,
    message:
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the ` +
      "correct cloud. Check with your subscription administrator, this may happen if there are no active " +
      "subscriptions for the tenant.",
  }),
  missingParameter: (name: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  postOnly: (method: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 900561,
    message: `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
  }),
  unsupportedGrantType: (grantType: string): EntraErrorSpec => ({
    status: 400,
    error: "unsupported_grant_type",
    code: 70003,
    message: `The app requested an unsupported grant type '${grantType}'.`,
  }),
  appNotFound: (clientId: string, tenantName: string): EntraErrorSpec => ({
    status: 400,
    error: "unauthorized_client",
    code: 700016,
    message:
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen ` +
      "if the application has not been installed by the administrator of the tenant or consented to by any user " +
      "in the tenant. You may have sent your authentication request to the wrong tenant.",
  }),
  missingClientCredential: (): EntraErrorSpec => ({
    status: 401,
    error: "invalid_client",
    code: 7000218,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  invalidClientSecret: (clientId: string): EntraErrorSpec => ({
    status: 401,
    error: "invalid_client",
    code: 7000215,
    message:
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
      `not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  expiredClientSecret: (clientId: string): EntraErrorSpec => ({
    status: 401,
    error: "invalid_client",
    code: 7000222,
    message:
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new ` +
      "keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added " +
      "security: https://aka.ms/certCreds.",
  }),
  publicClientCredential: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_client",
    code: 700025,
    message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
  }),
  missingScope: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_scope",
    code: 70011,
    message: "The provided request must include a 'scope' input parameter.",
  }),
  invalidScope: (scope: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_scope",
    code: 70011,
    message: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  }),
  multipleResources: (scope: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_scope",
    code: 700022,
    message:
      "The provided value for the input parameter scope is not valid because it contains more than one " +
      `resource. Scope ${scope} is not valid.`,
  }),
  resourceNotFound: (resource: string, tenantName: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_resource",
    code: 500011,
    message:
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen ` +
      "if the application has not been installed by the administrator of the tenant or consented to by any user " +
      "in the tenant. You might have sent your authentication request to the wrong tenant.",
  }),
  resourceParameter: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 901002,
    message: "The 'resource' request parameter is not supported.",
  }),
  requestTooLarge: (): EntraErrorSpec => ({
    status: 413,
    error: "invalid_request",
    code: 90014,
    message: "The request body exceeds the 1024 KiB the emulator accepts.",
  }),
  throttled: (status: number): EntraErrorSpec => ({
    status,
    error: "temporarily_unavailable",
    code: 50196,
    message:
      "The server terminated an operation because it encountered a client request loop. Please contact your " +
      "app vendor.",
  }),
  transient: (status: number): EntraErrorSpec => ({
    status,
    error: "temporarily_unavailable",
    code: 90033,
    message: "A transient error has occurred. Please try again.",
  }),
  serverError: (status: number): EntraErrorSpec => ({
    status,
    error: "server_error",
    code: 50000,
    message: "There was an error issuing a token or an issue with our sign-in service.",
  }),
  invalidParameter: (name: string, detail: string): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 90100,
    message: `The value of parameter '${name}' is not valid. ${detail}`,
  }),
  badRequest: (status: number, message: string): EntraErrorSpec => ({
    status,
    error: "invalid_request",
    code: 90100,
    message,
  }),
} as const;

/** An Entra error for an arbitrary status (faults, internal failures). */
export function entraErrorForStatus(status: number): EntraErrorSpec {
  if (status === 429) return aadsts.throttled(status);
  if (status === 503 || status === 502 || status === 504) return aadsts.transient(status);
  if (status >= 500) return aadsts.serverError(status);
  if (status === 413) return aadsts.requestTooLarge();
  return aadsts.badRequest(status, "The request is not valid.");
}

/** Graph's `innerError.date`: ISO without milliseconds or zone. */
function graphDate(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

/** Build a resource-API error in the given dialect. */
export function resourceError(
  dialect: ErrorDialect,
  status: number,
  code: string,
  message: string,
  correlation: Correlation,
  extraHeaders: Record<string, string> = {},
): Reply {
  const headers: Record<string, string> = { "request-id": correlation.traceId };
  if (correlation.clientRequestId) headers["client-request-id"] = correlation.clientRequestId;
  if (dialect === "graph") {
    const body = {
      error: {
        code,
        message,
        innerError: {
          date: graphDate(correlation.now),
          "request-id": correlation.traceId,
          "client-request-id": correlation.clientRequestId ?? correlation.traceId,
        },
      },
    };
    return jsonReply(status, body, { ...headers, ...extraHeaders });
  }
  return jsonReply(
    status,
    { error: { code, message } },
    { ...headers, "x-ms-request-id": correlation.traceId, ...extraHeaders },
  );
}

/** Code and message of a resource-API error for an arbitrary status (faults, internal failures). */
export function resourceErrorForStatus(
  dialect: ErrorDialect,
  status: number,
): { code: string; message: string } {
  const graph = dialect === "graph";
  if (status === 429) {
    return {
      code: "TooManyRequests",
      message: graph
        ? "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed."
        : "The request is being throttled. Please retry after the time given in the Retry-After header.",
    };
  }
  if (status === 503) {
    return {
      code: graph ? "serviceNotAvailable" : "ServiceUnavailable",
      message:
        "The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request " +
        "after a delay, which may be specified in a Retry-After header.",
    };
  }
  if (status === 504)
    return { code: graph ? "UnknownError" : "GatewayTimeout", message: "The gateway timed out." };
  if (status >= 500) {
    return {
      code: graph ? "generalException" : "InternalServerError",
      message: "An unspecified error has occurred.",
    };
  }
  if (status === 413) {
    return {
      code: "RequestEntityTooLarge",
      message: "The request body exceeds the 1024 KiB the emulator accepts.",
    };
  }
  if (status === 404)
    return { code: graph ? "ResourceNotFound" : "NotFound", message: "Resource not found." };
  if (status === 401)
    return { code: "InvalidAuthenticationToken", message: "Access token validation failure." };
  if (status === 403)
    return { code: graph ? "Authorization_RequestDenied" : "AuthorizationFailed", message: "Forbidden." };
  return { code: "BadRequest", message: "The request is not valid." };
}
