import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fchmodSync,
  promises as fsp,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { errnoCode, ioError, StoreError } from "./errors.js";
import { FileStore, markDirEnsured, syncDir } from "./file-store.js";
import { parseStoreKey, rawStoreKey, scryptStoreKey } from "./key.js";

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
 * Existing directories owned by the current user are tightened to 0700 (except the user's own home
 * directory), and a key file readable by others is tightened to 0600. Directory checks and the key are cached
 * per process: opening the same store again costs no I/O and no key derivation.
 *
 * @throws StoreError "bad-key" for a corrupt key/salt file or an empty passphrase, "io" for file-system failures.
 */
export async function openFileStore<T = unknown>(options: OpenFileStoreOptions): Promise<FileStore<T>> {
  const home = resolve(options.home);
  const storeDir = join(home, "store");
  privateDir(home, home !== resolve(homedir()));
  privateDir(storeDir, true);
  markDirEnsured(storeDir);
  const key =
    options.passphrase === undefined ? await fileKey(home) : await passphraseKey(home, options.passphrase);
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
    const ownedByUs = typeof process.getuid === "function" && st.uid === process.getuid();
    if (tightenExisting && ownedByUs && (st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  } catch (err) {
    if (err instanceof StoreError) throw err;
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
 * Synchronous, like the directory checks: one small file, once per process.
 */
function readKeyFile(
  file: string,
  size: number,
  what: string,
  mayRetry: boolean,
): Buffer | undefined | "retry" {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw ioError(`Cannot read the ${what} file`, file, err);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (process.platform !== "win32" && (st.mode & 0o177) !== 0) {
      try {
        fchmodSync(fd, 0o600); // readable by others: tighten
      } catch {
        // Not ours to change: reading it is still fine.
      }
    }
    text = readFileSync(fd, "utf8");
  } catch (err) {
    throw ioError(`Cannot read the ${what} file`, file, err);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing was written through it.
    }
  }
  const trimmed = text.trim();
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
