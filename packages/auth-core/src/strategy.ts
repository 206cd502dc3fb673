import type { AccessTokenResult, FetchedToken, IntegrationContext } from "./context.js";
import { contextToPersist } from "./flows/strategy-failure.js";
import { isDueForRefresh, toCachedToken, tokenCacheKey, usableToken, withToken } from "./token-cache.js";

/** The authentication flows of the seed document, one strategy each. */
export type FlowId =
  | "xsoar-app"
  | "client-credentials"
  | "authorization-code"
  | "device-code"
  | "managed-identity";

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
  /**
   * Fetches a new token. Runs while the instance's context is locked; the returned context (when given)
   * replaces it, which is how refresh tokens rotate and backoff state is kept.
   */
  fetchToken(
    scopes: readonly string[],
    context: IntegrationContext | undefined,
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
}

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
    const key = `${this.#strategy.fingerprint}|${tokenCacheKey(scopes)}`;
    if (!options.forceRefresh) {
      const remembered = this.#memory.get(key);
      const now = this.#now();
      if (remembered && now < remembered.refreshOn) return Promise.resolve(remembered);
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const started = this.#acquire(key, scopes, options).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  async #acquire(
    key: string,
    scopes: readonly string[],
    options: GetTokenOptions,
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
          fetched = await this.#strategy.fetchToken(scopes, current);
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
