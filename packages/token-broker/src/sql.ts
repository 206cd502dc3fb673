/**
 * One query interface over the broker's two databases: PGlite (embedded, the default: one broker process per
 * data directory) and PostgreSQL through `pg` (any number of replicas on one database). The broker's SQL is
 * written to run on both. Each driver is imported only when it is used.
 */
import { BrokerConfigError } from "./config.js";

export interface SqlResult<R> {
  rows: R[];
  /** Rows changed by an insert, update or delete. */
  affectedRows: number;
}

export interface SqlDatabase {
  readonly kind: "pglite" | "postgres";
  /** Where it is, for the banner and logs: the data directory, or the URL without its password. */
  readonly location: string;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<R>>;
  /** Runs statements without parameters (a schema). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` holding a lock named `name` for every process on this database: a transaction-scoped advisory
   * lock on PostgreSQL (released by the server if this process dies); nothing more on PGlite, which one process
   * owns.
   */
  lock<R>(name: string, fn: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** The URL without its password. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/** Opens the embedded PGlite database in `directory` (the optional dependency @electric-sql/pglite). */
export async function openPglite(directory: string, location = directory): Promise<SqlDatabase> {
  let module: typeof import("@electric-sql/pglite");
  try {
    module = await import("@electric-sql/pglite");
  } catch {
    throw new BrokerConfigError(
      "database",
      "the embedded database needs the optional package @electric-sql/pglite, which is not installed: install it, or run the broker on PostgreSQL with --database postgres://… (MSINT_BROKER_DATABASE_URL).",
    );
  }
  const db = await module.PGlite.create(directory);
  return {
    kind: "pglite",
    location,
    async query<R>(sql: string, params: unknown[] = []) {
      const result = await db.query<R>(sql, params);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    },
    async exec(sql) {
      await db.exec(sql);
    },
    lock: (_name, fn) => fn(),
    close: () => db.close(),
  };
}

/** Why a connection failed, from the error's code (PostgreSQL SQLSTATE or Node's network code). */
function connectionProblem(code: string | undefined): string {
  if (code === "28P01" || code === "28000") return "the server refused the user name or password";
  if (code === "3D000") return "the database does not exist";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND") return "unknown host";
  return "the server cannot be reached";
}

/** Runs `fn` in a transaction holding the advisory lock `name` (released by the server if this process dies). */
async function withAdvisoryLock<R>(pool: import("pg").Pool, name: string, fn: () => Promise<R>): Promise<R> {
  const client = await pool.connect();
  client.on("error", () => undefined);
  let failed = false;
  try {
    await client.query("begin");
    await client.query("set local lock_timeout = 30000");
    await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`msint-broker:${name}`]);
    return await fn();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await client.query(failed ? "rollback" : "commit").catch(() => undefined);
    client.release();
  }
}

/**
 * Connects to PostgreSQL at `url` (a pool; every replica has its own). Connection problems become one
 * BrokerConfigError naming the URL without its password.
 */
export async function openPostgres(url: string): Promise<SqlDatabase> {
  const location = redactDatabaseUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL("invalid:");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol) || parsed.hostname === "") {
    throw new BrokerConfigError(
      "database",
      "must be a PostgreSQL URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE (--database or MSINT_BROKER_DATABASE_URL).",
    );
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: "msint-broker",
  });
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = connectionProblem((error as { code?: string }).code);
    throw new BrokerConfigError(
      "database",
      `${location}: ${reason}. Check --database (MSINT_BROKER_DATABASE_URL).`,
    );
  }
  return {
    kind: "postgres",
    location,
    async query<R>(sql: string, params: unknown[] = []) {
      const result = await pool.query(sql, params);
      return { rows: result.rows as R[], affectedRows: result.rowCount ?? 0 };
    },
    async exec(sql) {
      await pool.query(sql);
    },
    lock: (name, fn) => withAdvisoryLock(pool, name, fn),
    close: () => pool.end(),
  };
}
