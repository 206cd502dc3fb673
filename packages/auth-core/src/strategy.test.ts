import { describe, expect, it } from "vitest";
import type { FetchedToken, IntegrationContext } from "./context.js";
import { type ContextAccess, type FlowStrategy, TokenProvider } from "./strategy.js";
import { EXPIRY_SKEW_MS, toCachedToken, tokenCacheKey } from "./token-cache.js";

function memoryAccess(initial?: IntegrationContext) {
  let context = initial;
  let writes = 0;
  let queue = Promise.resolve();
  const access: ContextAccess = {
    read: async () => structuredClone(context),
    update: (fn) => {
      const run = queue.then(async () => {
        const current = structuredClone(context);
        const next = await fn(current);
        if (next !== current) {
          context = structuredClone(next);
          writes++;
        }
        return next;
      });
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
  return {
    access,
    get context() {
      return context;
    },
    get writes() {
      return writes;
    },
  };
}

function countingStrategy(lifetimeSeconds = 3600, fail?: () => Error): FlowStrategy & { calls: number } {
  const strategy = {
    flow: "client-credentials" as const,
    fingerprint: "fp",
    calls: 0,
    async fetchToken(): Promise<{ token: FetchedToken }> {
      strategy.calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw fail();
      return { token: { accessToken: `token-${strategy.calls}`, expiresInSeconds: lifetimeSeconds } };
    },
  };
  return strategy;
}

describe("TokenProvider", () => {
  it("fetches once for 1000 concurrent calls on a cold cache", async () => {
    const store = memoryAccess();
    const strategy = countingStrategy();
    const provider = new TokenProvider(strategy, store.access);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => provider.getToken(["https://graph.microsoft.com/.default"])),
    );
    expect(strategy.calls).toBe(1);
    expect(new Set(results.map((result) => result.token))).toEqual(new Set(["token-1"]));
    expect(store.writes).toBe(1);
  });

  it("shares one fetch between providers on the same store (the second finds the first one's token under the lock)", async () => {
    const store = memoryAccess();
    const strategy = countingStrategy();
    const providers = Array.from({ length: 8 }, () => new TokenProvider(strategy, store.access));
    await Promise.all(providers.map((provider) => provider.getToken(["scope/.default"])));
    expect(strategy.calls).toBe(1);
  });

  it("uses the persisted token without fetching, and a snapshot without reading", async () => {
    const now = 1_000_000;
    const key = `fp|${tokenCacheKey(["scope/.default"])}`;
    const cached = toCachedToken({ accessToken: "persisted", expiresInSeconds: 3600 }, now);
    const store = memoryAccess({ tokens: { [key]: cached } });
    const strategy = countingStrategy();
    const provider = new TokenProvider(strategy, store.access, { now: () => now + 1000 });
    await expect(provider.getToken(["SCOPE/.default"])).resolves.toMatchObject({
      token: "persisted",
      fromCache: true,
    });
    expect(strategy.calls).toBe(0);

    let reads = 0;
    const counted: ContextAccess = {
      ...store.access,
      read: async () => {
        reads++;
        return store.access.read();
      },
    };
    const withSnapshot = new TokenProvider(strategy, counted, { now: () => now + 1000 }).useSnapshot(
      store.context,
    );
    await withSnapshot.getToken(["scope/.default"]);
    expect(reads).toBe(0);
  });

  it("does not hand out a token in its last two minutes", async () => {
    const now = 5_000_000;
    const key = `fp|${tokenCacheKey(["s/.default"])}`;
    const cached = toCachedToken({ accessToken: "old", expiresInSeconds: 3600 }, now);
    const store = memoryAccess({ tokens: { [key]: cached } });
    const strategy = countingStrategy();
    const provider = new TokenProvider(strategy, store.access, {
      now: () => cached.expiresOn - EXPIRY_SKEW_MS + 1,
    });
    await expect(provider.getToken(["s/.default"])).resolves.toMatchObject({
      token: "token-1",
      fromCache: false,
    });
  });

  it("ignores tokens cached for another credential fingerprint", async () => {
    const now = Date.now();
    const cached = toCachedToken({ accessToken: "other-credential", expiresInSeconds: 3600 }, now);
    const store = memoryAccess({ tokens: { [`other|${tokenCacheKey(["s/.default"])}`]: cached } });
    const strategy = countingStrategy();
    await expect(new TokenProvider(strategy, store.access).getToken(["s/.default"])).resolves.toMatchObject({
      token: "token-1",
    });
  });

  it("keeps using a still-valid token when the refresh ahead of expiry fails", async () => {
    const start = 10_000_000;
    const key = `fp|${tokenCacheKey(["s/.default"])}`;
    const cached = toCachedToken(
      { accessToken: "still-valid", expiresInSeconds: 3600, refreshInSeconds: 60 },
      start,
    );
    const store = memoryAccess({ tokens: { [key]: cached } });
    const failures: unknown[] = [];
    const strategy = countingStrategy(3600, () => new Error("login host down"));
    const provider = new TokenProvider(strategy, store.access, {
      now: () => start + 120_000,
      onRefreshAheadFailure: (error) => failures.push(error),
    });
    await expect(provider.getToken(["s/.default"])).resolves.toMatchObject({ token: "still-valid" });
    expect(strategy.calls).toBe(1);
    expect(failures).toHaveLength(1);
  });

  it("propagates the error when there is no valid token to fall back on, and writes nothing", async () => {
    const store = memoryAccess();
    const strategy = countingStrategy(
      3600,
      () => new Error("AADSTS7000215: Invalid client secret provided."),
    );
    await expect(new TokenProvider(strategy, store.access).getToken(["s/.default"])).rejects.toThrow(
      "AADSTS7000215",
    );
    expect(store.writes).toBe(0);
  });
});

describe("toCachedToken", () => {
  it("refreshes at refresh_in, at half of a long lifetime, or five minutes before expiry", () => {
    expect(
      toCachedToken({ accessToken: "a", expiresInSeconds: 3600, refreshInSeconds: 1800 }, 0).refreshOn,
    ).toBe(1_800_000);
    expect(toCachedToken({ accessToken: "a", expiresInSeconds: 86_400 }, 0).refreshOn).toBe(43_200_000);
    expect(toCachedToken({ accessToken: "a", expiresInSeconds: 3600 }, 0).refreshOn).toBe(3_300_000);
  });
});

describe("TokenProvider and failures that change state", () => {
  it("writes the context a failing strategy asks to persist, then rethrows its error", async () => {
    const { withContextToPersist } = await import("./flows/strategy-failure.js");
    const store = memoryAccess({ refreshToken: "rt-1" });
    const strategy: FlowStrategy = {
      flow: "xsoar-app",
      fingerprint: "fp",
      async fetchToken(_scopes, context) {
        throw withContextToPersist(new Error("broker refused"), {
          ...context,
          backoff: { nextRequestAt: 42, counter: 2 },
        });
      },
    };
    await expect(new TokenProvider(strategy, store.access).getToken(["s/.default"])).rejects.toThrow(
      "broker refused",
    );
    expect(store.context).toEqual({ refreshToken: "rt-1", backoff: { nextRequestAt: 42, counter: 2 } });
    expect(store.writes).toBe(1);
  });
});
