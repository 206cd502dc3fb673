import { describe, expect, it } from "vitest";
import { NonceCache, RateLimiter } from "../src/limits.js";

describe("RateLimiter", () => {
  it("allows a burst of perMinute, then refuses with the wait until the next token", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 30; i++) expect(limiter.take("a", 30).allowed).toBe(true);
    expect(limiter.take("a", 30)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take("b", 30).allowed).toBe(true);
    now += 2_000;
    expect(limiter.take("a", 30).allowed).toBe(true);
    expect(limiter.peek("a", 30)).toBe(2);
  });

  it("keeps memory bounded", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, 10);
    for (let i = 0; i < 100; i++) {
      now += 1;
      limiter.take(`key-${i}`, 5);
    }
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});

describe("NonceCache", () => {
  it("refuses a nonce seen within the TTL and forgets it after", () => {
    let now = 0;
    const cache = new NonceCache(() => now, 1_000);
    expect(cache.remember("n")).toBe(true);
    expect(cache.remember("n")).toBe(false);
    now += 1_001;
    expect(cache.remember("n")).toBe(true);
  });

  it("refuses new nonces rather than forgetting live ones when full", () => {
    let now = 0;
    const cache = new NonceCache(() => now, 1_000, 3);
    for (const nonce of ["a", "b", "c"]) expect(cache.remember(nonce)).toBe(true);
    expect(cache.remember("d")).toBeUndefined();
    expect(cache.remember("a")).toBe(false);
    now += 1_001;
    expect(cache.remember("d")).toBe(true);
    cache.sweep();
    expect(cache.size).toBe(1);
  });
});
