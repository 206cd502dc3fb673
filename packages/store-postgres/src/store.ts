import { createHash, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import {
  assertValidKey,
  type ContextStore,
  compareKeys,
  homeStoreKey,
  KeyedMutex,
  parseStoreKey,
  rawStoreKey,
  StoreError,
  scryptStoreKey,
  seal,
  storeKeyCheck,
  unseal,
} from "@msint/auth-core/internal";
import type { Pool, PoolClient } from "pg";
import { connectionError, isPostgresUrl, isTransient, redactUrl } from "./errors.js";
import { MIGRATION_LOCK, MIGRATIONS, SCHEMA_VERSION } from "./schema.js";

/** Options of {@link openPostgresStore}. */
export interface OpenPostgresStoreOptions {
  /** postgres://user:password@host:port/database (what `MSINT_STORE_URL` or `--store` holds). */
  url: string;
  /**
   * The store key setting (`MSINT_STORE_KEY`): a raw 256-bit key (`base64:…` or 64 hex digits, through HKDF)
   * or a passphrase (scrypt, with a salt kept in the database). When absent, the random key of `home`
   * (`home/store.key`) is used: then every host needs a copy of that file.
   */
  storeKey?: string | undefined;
  /** The msint home whose `store.key` is the key when `storeKey` is absent. */
  home: string;
  /** How long `update`/`remove` wait for another holder of the instance's lock. Default 60 000. */
  lockTimeoutMs?: number;
  /**
   * How long an operation keeps retrying while the server cannot be reached (restart, failover) before it
   * gives up with one message. Default 15 000.
   */
  retryForMs?: number;
  /** Create the schema on an empty database (default true). `false` leaves the database as it is. */
  createSchema?: boolean;
}

/** What `msint store status` shows of a PostgreSQL store. */
export interface PostgresStoreStatus {
  /** The URL without its password. */
  url: string;
  /** The schema version of the database: 0 when msint never ran there. */
  schemaVersion: number;
  /** The version this msint works with. */
  supportedVersion: number;
  /** Number of documents (instances). */
  instances: number;
  /** The kind of key the store was created with, as recorded: "set" when a key check exists. */
  keyCheck: boolean;
  /** The server's version string (e.g. "PostgreSQL 17.2"). */
  serverVersion: string;
}

interface Meta {
  schemaVersion: number;
  values: Map<string, string>;
}

/** A document as the table holds it. */
interface Row {
  document: Buffer;
  version: string;
}

/** A change this process sealed and sent, kept until its commit is confirmed (see {@link PostgresStore.update}). */
interface Pending<T> {
  baseVersion: number;
  next: T | undefined;
  sealed: Buffer | undefined;
}

const mutex = new KeyedMutex();

/** What the caller's own callback threw: passed through untouched, never retried. */
class CallbackFailure {
  constructor(readonly error: unknown) {}
}
const ignore = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 64-bit advisory-lock key for a document name (a collision only makes two names wait for each other). */
function lockKey(name: string): string {
  return createHash("sha256")
    .update("msint-document\0")
    .update(name, "utf8")
    .digest()
    .readBigInt64BE()
    .toString();
}

function assertUrl(url: string): void {
  let ok = false;
  try {
    ok = isPostgresUrl(url) && new URL(url).hostname !== "";
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new StoreError(
      "unavailable",
      `The store URL ${isPostgresUrl(url) ? redactUrl(url) : "given"} is not a PostgreSQL URL: use ` +
        "postgres://USER:PASSWORD@HOST:PORT/DATABASE in MSINT_STORE_URL or --store. Nothing was changed.",
    );
  }
}

async function createPool(url: string): Promise<Pool> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    // A command's process ends when its work is done: idle connections do not hold it.
    allowExitOnIdle: true,
    application_name: "msint",
  });
  // A connection that dies while idle (server restart) is dropped by the pool; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * Runs `body` on a pooled connection, retrying on a new connection for up to `retryForMs` while the server
 * cannot be reached; then one {@link StoreError} "unavailable". Other errors propagate at once.
 */
async function withRetry<R>(
  pool: Pool,
  url: string,
  retryForMs: number,
  body: (client: PoolClient) => Promise<R>,
): Promise<R> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    let client: PoolClient | undefined;
    let broken: unknown;
    try {
      client = await pool.connect();
      // The connection can die while we hold it (server restart): the query in flight fails, and the
      // client's own 'error' event must not crash the process.
      client.on("error", ignore);
      return await body(client);
    } catch (error) {
      if (error instanceof CallbackFailure) throw error.error;
      broken = error;
      const waited = Date.now() - started;
      if (!isTransient(error)) throw StoreError.isInstance(error) ? error : connectionError(error, url, 0);
      if (waited >= retryForMs) throw connectionError(error, url, waited);
      await sleep(Math.min(1_000, 100 * 2 ** attempt, Math.max(0, retryForMs - waited)));
    } finally {
      client?.off("error", ignore);
      // A connection that failed is not given back for reuse.
      client?.release(broken !== undefined && isTransient(broken) ? true : undefined);
    }
  }
}

async function readMeta(client: PoolClient): Promise<Meta | undefined> {
  try {
    const result = await client.query<{ name: string; value: string }>("select name, value from msint_meta");
    const values = new Map(result.rows.map((row) => [row.name, row.value]));
    return { schemaVersion: Number(values.get("schema_version") ?? "0"), values };
  } catch (error) {
    if ((error as { code?: string }).code === "42P01") return undefined; // no table: msint never ran here
    throw error;
  }
}

/** Runs every migration above the database's version; returns [from, to]. */
async function migrate(client: PoolClient): Promise<[number, number]> {
  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK]);
    const present = await client.query<{ present: boolean }>(
      "select to_regclass('msint_meta') is not null as present",
    );
    const from = present.rows[0]!.present ? ((await readMeta(client))?.schemaVersion ?? 0) : 0;
    if (from > SCHEMA_VERSION) {
      await client.query("rollback");
      return [from, from];
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await client.query(migration.sql);
      await client.query(
        "insert into msint_meta (name, value) values ('schema_version', $1) on conflict (name) do update set value = excluded.value",
        [String(migration.version)],
      );
    }
    await client.query("commit");
    return [from, SCHEMA_VERSION];
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

function schemaError(version: number, url: string): StoreError {
  const where = redactUrl(url);
  if (!Number.isInteger(version) || version < 0) {
    return new StoreError(
      "schema",
      `The PostgreSQL store at ${where} has an unknown schema version: it was not made by msint. Point ` +
        "MSINT_STORE_URL at a database of its own for msint. Nothing was changed.",
    );
  }
  if (version > SCHEMA_VERSION) {
    return new StoreError(
      "schema",
      `The PostgreSQL store at ${where} has schema version ${version}, made by a newer msint; this msint knows ` +
        `versions up to ${SCHEMA_VERSION}. Upgrade msint on this host. Nothing was changed.`,
    );
  }
  return new StoreError(
    "schema",
    `The PostgreSQL store at ${where} has schema version ${version}; this msint needs version ${SCHEMA_VERSION}. ` +
      "Run msint store migrate (once, from any host), then try again. Nothing was changed.",
  );
}

/** Inserts a metadata value unless one exists, and returns the one that wins. */
async function metaValue(client: PoolClient, name: string, initial: string): Promise<string> {
  const result = await client.query<{ value: string }>(
    "with ins as (insert into msint_meta (name, value) values ($1, $2) on conflict (name) do nothing returning value) " +
      "select value from ins union all select value from msint_meta where name = $1 limit 1",
    [name, initial],
  );
  const value = result.rows[0]?.value;
  if (value !== undefined) return value;
  // Another process inserted the row after this statement's snapshot was taken: the insert found the conflict, but
  // the select cannot see the row. A new statement (a new snapshot under READ COMMITTED) does.
  const again = await client.query<{ value: string }>("select value from msint_meta where name = $1", [name]);
  const committed = again.rows[0]?.value;
  if (committed === undefined) throw new Error(`the store's ${name} could not be read or written`);
  return committed;
}

/**
 * Opens a PostgreSQL context store: connects, creates the schema on an empty database (or refuses one of another
 * version), derives the key and checks it against the key check value of the database.
 *
 * @throws StoreError "unavailable" (URL, host, credentials, database), "schema" (version), "bad-key" (another key).
 */
export async function openPostgresStore<T = unknown>(
  options: OpenPostgresStoreOptions,
): Promise<PostgresStore<T>> {
  const { url } = options;
  assertUrl(url);
  const retryForMs = options.retryForMs ?? 15_000;
  const input = options.storeKey ? parseStoreKey(options.storeKey) : undefined;
  const pool = await createPool(url);
  try {
    const key = await withRetry(pool, url, retryForMs, async (client) => {
      let meta = await readMeta(client);
      if (meta === undefined || meta.schemaVersion === 0) {
        if (options.createSchema === false) throw schemaError(0, url);
        await migrate(client);
        meta = await readMeta(client);
      }
      if (meta === undefined || meta.schemaVersion !== SCHEMA_VERSION)
        throw schemaError(meta?.schemaVersion ?? 0, url);
      let derived: Buffer;
      if (input === undefined) derived = await homeStoreKey(options.home);
      else if (input.kind === "raw") derived = rawStoreKey(input.key);
      else {
        // A store made with a raw key or a key file has no salt: no passphrase can open it, and a wrong host
        // must not add one.
        if (!meta.values.has("kdf_salt") && meta.values.has("key_check")) throw keyMismatch(url, false);
        const salt =
          meta.values.get("kdf_salt") ??
          (await metaValue(client, "kdf_salt", randomBytes(16).toString("base64")));
        derived = await scryptStoreKey(input.passphrase, Buffer.from(salt, "base64"));
      }
      const expected = storeKeyCheck(derived);
      const stored = meta.values.get("key_check") ?? (await metaValue(client, "key_check", expected));
      if (stored !== expected) throw keyMismatch(url, input === undefined);
      return derived;
    });
    return new PostgresStore<T>(pool, url, key, options.lockTimeoutMs ?? 60_000, retryForMs);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

function keyMismatch(url: string, fromHome: boolean): StoreError {
  const source = fromHome ? "this host's store.key file (MSINT_STORE_KEY is not set)" : "MSINT_STORE_KEY";
  return new StoreError(
    "bad-key",
    `The store key does not open the PostgreSQL store at ${redactUrl(url)}: it was created with another key, and ` +
      `${source} is not that key. Give every host the same MSINT_STORE_KEY (or copy the store.key of the host ` +
      "that created it). Nothing was changed.",
  );
}

/** Migrates the database of `url` to the schema of this msint. Returns the versions before and after. */
export async function migratePostgresStore(
  url: string,
  retryForMs = 15_000,
): Promise<{ from: number; to: number }> {
  assertUrl(url);
  const pool = await createPool(url);
  try {
    const [from, to] = await withRetry(pool, url, retryForMs, (client) => migrate(client));
    if (from > SCHEMA_VERSION) throw schemaError(from, url);
    return { from, to };
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Status of the database of `url` without changing it (no schema created, no key needed). */
export async function postgresStoreStatus(url: string, retryForMs = 15_000): Promise<PostgresStoreStatus> {
  assertUrl(url);
  const pool = await createPool(url);
  try {
    return await withRetry(pool, url, retryForMs, async (client) => {
      const server = await client.query<{ v: string }>("select current_setting('server_version') as v");
      const meta = await readMeta(client);
      let instances = 0;
      if (meta !== undefined && meta.schemaVersion >= 1) {
        const count = await client.query<{ n: number }>("select count(*)::int as n from msint_documents");
        instances = count.rows[0]!.n;
      }
      return {
        url: redactUrl(url),
        schemaVersion: meta?.schemaVersion ?? 0,
        supportedVersion: SCHEMA_VERSION,
        instances,
        keyCheck: meta?.values.has("key_check") ?? false,
        serverVersion: `PostgreSQL ${server.rows[0]!.v}`,
      };
    });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/**
 * A {@link ContextStore} on PostgreSQL, shared by every host that uses the same database and key.
 *
 * - Documents are sealed exactly as the file store seals them (AES-256-GCM, the instance name as associated
 *   data): the database holds ciphertext only; the key stays on the hosts.
 * - `update` runs in one transaction holding an advisory lock of the instance (`pg_advisory_xact_lock`) with a
 *   lock timeout: one host at a time fetches a token, the others wait and then find it. A holder that dies
 *   loses its connection, and PostgreSQL releases the lock and rolls its transaction back.
 * - When the connection drops after `fn` ran (the server restarted), the change is not lost: the store
 *   reconnects and writes it, unless another host changed the document meanwhile, in which case `fn` runs
 *   again on what that host wrote.
 */
export class PostgresStore<T = unknown> implements ContextStore<T> {
  readonly #pool: Pool;
  readonly #key: KeyObject;
  readonly #lockTimeoutMs: number;
  readonly #retryForMs: number;
  /** The URL without its password. */
  readonly url: string;
  readonly #url: string;

  /** @internal use {@link openPostgresStore}. */
  constructor(pool: Pool, url: string, key: Buffer, lockTimeoutMs: number, retryForMs: number) {
    this.#pool = pool;
    this.#url = url;
    this.url = redactUrl(url);
    this.#key = createSecretKey(key);
    this.#lockTimeoutMs = lockTimeoutMs;
    this.#retryForMs = retryForMs;
  }

  #run<R>(body: (client: PoolClient) => Promise<R>): Promise<R> {
    return withRetry(this.#pool, this.#url, this.#retryForMs, body);
  }

  /** @inheritDoc */
  async read(key: string): Promise<T | undefined> {
    assertValidKey(key);
    const row = await this.#run(async (client) => {
      const result = await client.query<Row>(
        "select document, version from msint_documents where name = $1",
        [key],
      );
      return result.rows[0];
    });
    return row === undefined ? undefined : this.#decode(key, row.document);
  }

  /** @inheritDoc */
  async update(
    key: string,
    fn: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<T | undefined> {
    assertValidKey(key);
    return mutex.run(
      `${this.#url}\0${key}`,
      () => {
        let pending: Pending<T> | undefined;
        return this.#run(async (client) => {
          await client.query("begin");
          try {
            await this.#lockDocument(client, key);
            const result = await client.query<Row>(
              "select document, version from msint_documents where name = $1",
              [key],
            );
            const row = result.rows[0];
            const version = row === undefined ? 0 : Number(row.version);
            if (pending !== undefined) {
              // A retry after the connection dropped: did the commit happen, or is our change still to write?
              const written =
                pending.sealed === undefined
                  ? row === undefined
                  : row !== undefined && Buffer.from(row.document).equals(pending.sealed);
              if (written) {
                await client.query("commit");
                return pending.next;
              }
              if (version === pending.baseVersion) {
                await this.#write(client, key, pending.sealed, version);
                await client.query("commit");
                return pending.next;
              }
              pending = undefined; // another host changed it meanwhile: decide again on what it wrote
            }
            const current = row === undefined ? undefined : this.#decode(key, Buffer.from(row.document));
            let next: T | undefined;
            try {
              next = await fn(current);
            } catch (error) {
              throw new CallbackFailure(error);
            }
            if (next === current) {
              await client.query("commit");
              return next;
            }
            let sealed: Buffer | undefined;
            if (next !== undefined) {
              const json = JSON.stringify(next);
              if (typeof json !== "string")
                throw new TypeError(`The new state of "${key}" is not JSON-serializable.`);
              sealed = seal(this.#key, key, Buffer.from(json, "utf8"));
            }
            pending = { baseVersion: version, next, sealed };
            await this.#write(client, key, sealed, version);
            await client.query("commit");
            return next;
          } catch (error) {
            if (!isTransient(error)) await client.query("rollback").catch(() => undefined);
            throw error;
          }
        });
      },
      () => reentry(key),
    );
  }

  async #write(client: PoolClient, key: string, sealed: Buffer | undefined, version: number): Promise<void> {
    if (sealed === undefined) {
      await client.query("delete from msint_documents where name = $1", [key]);
      return;
    }
    await client.query(
      "insert into msint_documents (name, document, version, updated_at) values ($1, $2, $3, now()) " +
        "on conflict (name) do update set document = excluded.document, version = excluded.version, updated_at = now()",
      [key, sealed, version + 1],
    );
  }

  /** @inheritDoc */
  async list(): Promise<string[]> {
    const names = await this.#run(async (client) => {
      const result = await client.query<{ name: string }>("select name from msint_documents");
      return result.rows.map((row) => row.name);
    });
    return names.sort(compareKeys);
  }

  /** @inheritDoc */
  async remove(key: string): Promise<boolean> {
    assertValidKey(key);
    return mutex.run(
      `${this.#url}\0${key}`,
      () =>
        this.#run(async (client) => {
          await client.query("begin");
          try {
            await this.#lockDocument(client, key);
            const result = await client.query("delete from msint_documents where name = $1", [key]);
            await client.query("commit");
            return (result.rowCount ?? 0) > 0;
          } catch (error) {
            if (!isTransient(error)) await client.query("rollback").catch(() => undefined);
            throw error;
          }
        }),
      () => reentry(key),
    );
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  /** Takes the document's advisory lock for this transaction, waiting at most the lock timeout. */
  async #lockDocument(client: PoolClient, key: string): Promise<void> {
    await client.query(`set local lock_timeout = ${Math.max(1, Math.floor(this.#lockTimeoutMs))}`);
    try {
      await client.query("select pg_advisory_xact_lock($1::bigint)", [lockKey(key)]);
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") throw this.#lockTimeout(key);
      throw error;
    }
  }

  #lockTimeout(key: string): StoreError {
    return new StoreError(
      "locked",
      `Another msint process held the lock of "${key}" in the PostgreSQL store at ${this.url} for more than ` +
        `${Math.round(this.#lockTimeoutMs / 1000)} s. Try again; if it persists, look for a stuck msint process.`,
    );
  }

  #decode(key: string, data: Buffer): T {
    const plain = unseal(this.#key, key, data);
    if (plain === "header" || plain === "decrypt") {
      throw new StoreError(
        "tampered",
        `The stored state of "${key}" in the PostgreSQL store at ${this.url} cannot be decrypted: the row was ` +
          "modified or copied from another instance or store. Restore it from a backup or remove the instance " +
          `(msint instance remove ${key}).`,
      );
    }
    try {
      return JSON.parse(plain.toString("utf8")) as T;
    } catch {
      throw new StoreError(
        "tampered",
        `The stored state of "${key}" in the PostgreSQL store at ${this.url} was decrypted but is not valid JSON. ` +
          `Restore it from a backup or remove the instance (msint instance remove ${key}).`,
      );
    }
  }
}

function reentry(key: string): StoreError {
  return new StoreError(
    "locked",
    `The context store was asked to change "${key}" from inside an update of "${key}"; that would deadlock. ` +
      "Return the new value from the update callback instead.",
  );
}
