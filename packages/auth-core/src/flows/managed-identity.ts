import { AsyncLocalStorage } from "node:async_hooks";
import type { ManagedIdentityCredential, ManagedIdentityCredentialClientIdOptions } from "@azure/identity";
import type { FetchedToken } from "../context.js";
import {
  cleanAadstsDescription,
  MsintError,
  ParameterError,
  summarizeText,
  TransportError,
} from "../errors.js";
import type { FlowStrategy } from "../strategy.js";
import {
  createTransport,
  type HttpMethod,
  TOKEN_RESPONSE_LIMIT,
  type Transport,
} from "../transport/index.js";
import { fingerprint } from "./msal-support.js";
import { jsonObject, tokenAnswerProblem } from "./oauth-http.js";

/** Display name of the parameter holding a user-assigned identity's client ID. */
export const MANAGED_IDENTITY_CLIENT_ID_PARAMETER = "Azure Managed Identities Client ID";

/** XSOAR's marker for "no client ID: the system-assigned identity". */
export const SYSTEM_ASSIGNED = "SYSTEM_ASSIGNED";

/** Retries after the first attempt, applied by @azure/identity's policies (IMDS: 404, 410, 429, 5xx). */
const DEFAULT_MAX_RETRIES = 3;
/** Per attempt. IMDS answers in milliseconds when it exists; an unroutable 169.254.169.254 must not hang. */
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Pauses before sending again after the endpoint broke a connection mid-answer (reset, truncated body): identity
 * retries statuses only. A refused or unroutable connection is not retried: it means there is no endpoint here.
 */
const BROKEN_CONNECTION_RETRY_DELAYS_MS = [100, 400];

/** Inputs of {@link createManagedIdentityStrategy}. */
export interface ManagedIdentityOptions {
  /** A user-assigned identity's client ID; empty or `SYSTEM_ASSIGNED` for the system-assigned identity. */
  clientId?: string | undefined;
  /**
   * The resource to get a token for (e.g. `https://management.azure.com/`). Default: from the single scope asked
   * for, `<resource>/.default` → `<resource>`.
   */
  resource?: string | undefined;
  /**
   * Sends the requests (IMDS, App Service, Arc…). Default: a transport without proxy and with a
   * {@link DEFAULT_TIMEOUT_MS} timeout per attempt. Managed identity endpoints are local to the host: never pass
   * a transport that goes through a proxy.
   */
  transport?: Transport | undefined;
  /** Retries after the first attempt (default 3), so a failing endpoint gives up within seconds. */
  maxRetries?: number | undefined;
  /** Per-attempt timeout of the default transport, ms. */
  timeoutMs?: number | undefined;
}

/** Types of @azure/identity's pipeline, named without loading it. */
type IdentityHttpClient = NonNullable<ManagedIdentityCredentialClientIdOptions["httpClient"]>;
type PipelineRequest = Parameters<IdentityHttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<IdentityHttpClient["sendRequest"]>>;
type PipelineHeaders = PipelineResponse["headers"];

/** The last exchange seen by the HTTP client, to explain failures (identity wraps every error alike). */
interface Exchange {
  status?: number;
  body?: string;
  thrown?: unknown;
  /** Attempts of the last request that ended in a broken connection (then retried). */
  brokenAttempts?: number;
}

function pipelineHeaders(initial: Record<string, string>): PipelineHeaders {
  const map = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(initial)) map.set(name.toLowerCase(), { name, value });
  return {
    get: (name) => map.get(name.toLowerCase())?.value,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => {
      map.set(name.toLowerCase(), { name, value: String(value) });
    },
    delete: (name) => {
      map.delete(name.toLowerCase());
    },
    toJSON: (options) => {
      const result: Record<string, string> = {};
      for (const [key, entry] of map) result[options?.preserveCase ? entry.name : key] = entry.value;
      return result;
    },
    *[Symbol.iterator]() {
      for (const [key, entry] of map) yield [key, entry.value] as [string, string];
    },
  };
}

/** The transport and exchange record of one fetch. */
interface CallScope {
  transport: Transport;
  exchange: Exchange;
}

// MSAL keeps the managed-identity source it selected first in a static field, together with the network client
// of the credential that made the first request: later credentials in the same process send through that client.
// Each fetch therefore runs in an async scope that names its own transport and exchange record, and whichever
// client receives the request uses the scope of the fetch it belongs to.
const currentCall = new AsyncLocalStorage<CallScope>();

/**
 * @azure/identity's HTTP client over our transport. Retries are identity's (its IMDS policy follows Microsoft's
 * guidance), so the transport does not retry on top of them.
 */
function identityHttpClient(own: CallScope): IdentityHttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const { transport, exchange } = currentCall.getStore() ?? own;
      delete exchange.brokenAttempts;
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;
      const body =
        typeof request.body === "string"
          ? request.body
          : request.body instanceof Uint8Array
            ? request.body
            : undefined;
      const send = () =>
        transport.request({
          method: request.method as HttpMethod,
          url: request.url,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(request.timeout > 0 ? { timeoutMs: request.timeout } : {}),
          ...(request.abortSignal ? { signal: request.abortSignal as AbortSignal } : {}),
          retry: false,
          responseLimit: TOKEN_RESPONSE_LIMIT,
        });
      try {
        let response: Awaited<ReturnType<Transport["request"]>> | undefined;
        for (let attempt = 0; response === undefined; attempt++) {
          try {
            response = await send();
          } catch (error) {
            const delay = BROKEN_CONNECTION_RETRY_DELAYS_MS[attempt];
            const broken = TransportError.isInstance(error) && error.kind === "connection_reset";
            if (!broken || delay === undefined || request.abortSignal?.aborted) throw error;
            exchange.brokenAttempts = attempt + 1;
            await new Promise((resolve) => setTimeout(resolve, delay));
          }
        }
        exchange.status = response.status;
        exchange.body = response.body;
        delete exchange.thrown;
        return {
          request,
          status: response.status,
          headers: pipelineHeaders(response.headers),
          bodyAsText: response.body,
        };
      } catch (error) {
        exchange.thrown = error;
        delete exchange.status;
        delete exchange.body;
        throw error;
      }
    },
  };
}

/** `<resource>/.default` → `<resource>`; a bare resource stays as it is. */
export function scopeToResource(scope: string): string {
  const trimmed = scope.trim();
  return trimmed.endsWith("/.default") ? trimmed.slice(0, -"/.default".length) : trimmed;
}

const UNAVAILABLE =
  "Azure Managed Identities are not available here: the token endpoint of the managed identity did not answer. This flow runs only on Azure VMs, App Service, Azure Functions, Container Apps or Arc-enabled servers with a managed identity assigned. Elsewhere, choose another authentication type (for example Client Credentials).";

function describeFailure(
  exchange: Exchange,
  userAssigned: boolean,
  error: unknown,
  resource: string,
): MsintError {
  if (TransportError.isInstance(exchange.thrown) && exchange.thrown.kind === "connection_reset") {
    const attempts = (exchange.brokenAttempts ?? 0) + 1;
    return new MsintError(
      `Azure Managed Identities could not get a token: the managed identity endpoint closed the connection before a complete answer, ${attempts} ${attempts === 1 ? "time" : "times in a row"}. The endpoint exists but failed; try again, and if it persists check the health of the VM or app (or its Azure Arc agent).`,
      { code: "managed_identity_failed", cause: exchange.thrown },
    );
  }
  if (TransportError.isInstance(exchange.thrown)) {
    return new MsintError(`${UNAVAILABLE}\nDetails: ${exchange.thrown.message}`, {
      code: "managed_identity_unavailable",
      cause: exchange.thrown,
    });
  }
  const problem =
    exchange.status !== undefined && exchange.status < 300
      ? tokenAnswerProblem(jsonObject(exchange.body ?? ""))
      : undefined;
  if (problem !== undefined) {
    const json = jsonObject(exchange.body ?? "") !== undefined;
    const summary = json ? "" : ` (${summarizeText(exchange.body ?? "", 120) || "an empty body"})`;
    return new MsintError(
      `Azure Managed Identities could not get a token: the managed identity endpoint answered HTTP ${exchange.status} ${problem}${summary}. Something other than the managed identity endpoint may be answering at its address (a proxy or a local service).`,
      { code: "managed_identity_failed" },
    );
  }
  if (exchange.status !== undefined && exchange.status >= 400) {
    const json = jsonObject(exchange.body ?? "");
    const raw =
      (typeof json?.["error_description"] === "string" && (json["error_description"] as string)) ||
      (typeof json?.["message"] === "string" && (json["message"] as string)) ||
      (typeof json?.["error"] === "string" && (json["error"] as string)) ||
      summarizeText(exchange.body ?? "", 300);
    const { code, description } = cleanAadstsDescription(raw);
    const said = description || `HTTP ${exchange.status}`;
    const identityMissing =
      /identity not found|no managed identity|unable to load the proper managed identity|managed identity.*not (found|assigned)/i.test(
        said,
      ) ||
      (exchange.status === 404 && userAssigned);
    if (identityMissing && userAssigned) {
      return new ParameterError(
        `No managed identity with the client ID in ${MANAGED_IDENTITY_CLIENT_ID_PARAMETER} is assigned here (the endpoint said: ${said}). Assign the user-assigned identity to this VM or app (Identity > User assigned), or correct ${MANAGED_IDENTITY_CLIENT_ID_PARAMETER}: it is the identity's Client ID, not its Object ID.`,
        MANAGED_IDENTITY_CLIENT_ID_PARAMETER,
        { code: "managed_identity_not_found" },
      );
    }
    if (identityMissing) {
      return new MsintError(
        `No system-assigned managed identity is enabled here (the endpoint said: ${said}). Turn it on (Identity > System assigned > On), or enter a user-assigned identity's client ID in ${MANAGED_IDENTITY_CLIENT_ID_PARAMETER}.`,
        { code: "managed_identity_not_found" },
      );
    }
    if (code === 500011 || /invalid_resource|resource principal/i.test(`${json?.["error"] ?? ""} ${said}`)) {
      return new MsintError(
        `Azure Managed Identities could not get a token for ${resource}: ${code === undefined ? "" : `AADSTS${code}: `}${said} Check the resource the integration calls (and Azure Cloud): the resource must exist in the identity's cloud and tenant.`,
        { code: "managed_identity_failed" },
      );
    }
    return new MsintError(
      `Azure Managed Identities could not get a token: the managed identity endpoint answered HTTP ${exchange.status}: ${code === undefined ? "" : `AADSTS${code}: `}${said}`,
      { code: "managed_identity_failed" },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MsintError(
    `Azure Managed Identities could not get a token: ${summarizeText(message.replace(/^ManagedIdentityCredential:\s*/, ""), 500)}`,
    { code: "managed_identity_failed", cause: error },
  );
}

/**
 * Creates the managed-identity strategy over @azure/identity's ManagedIdentityCredential (loaded on the first
 * fetch). The endpoint (IMDS, App Service / Functions, Arc, …) is picked by identity and MSAL from the
 * environment (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, `AZURE_POD_IDENTITY_AUTHORITY_HOST`, …); requests go
 * through our transport without proxy. Note: MSAL keeps managed-identity tokens (and the selected endpoint) in
 * process-wide memory, so a fetch soon after another for the same resource may be answered from it.
 */
export function createManagedIdentityStrategy(options: ManagedIdentityOptions = {}): FlowStrategy {
  const rawClientId = options.clientId?.trim() ?? "";
  const clientId = rawClientId === "" || rawClientId === SYSTEM_ASSIGNED ? undefined : rawClientId;
  const exchange: Exchange = {};
  let transport: Transport | undefined;
  const getTransport = () => {
    transport ??=
      options.transport ??
      createTransport({ timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxRetries: 0, proxy: false });
    return transport;
  };
  let credential: Promise<ManagedIdentityCredential> | undefined;

  const getCredential = () => {
    credential ??= import("@azure/identity").then((identity) => {
      const transport = getTransport();
      const settings = {
        httpClient: identityHttpClient({ transport, exchange }),
        retryOptions: { maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES },
      };
      return new identity.ManagedIdentityCredential(clientId ? { clientId, ...settings } : settings);
    });
    credential.catch(() => {
      credential = undefined;
    });
    return credential;
  };

  return {
    flow: "managed-identity",
    fingerprint: fingerprint("managed-identity", clientId ?? SYSTEM_ASSIGNED, options.resource?.trim() ?? ""),
    async fetchToken(scopes) {
      let resource = options.resource?.trim();
      if (!resource) {
        const list = scopes.map((scope) => scope.trim()).filter(Boolean);
        if (list.length !== 1) {
          throw new MsintError(
            `Azure Managed Identities get a token for one resource at a time, but ${list.length === 0 ? "no scope was" : `${list.length} scopes were`} requested (${list.join(" ")}).`,
            { code: "managed_identity_scopes" },
          );
        }
        resource = scopeToResource(list[0]!);
      }
      delete exchange.status;
      delete exchange.body;
      delete exchange.thrown;
      delete exchange.brokenAttempts;
      try {
        const app = await getCredential();
        const scope: CallScope = { transport: getTransport(), exchange };
        const result = await currentCall.run(scope, () => app.getToken(resource!));
        // @azure/identity fills in a lifetime of its own when the answer has none: the raw answer is checked. With
        // no exchange, MSAL answered from its process-wide cache a token whose answer was checked when it came.
        const answered = exchange.body !== undefined;
        if (!result?.token || (answered && tokenAnswerProblem(jsonObject(exchange.body!)) !== undefined)) {
          throw new Error("the managed identity endpoint returned no usable access token");
        }
        const now = Date.now();
        const token: FetchedToken = {
          accessToken: result.token,
          expiresInSeconds: Math.max(0, Math.round((result.expiresOnTimestamp - now) / 1000)),
          tokenType: result.tokenType ?? "Bearer",
        };
        if (result.refreshAfterTimestamp !== undefined) {
          token.refreshInSeconds = Math.max(0, Math.round((result.refreshAfterTimestamp - now) / 1000));
        }
        return { token };
      } catch (error) {
        throw describeFailure(exchange, clientId !== undefined, error, resource);
      }
    },
  };
}
