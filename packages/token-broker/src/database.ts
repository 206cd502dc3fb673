import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { PermissionKind } from "./config.js";
import { BrokerConfigError } from "./config.js";
import {
  type BrokerKeys,
  deriveKeys,
  hashToken,
  keyCheckValue,
  masterKeyFrom,
  newSalt,
  safeEqual,
  seal,
  unseal,
} from "./crypto.js";
import { SHARED_LIMITS_SCHEMA } from "./shared-limits.js";
import { openPglite, openPostgres, type SqlDatabase } from "./sql.js";

/** Name of the environment variable holding the master key. */
export const MASTER_KEY_VARIABLE = "MSINT_BROKER_MASTER_KEY";

/** A registration as the broker uses it: the key decrypted, the token only as its salted hash. */
export interface Registration {
  id: string;
  appName: string;
  kind: PermissionKind;
  /** The registration's AES key, base64 (what the customer received as Key). */
  key: string;
  tokenSalt: Buffer;
  tokenHash: Buffer;
}

/** What a new registration hands to the customer. */
export interface NewRegistration {
  id: string;
  key: string;
}

const SCHEMA = `
begin;
select pg_advisory_xact_lock(7886763295572323688);
create table if not exists broker_meta (
  name text primary key,
  value text not null
);
create table if not exists registrations (
  id uuid primary key,
  app_name text not null,
  kind text not null check (kind in ('application', 'delegated')),
  encrypted_key bytea not null,
  token_salt bytea not null,
  token_hash bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index if not exists registrations_app_name on registrations (app_name);
create table if not exists pending_signins (
  state_hash text primary key,
  app_name text not null,
  step text not null check (step in ('consent', 'signin')),
  binding_hash text not null,
  sealed bytea not null,
  expires_at bigint not null,
  consumed_at bigint
);
create index if not exists pending_signins_expires_at on pending_signins (expires_at);
${SHARED_LIMITS_SCHEMA}
commit;
`;

/** A sign-in the broker started and waits for at `/callback`, stored until it is answered or expires. */
export interface PendingSignIn {
  /** The `state` sent to Microsoft: random, stored only as its hash. */
  state: string;
  appName: string;
  /** `consent`: the admin-consent redirect (application apps); `signin`: the OpenID Connect sign-in. */
  step: "consent" | "signin";
  /** The browser-binding cookie's value: stored only as its hash. */
  binding: string;
  /** PKCE verifier of the sign-in (sealed at rest). */
  codeVerifier?: string;
  /** The OpenID Connect nonce (sealed at rest). */
  nonce?: string;
  /** The tenant the sign-in must happen in (a GUID), when known. */
  tenantId?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Outcome of {@link RegistrationStore.takePendingSignIn}. */
export type PendingOutcome =
  | { status: "ok"; pending: PendingSignIn }
  | { status: "unknown" }
  | { status: "used"; appName: string }
  | { status: "expired"; appName: string }
  | { status: "browser"; appName: string };

/** Answered sign-ins are kept this long past their expiry, so a replay is named as one. */
const PENDING_RETENTION_MS = 60 * 60_000;

function digest(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  id: string;
  app_name: string;
  kind: PermissionKind;
  encrypted_key: Uint8Array;
  token_salt: Uint8Array;
  token_hash: Uint8Array;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The data directory holds the database and perhaps the master key: it must be private. It is created 0700; an
 * existing one is made 0700 when it is the broker user's, and refused when another user owns it (that user could
 * read or replace the database whatever its mode).
 */
function privateDirectory(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dataDir);
  if (!stat.isDirectory()) {
    throw new BrokerConfigError(
      "dataDir",
      `${dataDir} is not a directory (a symbolic link is not accepted).`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new BrokerConfigError(
      "dataDir",
      `${dataDir} is owned by user ${stat.uid}, not by the user running the broker (${uid}): its owner could read or replace the database. Give the broker a directory of its own (chown it to the broker's user).`,
    );
  }
  if ((stat.mode & 0o777) !== 0o700) chmodSync(dataDir, 0o700);
}

/** Makes every directory under `dataDir` 0700 and every file 0600 (what the database wrote with the umask). */
export function restrictTree(dataDir: string): void {
  for (const entry of readdirSync(dataDir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const wanted = entry.isDirectory() ? 0o700 : entry.isFile() ? 0o600 : undefined;
    if (wanted === undefined) continue;
    try {
      if ((lstatSync(path).mode & 0o777) !== wanted) chmodSync(path, wanted);
    } catch {
      // A file the database removed meanwhile.
    }
  }
}

/** One broker per data directory: PGlite is a single-process database. */
function acquireLock(dataDir: string): () => void {
  const path = join(dataDir, "broker.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new BrokerConfigError(
          "dataDir",
          `${dataDir} is in use by another broker (process ${pid}); give each broker its own data directory.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new BrokerConfigError("dataDir", `${dataDir} cannot be locked.`);
}

/**
 * The master key: `MSINT_BROKER_MASTER_KEY`, else a key file `master.key` (0600) generated in the data directory
 * on first start. The file is the embedded default; a deployment should pass the key from its secret store.
 */
function masterKeyMaterial(
  dataDir: string,
  env: Record<string, string | undefined>,
  salt: Buffer,
  warn: (message: string) => void,
): Buffer {
  const value = env[MASTER_KEY_VARIABLE];
  if (value !== undefined && value.trim() !== "") {
    const key = masterKeyFrom(value, salt);
    if (!key) {
      throw new BrokerConfigError(
        MASTER_KEY_VARIABLE,
        "must be 32 bytes in base64 (openssl rand -base64 32) or a passphrase of at least 16 characters.",
      );
    }
    return key;
  }
  const path = join(dataDir, "master.key");
  if (!existsSync(path)) {
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    warn(
      `${MASTER_KEY_VARIABLE} is not set: generated ${path} (0600). In production pass the master key from a secret store instead, and keep it apart from the database backups.`,
    );
  }
  const key = masterKeyFrom(readFileSync(path, "utf8"), salt);
  if (!key) throw new BrokerConfigError(MASTER_KEY_VARIABLE, `: the key file ${path} is damaged.`);
  return key;
}

/**
 * The registrations, in an embedded PostgreSQL (PGlite, WebAssembly: the same files work on every Node version)
 * or in a PostgreSQL server shared by any number of broker replicas (`databaseUrl`). Registration keys are stored
 * AES-256-GCM-encrypted under the master key; tokens only as salted HMACs.
 */
export class RegistrationStore {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly keys: BrokerKeys,
    private readonly unlock: () => void,
    /** The PGlite data directory; undefined on PostgreSQL. */
    private readonly dataDir: string | undefined,
  ) {}

  /**
   * Opens (creating when needed) the database: PGlite in `dataDir`, or PostgreSQL at `databaseUrl`. On
   * PostgreSQL the master key must come from MSINT_BROKER_MASTER_KEY (every replica needs the same one).
   */
  static async open(options: {
    dataDir: string;
    databaseUrl?: string | undefined;
    env: Record<string, string | undefined>;
    warn: (message: string) => void;
  }): Promise<RegistrationStore> {
    const { dataDir, env, warn, databaseUrl } = options;
    if (databaseUrl) {
      const value = env[MASTER_KEY_VARIABLE];
      if (value === undefined || value.trim() === "") {
        throw new BrokerConfigError(
          MASTER_KEY_VARIABLE,
          "must be set when the broker runs on PostgreSQL: every replica needs the same master key (openssl rand -base64 32), from a secret store.",
        );
      }
    } else privateDirectory(dataDir);
    const unlock = databaseUrl ? () => undefined : acquireLock(dataDir);
    let db: SqlDatabase | undefined;
    try {
      db = databaseUrl ? await openPostgres(databaseUrl) : await openPglite(join(dataDir, "pgdata"), dataDir);
      await db.exec(SCHEMA);
      const salt = await RegistrationStore.meta(db, "kdf_salt", () => randomBytes(16).toString("base64"));
      const keys = deriveKeys(masterKeyMaterial(dataDir, env, Buffer.from(salt, "base64"), warn));
      const expected = keyCheckValue(keys);
      const stored = await RegistrationStore.meta(db, "key_check", () => expected);
      if (!safeEqual(stored, expected)) {
        throw new BrokerConfigError(
          MASTER_KEY_VARIABLE,
          `does not match the key this database (${db.location}) was created with: start with the original master key.`,
        );
      }
      // File modes concern the embedded database only; PostgreSQL keeps its files itself.
      const localDir = databaseUrl ? undefined : dataDir;
      if (localDir !== undefined) restrictTree(localDir);
      return new RegistrationStore(db, keys, unlock, localDir);
    } catch (error) {
      await db?.close().catch(() => undefined);
      unlock();
      throw error;
    }
  }

  private static async meta(db: SqlDatabase, name: string, initial: () => string): Promise<string> {
    await db.query("insert into broker_meta (name, value) values ($1, $2) on conflict (name) do nothing", [
      name,
      initial(),
    ]);
    const result = await db.query<{ value: string }>("select value from broker_meta where name = $1", [name]);
    return result.rows[0]!.value;
  }

  /** The database (rate limits and the replay cache live there too, see shared-limits.ts). */
  get database(): SqlDatabase {
    return this.db;
  }

  /** The keys derived from the master key (the OAuth state is sealed with one of them). */
  get derivedKeys(): BrokerKeys {
    return this.keys;
  }

  /** Creates a registration for `token` (tenant ID or refresh token) and returns its ID and new random key. */
  async create(appName: string, kind: PermissionKind, token: string): Promise<NewRegistration> {
    const id = randomUUID();
    const key = randomBytes(32);
    const salt = newSalt();
    await this.db.query(
      "insert into registrations (id, app_name, kind, encrypted_key, token_salt, token_hash) values ($1, $2, $3, $4, $5, $6)",
      [
        id,
        appName,
        kind,
        seal(this.keys.registrationKey, key, `${id}:${appName}`),
        salt,
        hashToken(this.keys, salt, token),
      ],
    );
    return { id, key: key.toString("base64") };
  }

  /** The registration with this ID, or undefined (also for IDs that are not UUIDs). */
  async find(id: string): Promise<Registration | undefined> {
    if (!UUID.test(id)) return undefined;
    const result = await this.db.query<Row>(
      "select id, app_name, kind, encrypted_key, token_salt, token_hash from registrations where id = $1",
      [id.toLowerCase()],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    const key = unseal(this.keys.registrationKey, row.encrypted_key, `${row.id}:${row.app_name}`);
    // A row whose key does not decrypt was altered or copied from another database: treat it as absent.
    if (!key) return undefined;
    return {
      id: row.id,
      appName: row.app_name,
      kind: row.kind,
      key: key.toString("base64"),
      tokenSalt: Buffer.from(row.token_salt),
      tokenHash: Buffer.from(row.token_hash),
    };
  }

  /** Whether `token` is the one whose hash the registration holds (constant-time). */
  verifyToken(registration: Registration, token: string): boolean {
    return safeEqual(hashToken(this.keys, registration.tokenSalt, token), registration.tokenHash);
  }

  /**
   * Replaces the token hash (a rotated refresh token), only if it is still `previous`: of two racing requests with
   * the same refresh token only one may move the registration on.
   */
  async rotateToken(registration: Registration, token: string): Promise<boolean> {
    const salt = newSalt();
    const result = await this.db.query(
      "update registrations set token_salt = $2, token_hash = $3, updated_at = now(), last_used_at = now() where id = $1 and token_hash = $4",
      [registration.id, salt, hashToken(this.keys, salt, token), registration.tokenHash],
    );
    return result.affectedRows === 1;
  }

  /** Records a successful use. */
  async touch(id: string): Promise<void> {
    await this.db.query("update registrations set last_used_at = now() where id = $1", [id]);
  }

  /** Deletes a registration; true when it existed. */
  async delete(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const result = await this.db.query("delete from registrations where id = $1", [id.toLowerCase()]);
    return result.affectedRows === 1;
  }

  /** Number of registrations per app. */
  async countByApp(): Promise<Record<string, number>> {
    const result = await this.db.query<{ app_name: string; n: number }>(
      "select app_name, count(*)::int as n from registrations group by app_name",
    );
    return Object.fromEntries(result.rows.map((row) => [row.app_name, row.n]));
  }

  // --- pending sign-ins: the only functions that touch them, so another database can take their place -----------

  /** Stores a sign-in the broker started (its secrets sealed under the state key, bound to the row). */
  async savePendingSignIn(pending: PendingSignIn): Promise<void> {
    const stateHash = digest(pending.state);
    const secrets = JSON.stringify({
      v: pending.codeVerifier,
      n: pending.nonce,
      t: pending.tenantId,
    });
    await this.db.query(
      "insert into pending_signins (state_hash, app_name, step, binding_hash, sealed, expires_at) values ($1, $2, $3, $4, $5, $6)",
      [
        stateHash,
        pending.appName,
        pending.step,
        digest(pending.binding),
        seal(
          this.keys.state,
          Buffer.from(secrets, "utf8"),
          `pending:${stateHash}:${pending.appName}:${pending.step}`,
        ),
        pending.expiresAt,
      ],
    );
  }

  /**
   * Answers a callback: the pending sign-in of `state`, marked used, when `binding` is its browser's cookie and it
   * has not expired. A wrong or missing cookie does not use it up (the real browser may still come).
   */
  async takePendingSignIn(state: string, binding: string | undefined, now: number): Promise<PendingOutcome> {
    if (!state || state.length > 256) return { status: "unknown" };
    const stateHash = digest(state);
    const result = await this.db.query<{
      app_name: string;
      step: "consent" | "signin";
      binding_hash: string;
      sealed: Uint8Array;
      expires_at: string | number;
      consumed_at: string | number | null;
    }>(
      "select app_name, step, binding_hash, sealed, expires_at, consumed_at from pending_signins where state_hash = $1",
      [stateHash],
    );
    const row = result.rows[0];
    if (!row) return { status: "unknown" };
    const appName = row.app_name;
    if (row.consumed_at !== null) return { status: "used", appName };
    if (Number(row.expires_at) < now) return { status: "expired", appName };
    if (!binding || !safeEqual(digest(binding), row.binding_hash)) return { status: "browser", appName };
    const claimed = await this.db.query(
      "update pending_signins set consumed_at = $2 where state_hash = $1 and consumed_at is null",
      [stateHash, now],
    );
    if ((claimed.affectedRows ?? 0) !== 1) return { status: "used", appName };
    const plain = unseal(this.keys.state, row.sealed, `pending:${stateHash}:${appName}:${row.step}`);
    if (!plain) return { status: "unknown" };
    const secrets = JSON.parse(plain.toString("utf8")) as { v?: string; n?: string; t?: string };
    return {
      status: "ok",
      pending: {
        state,
        appName,
        step: row.step,
        binding,
        ...(secrets.v ? { codeVerifier: secrets.v } : {}),
        ...(secrets.n ? { nonce: secrets.n } : {}),
        ...(secrets.t ? { tenantId: secrets.t } : {}),
        expiresAt: Number(row.expires_at),
      },
    };
  }

  /** Forgets sign-ins an hour past their expiry (until then a replay or a late answer is named as such). */
  async sweepPendingSignIns(now: number): Promise<number> {
    const result = await this.db.query("delete from pending_signins where expires_at < $1", [
      now - PENDING_RETENTION_MS,
    ]);
    return result.affectedRows ?? 0;
  }

  /** Number of sign-ins waiting for their callback. */
  async countPendingSignIns(now: number): Promise<number> {
    const result = await this.db.query<{ n: number }>(
      "select count(*)::int as n from pending_signins where consumed_at is null and expires_at >= $1",
      [now],
    );
    return result.rows[0]?.n ?? 0;
  }

  /** Makes the files the database wrote since the last call private again (see {@link restrictTree}). */
  restrictFiles(): void {
    if (this.dataDir !== undefined) restrictTree(this.dataDir);
  }

  /** Flushes and closes the database and releases the data directory. */
  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.unlock();
      try {
        if (this.dataDir !== undefined) restrictTree(this.dataDir);
      } catch {
        // Closing must not fail over a mode.
      }
    }
  }
}
