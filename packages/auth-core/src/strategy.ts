import type { AccessTokenResult, FetchedToken, IntegrationContext } from "./context.js";
import { brandErrorClass, MsintError } from "./errors.js";
import { contextToPersist } from "./flows/strategy-failure.js";
import { withSpan } from "./telemetry.js";
import { isDueForRefresh, toCachedToken, tokenCacheKey, usableToken, withToken } from "./token-cache.js";

/**
 * The authentication flows: the seed document's five, one strategy each, and msint's extensions (workload
 * identity federation and the `AZURE_*` environment convention), both client-credentials grants.
 */
export type FlowId =
  | "xsoar-app"
  | "client-credentials"
  | "authorization-code"
  | "device-code"
  | "managed-identity"
  | "workload-identity"
  | "environment";

/** What a caller may ask of one fetch beyond the scopes (Azure SDK `GetTokenOptions`). */
export interface FetchOptions {
  /** Claims challenge (JSON, already decoded) from a CAE `insufficient_claims` answer: sent as `claims`. */
  claims?: string | undefined;
  /** Another tenant to get the token from; only strategies with `tenantSwitch` receive it. */
  tenantId?: string | undefined;
  /** Cancels the token request on the wire. */
  abortSignal?: AbortSignal | undefined;
}

/**
 * One authentication flow. A strategy only knows how to get a new token over the network; caching, refresh
 * ahead of expiry and single-flight are shared by every flow through {@link TokenProvider}.
 */
export interface FlowStrategy {
  readonly flow: FlowId;
  /**
   * Identifies the credential (tenant, client, cloud, a hash of the secret …) without revealing it. Tokens are
   * cached under it, so a changed credential never reuses a token issued for the old one.
   */
  readonly fingerprint: string;
  /** The tenant the strategy signs in to, when it knows it (GUID or domain, as configured). */
  readonly tenantId?: string | undefined;
  /**
   * Whether the flow can get a token from another tenant than its own (a multi-tenant app's client credentials
   * at that tenant's token endpoint). Without it, a `tenantId` the token's `tid` does not match is refused.
   */
  readonly tenantSwitch?: boolean;
  /**
   * Fetches a new token. Runs while the instance's context is locked; the returned context (when given)
   * replaces it, which is how refresh tokens rotate and backoff state is kept.
   */
  fetchToken(
    scopes: readonly string[],
    context: IntegrationContext | undefined,
    options?: FetchOptions,
  ): Promise<{ token: FetchedToken; context?: IntegrationContext }>;
}

/** Read and locked read-modify-write access to one instance's integration context. */
export interface ContextAccess {
  read(): Promise<IntegrationContext | undefined>;
  /** Returning the very object received means "no change": nothing is written. */
  update(
    fn: (
      current: IntegrationContext | undefined,
    ) => IntegrationContext | undefined | Promise<IntegrationContext | undefined>,
  ): Promise<IntegrationContext | undefined>;
}

export interface GetTokenOptions {
  /** Skip every cache and fetch a new token. */
  forceRefresh?: boolean;
  /** A CAE claims challenge (decoded JSON): skips the caches and is sent with the token request. */
  claims?: string | undefined;
  /**
   * The tenant the token must come from. Flows that can (client credentials, workload identity, environment)
   * ask that tenant; the others accept it only when it is the tenant of their token, and refuse it clearly
   * otherwise.
   */
  tenantId?: string | undefined;
  /** Cancels the wait, and the token request on the wire when this call started it. */
  abortSignal?: AbortSignal | undefined;
}

/** The error of a cancelled {@link TokenProvider.getToken}: named `AbortError`, as the Azure SDK expects. */
export class TokenRequestAbortedError extends MsintError {
  override name = "AbortError";

  static {
    brandErrorClass(TokenRequestAbortedError, "TokenRequestAbortedError");
  }

  constructor() {
    super("The token request was cancelled.", { code: "aborted" });
  }
}

/** The `tid` claim of a JWT access token, read without verification (the token is ours, from the server). */
function tenantOfToken(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof claims.tid === "string" ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What people call each flow ("Client Credentials", "Cortex XSOAR application"), in messages and docs. The one
 * source of these names: integration-kit's flow registry takes its display names from here.
 */
export const FLOW_DISPLAY_NAMES: Readonly<Record<FlowId, string>> = {
  "xsoar-app": "Cortex XSOAR application",
  "client-credentials": "Client Credentials",
  "authorization-code": "Authorization Code",
  "device-code": "Device Code",
  "managed-identity": "Azure Managed Identities",
  "workload-identity": "Workload Identity",
  environment: "Environment",
};

export interface TokenProviderOptions {
  now?: () => number;
  /** Called when a refresh ahead of expiry failed and the still-valid token was used instead. */
  onRefreshAheadFailure?: (error: unknown) => void;
}

/**
 * Hands out access tokens for one instance: memory cache, then the persisted context, then the flow under the
 * context's lock. Concurrent calls for the same scopes share one fetch in this process, and processes sharing a
 * store share one fetch because the second one finds the first one's token when it gets the lock.
 */
export class TokenProvider {
  readonly #strategy: FlowStrategy;
  readonly #access: ContextAccess;
  readonly #now: () => number;
  readonly #onRefreshAheadFailure: ((error: unknown) => void) | undefined;
  readonly #memory = new Map<string, AccessTokenResult>();
  readonly #inFlight = new Map<string, Promise<AccessTokenResult>>();
  #snapshot: IntegrationContext | undefined;
  #hasSnapshot = false;

  constructor(strategy: FlowStrategy, access: ContextAccess, options: TokenProviderOptions = {}) {
    this.#strategy = strategy;
    this.#access = access;
    this.#now = options.now ?? Date.now;
    this.#onRefreshAheadFailure = options.onRefreshAheadFailure;
  }

  get flow(): FlowId {
    return this.#strategy.flow;
  }

  /** Seeds the provider with a context already read by the caller, saving one store read on the hot path. */
  useSnapshot(context: IntegrationContext | undefined): this {
    this.#snapshot = context;
    this.#hasSnapshot = true;
    return this;
  }

  /** Returns a token for the scopes, fetching one only when no usable token exists anywhere. */
  getToken(scopes: readonly string[], options: GetTokenOptions = {}): Promise<AccessTokenResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) return Promise.reject(new TokenRequestAbortedError());
    const strategy = this.#strategy;
    const requested = options.tenantId?.trim() || undefined;
    // Another tenant than the configured one: a token of its own, cached apart.
    const otherTenant =
      requested && strategy.tenantSwitch && requested.toLowerCase() !== strategy.tenantId?.toLowerCase()
        ? requested
        : undefined;
    const forceRefresh = Boolean(options.forceRefresh || options.claims);
    const key = `${strategy.fingerprint}|${tokenCacheKey(scopes)}${otherTenant ? `|tenant:${otherTenant.toLowerCase()}` : ""}`;
    const fetchOptions: FetchOptions = {
      ...(options.claims ? { claims: options.claims } : {}),
      ...(otherTenant ? { tenantId: otherTenant } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    };
    let pending = this.#get(key, scopes, forceRefresh, fetchOptions);
    if (requested && !strategy.tenantSwitch)
      pending = pending.then((result) => this.#checkTenant(result, requested));
    if (!signal) return pending;
    return new Promise<AccessTokenResult>((resolve, reject) => {
      const onAbort = () => reject(new TokenRequestAbortedError());
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Flows that cannot choose a tenant: the token's own tenant must be the one asked for. */
  #checkTenant(result: AccessTokenResult, requested: string): AccessTokenResult {
    const tenant = tenantOfToken(result.token);
    if (tenant && tenant.toLowerCase() === requested.toLowerCase()) return result;
    if (this.#strategy.tenantId && this.#strategy.tenantId.toLowerCase() === requested.toLowerCase())
      return result;
    throw new MsintError(
      `The ${FLOW_DISPLAY_NAMES[this.#strategy.flow]} flow cannot get a token from tenant ${requested}: its tokens come from ${tenant ? `tenant ${tenant}` : "its own tenant"} only. Use an instance with Client Credentials (a multi-tenant app registration) to reach another tenant, or leave tenantId unset.`,
      { code: "tenant_not_supported" },
    );
  }

  #get(
    key: string,
    scopes: readonly string[],
    forceRefresh: boolean,
    fetchOptions: FetchOptions,
  ): Promise<AccessTokenResult> {
    const options = { forceRefresh };
    if (!options.forceRefresh) {
      const remembered = this.#memory.get(key);
      const now = this.#now();
      if (remembered && now < remembered.refreshOn) return Promise.resolve(remembered);
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const started = withSpan(
      "msint.token",
      { "msint.flow": this.#strategy.flow, "msint.scopes": [...scopes] },
      async (span) => {
        const result = await this.#acquire(key, scopes, options, fetchOptions);
        span.setAttribute("msint.token.from_cache", result.fromCache);
        return result;
      },
    ).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  async #acquire(
    key: string,
    scopes: readonly string[],
    options: { forceRefresh: boolean },
    fetchOptions: FetchOptions,
  ): Promise<AccessTokenResult> {
    if (!options.forceRefresh) {
      const context = this.#hasSnapshot ? this.#snapshot : await this.#access.read();
      this.#hasSnapshot = false;
      const cached = usableToken(context, key, this.#now());
      if (cached && !isDueForRefresh(cached, this.#now())) return this.#remember(key, cached, true);
    }
    let result: AccessTokenResult | undefined;
    let fallback: AccessTokenResult | undefined;
    let failure: unknown;
    try {
      await this.#access.update(async (current) => {
        const now = this.#now();
        const cached = usableToken(current, key, now);
        if (cached && !options.forceRefresh) {
          // Another process refreshed while we waited for the lock.
          if (!isDueForRefresh(cached, now)) {
            result = this.#remember(key, cached, true);
            return current;
          }
          fallback = {
            token: cached.accessToken,
            expiresOn: cached.expiresOn,
            refreshOn: cached.refreshOn,
            fromCache: true,
          };
        }
        let fetched: Awaited<ReturnType<FlowStrategy["fetchToken"]>>;
        try {
          fetched = await this.#strategy.fetchToken(scopes, current, fetchOptions);
        } catch (error) {
          // Some failures still change the state (broker backoff, an expired device code): write it, then throw.
          const persist = contextToPersist(error);
          if (!persist) throw error;
          failure = error;
          return persist;
        }
        const { token, context } = fetched;
        const fetchedAt = this.#now();
        const entry = toCachedToken(token, fetchedAt);
        result = this.#remember(key, entry, false);
        return withToken(context ?? current, key, entry, fetchedAt);
      });
    } catch (error) {
      if (fallback && this.#now() < fallback.expiresOn) {
        this.#onRefreshAheadFailure?.(error);
        return fallback;
      }
      throw error;
    }
    if (failure !== undefined) {
      if (fallback && this.#now() < fallback.expiresOn) {
        this.#onRefreshAheadFailure?.(failure);
        return fallback;
      }
      throw failure;
    }
    if (!result) throw new Error("token acquisition finished without a token");
    return result;
  }

  #remember(
    key: string,
    token: { accessToken: string; expiresOn: number; refreshOn: number },
    fromCache: boolean,
  ): AccessTokenResult {
    const result: AccessTokenResult = {
      token: token.accessToken,
      expiresOn: token.expiresOn,
      refreshOn: token.refreshOn,
      fromCache,
    };
    this.#memory.set(key, { ...result, fromCache: true });
    return result;
  }

  /** Forgets tokens held in this process (the persisted context is the caller's to clear). */
  clearMemory(): void {
    this.#memory.clear();
  }
}
