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

interface Strikes {
  /** Failures since the last success or quiet period. */
  failures: number;
  /** Epoch ms of the last failure. */
  lastFailure: number;
  /** Epoch ms before which requests are refused. */
  blockedUntil: number;
}

/**
 * Failures per key (a registration and a client address), with exponential backoff: the first `free` failures
 * pass, each further one blocks the key for twice as long as the one before (1 s, 2 s, 4 s … up to `maxBlockMs`).
 * A success, or `quietMs` without failures, starts over. Keyed per address, so a stranger's guesses never
 * lock the registration's real client out. Memory is bounded: the least recently failed keys are dropped first.
 */
export class FailureBackoff {
  private readonly strikes = new Map<string, Strikes>();

  constructor(
    private readonly now: () => number,
    private readonly options: { free?: number; maxBlockMs?: number; quietMs?: number; maxKeys?: number } = {},
  ) {}

  private get free() {
    return this.options.free ?? 5;
  }

  /** Seconds the key must still wait, or undefined when it may try. */
  blocked(key: string): number | undefined {
    const entry = this.current(key);
    if (!entry) return undefined;
    const wait = entry.blockedUntil - this.now();
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : undefined;
  }

  /** Records a failure; returns the seconds the key is now blocked for (undefined while still free). */
  fail(key: string): number | undefined {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailure = now;
    this.strikes.delete(key);
    const maxKeys = this.options.maxKeys ?? 100_000;
    if (this.strikes.size >= maxKeys) {
      const oldest = this.strikes.keys().next().value;
      if (oldest !== undefined) this.strikes.delete(oldest);
    }
    this.strikes.set(key, entry);
    if (entry.failures <= this.free) return undefined;
    const exponent = Math.min(entry.failures - this.free - 1, 30);
    const blockMs = Math.min(1000 * 2 ** exponent, this.options.maxBlockMs ?? 15 * 60_000);
    entry.blockedUntil = now + blockMs;
    return Math.ceil(blockMs / 1000);
  }

  /** A success: the key starts over. */
  succeed(key: string): void {
    this.strikes.delete(key);
  }

  get size(): number {
    return this.strikes.size;
  }

  /** Drops keys that have been quiet long enough; called periodically. */
  sweep(): void {
    for (const key of [...this.strikes.keys()]) this.current(key);
  }

  private current(key: string): Strikes | undefined {
    const entry = this.strikes.get(key);
    if (!entry) return undefined;
    const quietMs = this.options.quietMs ?? 15 * 60_000;
    const now = this.now();
    if (entry.blockedUntil <= now && now - entry.lastFailure >= quietMs) {
      this.strikes.delete(key);
      return undefined;
    }
    return entry;
  }
}
