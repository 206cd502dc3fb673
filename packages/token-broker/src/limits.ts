/** Outcome of {@link RateLimiter.take}: allowed, or refused with how long to wait. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
}

/**
 * Token buckets by key: each holds up to `perMinute` requests and refills at `perMinute` per minute. Memory is
 * bounded: full buckets are dropped first, and a limiter at its size limit drops its oldest bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, perMinute: number): RateDecision {
    const now = this.now();
    const ratePerMs = perMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
      bucket.updatedAt = now;
      // Move to the end: the map's order is the order of last use.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
    } else {
      if (this.buckets.size >= this.maxKeys) this.prune(now, ratePerMs);
      bucket = { tokens: perMinute, updatedAt: now, capacity: perMinute };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)),
    };
  }

  /** Seconds to wait when the bucket is empty, without taking from it; undefined when a request may pass. */
  peek(key: string, perMinute: number): number | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const ratePerMs = perMinute / 60_000;
    const tokens = Math.min(bucket.capacity, bucket.tokens + (this.now() - bucket.updatedAt) * ratePerMs);
    return tokens >= 1 ? undefined : Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
  }

  private prune(now: number, ratePerMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * ratePerMs >= bucket.capacity) this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/**
 * Nonces seen in the last `ttlMs`, to refuse a replayed encrypted token. Memory is bounded by `maxEntries`;
 * when full of live entries it refuses new ones (`undefined`) rather than forget one that could be replayed.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 200_000,
  ) {}

  /** Records the nonce: true if new, false if seen within the TTL, undefined when the cache is full. */
  remember(nonce: string): boolean | undefined {
    const now = this.now();
    const expiry = this.seen.get(nonce);
    if (expiry !== undefined && expiry > now) return false;
    if (this.seen.size >= this.maxEntries) {
      this.evictExpired(now);
      if (this.seen.size >= this.maxEntries) return undefined;
    }
    this.seen.delete(nonce);
    this.seen.set(nonce, now + this.ttlMs);
    return true;
  }

  /** Entries are inserted in time order, so the expired ones are at the front. */
  private evictExpired(now: number): void {
    for (const [nonce, expiry] of this.seen) {
      if (expiry > now) break;
      this.seen.delete(nonce);
    }
  }

  get size(): number {
    return this.seen.size;
  }

  /** Drops expired entries; called periodically. */
  sweep(): void {
    this.evictExpired(this.now());
  }
}
