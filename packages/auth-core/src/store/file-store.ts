import { createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DOC_EXT, decodeFileName, encodeKeyName, seal, unseal } from "./codec.js";
import { errnoCode, ioError, StoreError } from "./errors.js";
import { acquireLock } from "./file-lock.js";
import { KeyedMutex } from "./mutex.js";
import { MAX_DOCUMENT_BYTES, readRegularFileSync } from "./safe-read.js";
import { assertValidKey, type ContextStore, compareKeys } from "./types.js";

/** Options of {@link FileStore}. */
export interface FileStoreOptions {
  /** Directory holding one encrypted file per key (created 0700 on first write if missing). */
  dir: string;
  /** The 32-byte AES-256-GCM key. */
  key: Uint8Array;
  /** How long `update`/`remove` wait for another process's lock before failing with "locked". Default 60 000. */
  lockTimeoutMs?: number;
  /** A lock not refreshed for this long is considered stale and broken. Default 30 000. */
  staleLockMs?: number;
}

/** Same-file updates in this process queue here first (shared by every FileStore instance), then take the file lock. */
const fileMutex = new KeyedMutex();
/** Directories this process has already created/checked. */
const ensuredDirs = new Map<string, Promise<void>>();

/** Temp files we write (`<name>.msint.<pid>.<hex>.tmp`) and lock graveyard files (`….stale`). */
const LEFTOVER = /\.msint(?:\.lock(?:\.break)?)?\.\d+\.[0-9a-f]+\.(?:tmp|stale)$/;

/**
 * The default {@link ContextStore}: one AES-256-GCM encrypted file per key under `dir`, mode 0600.
 *
 * - `read` takes no lock: one `readFile` and one decryption.
 * - `update`/`remove` are atomic across processes: an in-process queue per file, then a lock file
 *   (`<file>.lock`); writes go to a temp file that is fsynced and renamed over the target, so a crash at any
 *   point leaves the old or the new document, never a partial one.
 * - A file that cannot be decrypted (modified, swapped with another key's file, or the key changed) raises
 *   `StoreError` "tampered"; it is never reset or deleted (only an explicit `remove` deletes it).
 *
 * Usually obtained from {@link openFileStore}, which manages the key.
 */
export class FileStore<T = unknown> implements ContextStore<T> {
  /** Absolute path of the directory holding the documents. */
  readonly dir: string;
  readonly #key: KeyObject;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  readonly #files = new Map<string, string>();

  /** @throws StoreError "bad-key" when `key` is not 32 bytes. */
  constructor(options: FileStoreOptions) {
    if (!(options.key instanceof Uint8Array) || options.key.length !== 32) {
      throw new StoreError("bad-key", "The context store key must be exactly 32 bytes (AES-256).");
    }
    this.dir = resolve(options.dir);
    this.#key = createSecretKey(options.key);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
  }

  /** The path of the file holding `key`'s document (whether or not it exists). */
  fileFor(key: string): string {
    let file = this.#files.get(key);
    if (file === undefined) {
      assertValidKey(key);
      file = join(this.dir, encodeKeyName(key) + DOC_EXT);
      this.#files.set(key, file);
    }
    return file;
  }

  /** @inheritDoc */
  async read(key: string): Promise<T | undefined> {
    const file = this.fileFor(key);
    // A small local file: a synchronous read costs microseconds, a trip through the thread pool far more. Only a
    // regular file is read (never a FIFO, device or symbolic link, which could hang msint or point anywhere),
    // and only up to MAX_DOCUMENT_BYTES.
    const data = readRegularFileSync(file, MAX_DOCUMENT_BYTES, `stored state of "${key}"`);
    if (data === undefined) return undefined;
    return this.#decode(key, file, data);
  }

  /** @inheritDoc */
  async update(
    key: string,
    fn: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<T | undefined> {
    const file = this.fileFor(key);
    return this.#locked(key, file, async () => {
      const current = await this.read(key);
      const next = await fn(current);
      if (next === current) return next;
      if (next === undefined) {
        await this.#unlink(key, file);
        return undefined;
      }
      const json = JSON.stringify(next);
      if (typeof json !== "string") {
        throw new TypeError(`The new state of "${key}" is not JSON-serializable.`);
      }
      await this.#writeAtomic(key, file, seal(this.#key, key, Buffer.from(json, "utf8")));
      return next;
    });
  }

  /** @inheritDoc */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw ioError("Cannot list the context store", this.dir, err);
    }
    const keys: string[] = [];
    const leftovers: string[] = [];
    for (const name of names) {
      const key = decodeFileName(name);
      if (key !== undefined) keys.push(key);
      else if (LEFTOVER.test(name)) leftovers.push(name);
    }
    if (leftovers.length > 0) await this.#cleanLeftovers(leftovers);
    return keys.sort(compareKeys);
  }

  /** @inheritDoc */
  async remove(key: string): Promise<boolean> {
    const file = this.fileFor(key);
    return this.#locked(key, file, () => this.#unlink(key, file));
  }

  async #locked<R>(key: string, file: string, body: () => Promise<R>): Promise<R> {
    return fileMutex.run(
      file,
      async () => {
        await ensureDir(this.dir);
        const lock = await acquireLock(`${file}.lock`, {
          timeoutMs: this.#lockTimeoutMs,
          staleMs: this.#staleLockMs,
          keyName: key,
        });
        try {
          return await body();
        } finally {
          await lock.release();
        }
      },
      () =>
        new StoreError(
          "locked",
          `The context store was asked to change "${key}" from inside an update of "${key}"; that would deadlock. ` +
            "Return the new value from the update callback instead.",
          { file },
        ),
    );
  }

  #decode(key: string, file: string, data: Buffer): T {
    const plain = unseal(this.#key, key, data);
    if (plain === "header") {
      throw new StoreError(
        "tampered",
        `The stored state of "${key}" (${file}) is not an msint store file (unknown header): it was modified or ` +
          `replaced. Restore the file or remove the instance (msint instance remove ${shellWord(key)}).`,
        { file },
      );
    }
    if (plain === "decrypt") {
      throw new StoreError(
        "tampered",
        `The stored state of "${key}" (${file}) cannot be decrypted: the file was modified, or MSINT_STORE_KEY / ` +
          `store.key changed. Restore the file or remove the instance (msint instance remove ${shellWord(key)}).`,
        { file },
      );
    }
    try {
      return JSON.parse(plain.toString("utf8")) as T;
    } catch {
      // No cause: JSON.parse messages quote the input, which holds secrets.
      throw new StoreError(
        "tampered",
        `The stored state of "${key}" (${file}) was decrypted but is not valid JSON. ` +
          `Restore the file or remove the instance (msint instance remove ${shellWord(key)}).`,
        { file },
      );
    }
  }

  async #writeAtomic(key: string, file: string, data: Buffer): Promise<void> {
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    let handle: FileHandle | undefined;
    try {
      handle = await fsp.open(tmp, "wx", 0o600);
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      handle = undefined;
      await fsp.rename(tmp, file);
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await fsp.unlink(tmp).catch(() => undefined);
      throw ioError(`Cannot write the stored state of "${key}"`, file, err);
    }
    await syncDir(this.dir);
  }

  async #unlink(key: string, file: string): Promise<boolean> {
    try {
      await fsp.unlink(file);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return false;
      throw ioError(`Cannot delete the stored state of "${key}"`, file, err);
    }
    await syncDir(this.dir);
    return true;
  }

  async #cleanLeftovers(names: string[]): Promise<void> {
    const cutoff = Date.now() - this.#staleLockMs;
    await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        try {
          if ((await fsp.stat(path)).mtimeMs < cutoff) await fsp.unlink(path);
        } catch {
          // raced with another cleaner, or not ours to delete: ignore
        }
      }),
    );
  }
}

/** Creates `dir` (0700, with parents) once per process. */
function ensureDir(dir: string): Promise<void> {
  let pending = ensuredDirs.get(dir);
  if (pending === undefined) {
    pending = fsp.mkdir(dir, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (err: unknown) => {
        ensuredDirs.delete(dir);
        throw ioError("Cannot create the context store directory", dir, err);
      },
    );
    ensuredDirs.set(dir, pending);
  }
  return pending;
}

/** Records that `dir` exists with the right mode (used by openFileStore after its own checks). @internal */
export function markDirEnsured(dir: string): void {
  ensuredDirs.set(resolve(dir), Promise.resolve());
}

/** fsyncs a directory so a rename or unlink survives a power loss (best effort: not supported everywhere). */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(dir, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Quotes a key for the shell command suggested in messages, when needed. */
function shellWord(key: string): string {
  return /^[A-Za-z0-9._@%+=:,/-]+$/.test(key) ? key : `'${key.replace(/'/g, `'\\''`)}'`;
}
