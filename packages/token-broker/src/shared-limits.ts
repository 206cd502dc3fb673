/**
 * Rate limits and the replay cache in the broker's database, so that every replica on one database sees the
 * same buckets and the same used nonces: a request replayed on replica B after replica A accepted it is refused.
 * One statement per decision (an upsert), atomic on PGlite and PostgreSQL alike.
 */
import type { RateDecision } from "./limits.js";
import type { SqlDatabase } from "./sql.js";

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
