/**
 * Rate limits, failure backoff and the replay cache in the broker's database, so that every replica on one database sees the
 * same buckets and the same used nonces: a request replayed on replica B after replica A accepted it is refused.
 * One statement per decision (an upsert), atomic on PGlite and PostgreSQL alike.
 */
import type { SqlDatabase } from "./sql.js";

/** A rate-limit decision: go ahead, or wait this many seconds. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The tables (created with the broker's schema). */
export const SHARED_LIMITS_SCHEMA = `
create table if not exists broker_rate (
  key text primary key,
  tokens double precision not null,
  updated_ms bigint not null,
  allowed boolean not null
);
create table if not exists broker_nonces (
  nonce text primary key,
  expires_ms bigint not null
);
create index if not exists broker_nonces_expiry on broker_nonces (expires_ms);
create table if not exists broker_strikes (
  key text primary key,
  failures integer not null,
  last_failure_ms bigint not null,
  blocked_until_ms bigint not null
);
create index if not exists broker_strikes_last_failure on broker_strikes (last_failure_ms);
`;

/** Token buckets by key: up to `perMinute` requests, refilled at `perMinute` per minute. */
export class SharedRateLimiter {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    /** Keeps the buckets of different limits apart in one table. */
    private readonly prefix: string,
  ) {}

  async take(key: string, perMinute: number): Promise<RateDecision> {
    const ratePerMs = perMinute / 60_000;
    const result = await this.db.query<{ tokens: number | string; allowed: boolean }>(
      `insert into broker_rate as r (key, tokens, updated_ms, allowed) values ($1, $2::float8 - 1, $3::bigint, true)
       on conflict (key) do update set
         tokens = least($2::float8, r.tokens + greatest(0, $3::bigint - r.updated_ms) * $4::float8)
                  - case when least($2::float8, r.tokens + greatest(0, $3::bigint - r.updated_ms) * $4::float8) >= 1 then 1 else 0 end,
         allowed = least($2::float8, r.tokens + greatest(0, $3::bigint - r.updated_ms) * $4::float8) >= 1,
         updated_ms = greatest(r.updated_ms, $3::bigint)
       returning tokens, allowed`,
      [`${this.prefix}:${key}`, perMinute, Math.floor(this.now()), ratePerMs],
    );
    const row = result.rows[0]!;
    if (row.allowed) return { allowed: true };
    const tokens = Number(row.tokens);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000)) };
  }

  /** Seconds to wait when the bucket is empty, without taking from it; undefined when a request may pass. */
  async peek(key: string, perMinute: number): Promise<number | undefined> {
    const result = await this.db.query<{ tokens: number | string; updated_ms: number | string }>(
      "select tokens, updated_ms from broker_rate where key = $1",
      [`${this.prefix}:${key}`],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    const ratePerMs = perMinute / 60_000;
    const tokens = Math.min(
      perMinute,
      Number(row.tokens) + Math.max(0, this.now() - Number(row.updated_ms)) * ratePerMs,
    );
    return tokens >= 1 ? undefined : Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
  }
}

/** Nonces seen in the last `ttlMs`, to refuse a replayed encrypted token or a reused OAuth state. */
export class SharedNonceCache {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly prefix: string,
  ) {}

  /** Records the nonce: true if new (or its earlier use expired), false if seen within the TTL. */
  async remember(nonce: string): Promise<boolean> {
    const now = Math.floor(this.now());
    const result = await this.db.query(
      `insert into broker_nonces as n (nonce, expires_ms) values ($1, $2::bigint)
       on conflict (nonce) do update set expires_ms = excluded.expires_ms where n.expires_ms <= $3::bigint
       returning nonce`,
      [`${this.prefix}:${nonce}`, now + this.ttlMs, now],
    );
    return result.rows.length === 1;
  }

  /** Drops expired entries (of every prefix); called periodically. */
  async sweep(): Promise<void> {
    await this.db.query("delete from broker_nonces where expires_ms <= $1::bigint", [Math.floor(this.now())]);
  }
}

/**
 * Failures per key (a registration and a client address) with exponential backoff, as {@link FailureBackoff}
 * in limits.ts, but in the database so that every replica counts the same failures: the first `free` failures
 * pass, each further one blocks the key for twice as long as the one before (1 s, 2 s, 4 s … up to `maxBlockMs`).
 * A success, or `quietMs` without failures, starts over. Keyed per address, so a stranger's guesses never lock the
 * registration's real client out.
 */
export class SharedFailureBackoff {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    private readonly options: { free?: number; maxBlockMs?: number; quietMs?: number } = {},
  ) {}

  private get free(): number {
    return this.options.free ?? 5;
  }

  private get quietMs(): number {
    return this.options.quietMs ?? 15 * 60_000;
  }

  /** Seconds the key must still wait, or undefined when it may try. */
  async blocked(key: string): Promise<number | undefined> {
    const result = await this.db.query<{ blocked_until_ms: number | string }>(
      "select blocked_until_ms from broker_strikes where key = $1",
      [key],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    const wait = Number(row.blocked_until_ms) - this.now();
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : undefined;
  }

  /** Records a failure; returns the seconds the key is now blocked for (undefined while still free). */
  async fail(key: string): Promise<number | undefined> {
    const now = Math.floor(this.now());
    // One statement: a quiet key (not blocked, no failure for quietMs) starts over at 1.
    const result = await this.db.query<{ failures: number }>(
      `insert into broker_strikes as s (key, failures, last_failure_ms, blocked_until_ms) values ($1, 1, $2::bigint, 0)
       on conflict (key) do update set
         failures = case when s.blocked_until_ms <= $2::bigint and $2::bigint - s.last_failure_ms >= $3::bigint
                         then 1 else s.failures + 1 end,
         last_failure_ms = greatest(s.last_failure_ms, $2::bigint)
       returning failures`,
      [key, now, this.quietMs],
    );
    const failures = Number(result.rows[0]!.failures);
    if (failures <= this.free) return undefined;
    const exponent = Math.min(failures - this.free - 1, 30);
    const blockMs = Math.min(1000 * 2 ** exponent, this.options.maxBlockMs ?? 15 * 60_000);
    await this.db.query(
      "update broker_strikes set blocked_until_ms = greatest(blocked_until_ms, $2::bigint) where key = $1",
      [key, now + blockMs],
    );
    return Math.ceil(blockMs / 1000);
  }

  /** A success: the key starts over. */
  async succeed(key: string): Promise<void> {
    await this.db.query("delete from broker_strikes where key = $1", [key]);
  }

  /** Number of keys with recorded failures. */
  async size(): Promise<number> {
    const result = await this.db.query<{ n: number }>("select count(*)::int as n from broker_strikes");
    return result.rows[0]?.n ?? 0;
  }

  /** Drops keys that have been quiet long enough; called periodically. */
  async sweep(): Promise<void> {
    const now = Math.floor(this.now());
    await this.db.query(
      "delete from broker_strikes where blocked_until_ms <= $1::bigint and last_failure_ms <= $2::bigint",
      [now, now - this.quietMs],
    );
  }
}
