import { createHash, randomBytes, createSecretKey as secretKey, timingSafeEqual } from "node:crypto";
import {
  chmodSync,
  promises as fsp,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DOC_EXT, decodeFileName, unseal } from "./codec.js";
import { errnoCode, ioError, StoreError } from "./errors.js";
import { FileStore, markDirEnsured, syncDir } from "./file-store.js";
import { parseStoreKey, rawStoreKey, scryptStoreKey, storeKeyCheck } from "./key.js";
import { MAX_DOCUMENT_BYTES, MAX_SMALL_FILE_BYTES, readRegularFileSync, shellPath } from "./safe-read.js";

/** Options of {@link openFileStore}. */
export interface OpenFileStoreOptions {
  /** The msint home directory (the CLI passes `MSINT_HOME`, default `~/.msint`). */
  home: string;
  /**
   * The store key setting (usually `MSINT_STORE_KEY`, see {@link storeKeyFromEnv}) instead of the random key in
   * `home/store.key`: a raw 256-bit key (`base64:…` or 64 hex digits, used through HKDF) or a passphrase
   * (stretched with scrypt and the salt in `home/store.salt`).
   */
  passphrase?: string;
  /** See {@link FileStoreOptions.lockTimeoutMs}. */
  lockTimeoutMs?: number;
  /** See {@link FileStoreOptions.staleLockMs}. */
  staleLockMs?: number;
}

const checkedDirs = new Set<string>();
const keyCache = new Map<string, Promise<Buffer>>();

/**
 * Opens the encrypted file store of an msint home.
 *
 * Layout: `home/` (0700) · `home/store/` (0700, one `<encoded key>.msint` file per instance, 0600) ·
 * `home/store.key` (32 random bytes, base64, 0600 — created on first use, atomically, by exactly one of racing
 * processes) or, with a passphrase, `home/store.salt` (16 random bytes, base64, 0600) and a scrypt-derived key.
 *
 * Like ssh, it refuses (StoreError "unsafe", with the chmod/chown that fixes it) a home or store directory owned
 * by another user or writable by group or others, and a key or salt file that is not a private (0600) regular
 * file of the current user; an existing directory that others can only read is tightened to 0700 (except the
 * user's own home directory). `home/store.meta` records which key sealed the store (see verifyKey), so another
 * key is refused at once with what to do. Directory checks and the key are cached
 * per process: opening the same store again costs no I/O and no key derivation.
 *
 * @throws StoreError "bad-key" for a corrupt key/salt file, an empty passphrase or another key than the store
 *   was sealed with; "unsafe" for unsafe surroundings (see above); "io" for file-system failures.
 */
export async function openFileStore<T = unknown>(options: OpenFileStoreOptions): Promise<FileStore<T>> {
  const home = resolve(options.home);
  const storeDir = join(home, "store");
  privateDir(home, home !== resolve(homedir()));
  privateDir(storeDir, true);
  markDirEnsured(storeDir);
  const source: KeySource = options.passphrase === undefined ? "file" : "passphrase";
  // Another kind of key than the store was sealed with is refused before a key file or salt is created.
  checkKeySource(home, source);
  const key =
    options.passphrase === undefined ? await fileKey(home) : await passphraseKey(home, options.passphrase);
  verifyKey(home, storeDir, key, source);
  const storeOptions: ConstructorParameters<typeof FileStore>[0] = { dir: storeDir, key };
  if (options.lockTimeoutMs !== undefined) storeOptions.lockTimeoutMs = options.lockTimeoutMs;
  if (options.staleLockMs !== undefined) storeOptions.staleLockMs = options.staleLockMs;
  return new FileStore<T>(storeOptions);
}

/** The store passphrase from `MSINT_STORE_KEY`, or undefined when unset or empty. */
export function storeKeyFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env["MSINT_STORE_KEY"];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Creates `dir` with mode 0700, or tightens an existing one we own; once per process. Synchronous on purpose:
 * a handful of metadata calls, once per process, cost less than their trips through the thread pool would.
 */
function privateDir(dir: string, tightenExisting: boolean): void {
  if (checkedDirs.has(dir)) return;
  ensurePrivateDir(dir, tightenExisting);
  checkedDirs.add(dir);
}

/** The current user's id, or undefined where the platform has none (Windows: ACLs guard per-user folders). */
function currentUid(): number | undefined {
  return process.platform !== "win32" && typeof process.getuid === "function" ? process.getuid() : undefined;
}

function ensurePrivateDir(dir: string, tightenExisting: boolean): void {
  try {
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) {
      if (process.platform !== "win32") chmodSync(dir, 0o700); // in case the umask stripped owner bits
      return;
    }
    const st = statSync(dir);
    if (!st.isDirectory()) {
      throw new StoreError("io", `The msint store path ${dir} exists but is not a directory.`, { file: dir });
    }
    const uid = currentUid();
    if (uid === undefined) return;
    // As ssh does with ~/.ssh: a directory someone else owns, or may write, could hold files planted by them
    // (an older instance file, a FIFO, a link), so it is refused rather than quietly repaired.
    if (st.uid !== uid) {
      throw new StoreError(
        "unsafe",
        `The msint directory ${dir} belongs to another user (uid ${st.uid}), not to you (uid ${uid}), so msint ` +
          "does not keep secrets in it. Point MSINT_HOME at a directory of your own, or take this one over: " +
          `chown ${uid} ${shellPath(dir)} && chmod 700 ${shellPath(dir)}`,
        { file: dir },
      );
    }
    if ((st.mode & 0o022) !== 0) {
      throw new StoreError(
        "unsafe",
        `The msint directory ${dir} can be written by ${writers(st.mode)} (mode ${octal(st.mode)}), who could ` +
          `replace or plant stored files, so msint does not use it. Fix it with: chmod 700 ${shellPath(dir)}`,
        { file: dir },
      );
    }
    // Readable by others but not writable: nothing can have been planted; only tighten it.
    if (tightenExisting && (st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  } catch (err) {
    if (StoreError.isInstance(err)) throw err;
    throw ioError("Cannot create the msint store directory", dir, err);
  }
}

/**
 * The random key of an msint home (`home/store.key`, created 0600 on first use; the home made 0700), as the file
 * store uses it. Other stores (PostgreSQL) use it when no `MSINT_STORE_KEY` is set.
 */
export async function homeStoreKey(home: string): Promise<Buffer> {
  const dir = resolve(home);
  privateDir(dir, dir !== resolve(homedir()));
  return fileKey(dir);
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

function writers(mode: number): string {
  const group = (mode & 0o020) !== 0;
  const others = (mode & 0o002) !== 0;
  return group && others ? "its group and all other users" : group ? "its group" : "all other users";
}

async function fileKey(home: string): Promise<Buffer> {
  const file = join(home, "store.key");
  return cached(`file\0${file}`, () => loadOrCreate(file, 32, "store key"));
}

async function passphraseKey(home: string, setting: string): Promise<Buffer> {
  const input = parseStoreKey(setting);
  if (input.kind === "raw") return rawStoreKey(input.key);
  const { passphrase } = input;
  const id = createHash("sha256").update(home).update("\0").update(passphrase).digest("hex");
  return cached(`scrypt\0${id}`, async () => {
    const salt = await loadOrCreate(join(home, "store.salt"), 16, "store salt");
    return scryptStoreKey(passphrase, salt);
  });
}

function cached(id: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let pending = keyCache.get(id);
  if (pending === undefined) {
    pending = make();
    pending.catch(() => keyCache.delete(id));
    keyCache.set(id, pending);
  }
  return pending;
}

/**
 * Reads `file` (base64 of `size` random bytes), or creates it atomically: the content goes to a temp file that
 * is then hard-linked to `file` (fails if it exists), so racing processes agree on one value and nobody ever
 * reads a half-written file. Where hard links are unsupported, falls back to O_EXCL + retrying short reads.
 */
async function loadOrCreate(file: string, size: number, what: string): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    const existing = readKeyFile(file, size, what, attempt < 50);
    if (existing === "retry") {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    if (existing !== undefined) return existing;

    const value = randomBytes(size);
    const content = `${value.toString("base64")}\n`;
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeNew(tmp, content);
      try {
        await fsp.link(tmp, file);
      } catch (err) {
        const code = errnoCode(err);
        if (code === "EEXIST") continue; // somebody else won: read theirs
        if (
          code !== "EPERM" &&
          code !== "ENOTSUP" &&
          code !== "EOPNOTSUPP" &&
          code !== "ENOSYS" &&
          code !== "EXDEV"
        )
          throw err;
        try {
          await writeNew(file, content); // no hard links here: O_EXCL directly
        } catch (err2) {
          if (errnoCode(err2) === "EEXIST") continue;
          throw err2;
        }
      }
      await syncDir(dirname(file));
      return value;
    } catch (err) {
      throw ioError(`Cannot create the ${what} file`, file, err);
    } finally {
      await fsp.unlink(tmp).catch(() => undefined);
    }
  }
}

async function writeNew(path: string, content: string): Promise<void> {
  const handle = await fsp.open(path, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The decoded key file, undefined when missing, "retry" while it looks half-written (fallback path only).
 * Synchronous, like the directory checks: one small file, once per process. The file must be a regular file
 * (not a FIFO, device or symbolic link) owned by the current user and readable by nobody else, as ssh wants of
 * a private key: a key that others could read is no longer a secret, and is refused rather than repaired.
 */
function readKeyFile(
  file: string,
  size: number,
  what: string,
  mayRetry: boolean,
): Buffer | undefined | "retry" {
  const data = readRegularFileSync(file, MAX_SMALL_FILE_BYTES, `${what} file`);
  if (data === undefined) return undefined;
  const uid = currentUid();
  if (uid !== undefined) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch (err) {
      throw ioError(`Cannot read the ${what} file`, file, err);
    }
    if (st.uid !== uid) {
      throw new StoreError(
        "unsafe",
        `The ${what} file ${file} belongs to another user (uid ${st.uid}), not to you (uid ${uid}): msint only ` +
          `uses a key file of your own. Take it over if it is yours: chown ${uid} ${shellPath(file)} && chmod 600 ${shellPath(file)}`,
        { file },
      );
    }
    if ((st.mode & 0o077) !== 0) {
      throw new StoreError(
        "unsafe",
        `The ${what} file ${file} is not private (mode ${octal(st.mode)}): ${
          (st.mode & 0o022) !== 0 ? "others can change it" : "others can read it"
        }. Fix it with: chmod 600 ${shellPath(file)}`,
        { file },
      );
    }
  }
  const trimmed = data.toString("utf8").trim();
  const value = Buffer.from(trimmed, "base64");
  if (value.length === size && value.toString("base64") === trimmed) return value;
  if (mayRetry && trimmed.length < Math.ceil(size / 3) * 4) return "retry";
  throw new StoreError(
    "bad-key",
    `The ${what} file ${file} is corrupt (expected ${size} bytes in base64). Restore it from a backup: ` +
      "without it the stored state cannot be decrypted.",
    { file },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Which key sealed the store

/**
 * Where the store key comes from: the key file `store.key`, or `MSINT_STORE_KEY` (a passphrase or a raw key; the
 * metadata calls both "passphrase").
 */
type KeySource = "file" | "passphrase";

/** The store's metadata file: which kind of key sealed it, and a check value of that key. */
const META_FILE = "store.meta";
const META_FORMAT = 1;
const verifiedKeys = new Set<string>();

interface StoreMeta {
  format: number;
  key: KeySource;
  /** {@link storeKeyCheck} of the key (`kcv1:…`), the same check value the PostgreSQL store keeps: says nothing of the key. */
  check: string;
}

/** Check values of the current format; a store.meta with another (an unreleased earlier format) is recorded anew. */
const CHECK_PREFIX = "kcv1:";

/**
 * Makes sure `key` is the key the store was sealed with, before anything is read or written with another one:
 * the first open records the key's check value in `home/store.meta`; a later open with another key (a forgotten
 * or different `MSINT_STORE_KEY`, a replaced `store.key`) is refused with what to do, instead of every instance
 * failing with "cannot be decrypted" — or, worse, new instances being sealed with a second key. A store from
 * before this file gets it once one of its documents decrypts with the key in use.
 */
function verifyKey(home: string, storeDir: string, key: Buffer, source: KeySource): void {
  const check = storeKeyCheck(key);
  const id = `${home}\0${source}\0${check}`;
  if (verifiedKeys.has(id)) return;
  const file = join(home, META_FILE);
  const meta = readMeta(file);
  if (meta === undefined || !meta.check?.startsWith(CHECK_PREFIX)) {
    // No metadata, or a check value of an earlier format: the documents say whether this is the key.
    if (meta !== undefined && meta.key !== source) {
      throw new StoreError("bad-key", mismatchMessage(home, meta.key, source), { file });
    }
    if (!legacyDocumentsAccept(storeDir, key)) return; // unknown: each document speaks for itself
    writeMeta(file, { format: META_FORMAT, key: source, check }, meta !== undefined);
    verifiedKeys.add(id);
    return;
  }
  if (meta.check !== undefined && safeEqual(meta.check, check) && meta.key === source) {
    verifiedKeys.add(id);
    return;
  }
  throw new StoreError("bad-key", mismatchMessage(home, meta.key, source), { file });
}

function mismatchMessage(home: string, sealedWith: KeySource | undefined, now: KeySource): string {
  const store = `The msint store in ${home}`;
  if (sealedWith === "passphrase" && now === "file") {
    return `${store} was sealed with a passphrase, but MSINT_STORE_KEY is not set: set MSINT_STORE_KEY as when the store was created.`;
  }
  if (sealedWith === "file" && now === "passphrase") {
    return `${store} was sealed with its key file ${join(home, "store.key")}, but MSINT_STORE_KEY is set: unset MSINT_STORE_KEY to use this store.`;
  }
  if (now === "passphrase") {
    return `${store} was sealed with another key: set MSINT_STORE_KEY as when the store was created (the key or passphrase set now is a different one).`;
  }
  return `${store} was sealed with another key: ${join(home, "store.key")} is not the key file the store was created with. Restore that file from a backup.`;
}

/** Refuses a key of the other kind (passphrase / key file) than the store was sealed with, before it is made. */
function checkKeySource(home: string, source: KeySource): void {
  if ([...verifiedKeys].some((id) => id.startsWith(`${home}\0${source}\0`))) return;
  const meta = readMeta(join(home, META_FILE));
  if (meta !== undefined && meta.key !== source) {
    throw new StoreError("bad-key", mismatchMessage(home, meta.key, source), { file: join(home, META_FILE) });
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readMeta(file: string): Partial<StoreMeta> | undefined {
  const data = readRegularFileSync(file, MAX_SMALL_FILE_BYTES, "store metadata file");
  if (data === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data.toString("utf8"));
  } catch {
    value = undefined;
  }
  const meta = value as Partial<StoreMeta> | undefined;
  if (
    !meta ||
    typeof meta !== "object" ||
    (meta.key !== "file" && meta.key !== "passphrase") ||
    typeof meta.check !== "string"
  ) {
    throw new StoreError(
      "bad-key",
      `The store metadata file ${file} is corrupt. Restore it from a backup, or remove it: msint then records ` +
        "the key in use again once one stored instance decrypts with it.",
      { file },
    );
  }
  return meta;
}

/**
 * Whether a store without metadata is sealed with `key`: its first readable document decrypts with it, or it
 * has no document at all (then the key in use now is the one it is sealed with from now on).
 */
function legacyDocumentsAccept(storeDir: string, key: Buffer): boolean {
  let names: string[];
  try {
    names = readdirSync(storeDir).filter((name) => name.endsWith(DOC_EXT));
  } catch {
    return false;
  }
  for (const name of names.sort()) {
    const keyName = decodeFileName(name);
    if (keyName === undefined) continue;
    let data: Buffer | undefined;
    try {
      data = readRegularFileSync(join(storeDir, name), MAX_DOCUMENT_BYTES, `stored state of "${keyName}"`);
    } catch {
      continue; // an unreadable file is reported when the instance is read
    }
    if (data === undefined) continue;
    return unsealWith(key, keyName, data);
  }
  return true;
}

function unsealWith(key: Buffer, keyName: string, data: Buffer): boolean {
  return unseal(secretKey(key), keyName, data) instanceof Buffer;
}

/**
 * Writes the metadata file once, atomically (temp file + hard link, as the key file); a racing writer wins.
 * `replace` (a check value of an earlier format) renames over the existing file instead.
 */
function writeMeta(file: string, meta: StoreMeta, replace = false): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(meta)}\n`, { mode: 0o600, flag: "wx" });
    if (replace) {
      renameSync(tmp, file);
      return;
    }
    try {
      linkSync(tmp, file);
    } catch (err) {
      if (errnoCode(err) === "EEXIST") return; // another process recorded it first: checked on the next open
      // No hard links here: the metadata is only a safeguard, written again on the next open.
    }
  } catch {
    // A store that cannot record its key check works as before; the check is a safeguard, not a requirement.
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
  }
}
