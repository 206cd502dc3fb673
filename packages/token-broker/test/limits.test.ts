import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress } from "../src/client-address.js";
import { FailureBackoff, NonceCache, RateLimiter } from "../src/limits.js";

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

describe("FailureBackoff", () => {
  it("lets the first failures pass, then doubles the wait; a success or a quiet period starts over", () => {
    let now = 0;
    const backoff = new FailureBackoff(() => now, { free: 3, maxBlockMs: 8_000, quietMs: 60_000 });
    for (let i = 0; i < 3; i++) expect(backoff.fail("r|a")).toBeUndefined();
    expect(backoff.blocked("r|a")).toBeUndefined();
    expect(backoff.fail("r|a")).toBe(1);
    expect(backoff.blocked("r|a")).toBe(1);
    // Another address of the same registration is not affected.
    expect(backoff.blocked("r|b")).toBeUndefined();
    now += 1_000;
    expect(backoff.fail("r|a")).toBe(2);
    now += 2_000;
    expect(backoff.fail("r|a")).toBe(4);
    now += 4_000;
    expect(backoff.fail("r|a")).toBe(8);
    now += 8_000;
    expect(backoff.fail("r|a")).toBe(8); // capped
    backoff.succeed("r|a");
    expect(backoff.blocked("r|a")).toBeUndefined();
    expect(backoff.fail("r|a")).toBeUndefined();
    now += 60_000;
    backoff.sweep();
    expect(backoff.size).toBe(0);
  });

  it("keeps memory bounded", () => {
    const backoff = new FailureBackoff(() => 0, { maxKeys: 10 });
    for (let i = 0; i < 100; i++) backoff.fail(`r|${i}`);
    expect(backoff.size).toBe(10);
  });
});

describe("clientAddress", () => {
  const request = (peer: string, headers: Record<string, string | string[]> = {}) =>
    ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

  it("is the TCP peer unless a trusted proxy is configured: a forwarded header alone is never trusted", () => {
    expect(
      clientAddress(request("::ffff:10.0.0.2", { "x-forwarded-for": "203.0.113.9" }), undefined),
    ).toEqual({
      address: "10.0.0.2",
    });
  });

  it("takes the entry `hops` from the right of the configured header", () => {
    const proxy = { header: "x-forwarded-for", hops: 1 };
    // The client sent its own X-Forwarded-For; the proxy appended the real address.
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "1.1.1.1, 203.0.113.9" }), proxy)).toEqual({
      address: "203.0.113.9",
    });
    expect(
      clientAddress(request("10.0.0.3", { "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }), {
        header: "x-forwarded-for",
        hops: 2,
      }),
    ).toEqual({ address: "203.0.113.9" });
    expect(
      clientAddress(request("10.0.0.2", { "x-real-ip": "[2001:db8::7]:443" }), {
        header: "x-real-ip",
        hops: 1,
      }),
    ).toEqual({ address: "2001:db8::7" });
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "198.51.100.4:5123" }), proxy)).toEqual({
      address: "198.51.100.4",
    });
  });

  it("falls back to the TCP peer, saying why, when the header is missing, short or not an address", () => {
    const proxy = { header: "x-forwarded-for", hops: 2 };
    expect(clientAddress(request("10.0.0.2"), proxy)).toEqual({
      address: "10.0.0.2",
      problem: "no x-forwarded-for header",
    });
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "203.0.113.9" }), proxy)).toEqual({
      address: "10.0.0.2",
      problem: "x-forwarded-for has fewer than 2 entries",
    });
    expect(
      clientAddress(request("10.0.0.2", { "x-forwarded-for": "evil\u001b[2J, 10.0.0.1" }), proxy),
    ).toEqual({
      address: "10.0.0.2",
      problem: "x-forwarded-for entry is not an IP address",
    });
  });
});
