import { brandErrorClass, MsintError } from "../errors.js";

/** What went wrong in a {@link StoreError}. */
export type StoreErrorCode =
  /** A stored file cannot be decrypted or parsed: it was modified, swapped, or the store key changed. */
  | "tampered"
  /** The per-key lock could not be taken in time, or `update` was re-entered for the same key. */
  | "locked"
  /** The file system refused an operation (permissions, missing directory, disk full, …). */
  | "io"
  /** The encryption key is unusable: wrong length, corrupt `store.key` / `store.salt`, empty passphrase, or
   * not the key the store was sealed with. */
  | "bad-key"
  /**
   * The store's surroundings are not safe to use: a directory writable by others or owned by another user, a
   * key file others can read, a store file that is not a regular file (FIFO, device, symbolic link) or is
   * larger than msint writes.
   */
  | "unsafe"
  /** A database store cannot be reached or refused the connection (wrong URL, host, credentials, database). */
  | "unavailable"
  /** A database store has a schema this msint does not work with (not migrated, or made by a newer msint). */
  | "schema";

/**
 * The one error class the context store throws for store-level failures.
 *
 * Messages name the instance and the file involved and say what to do; they never contain stored
 * content (secrets, tokens) nor the key material.
 */
export class StoreError extends MsintError {
  override readonly name = "StoreError";
  /** Machine-readable reason. */
  declare readonly code: StoreErrorCode;
  /** The file (document, lock, key file or directory) the error is about, when there is one. */
  readonly file: string | undefined;

  static {
    brandErrorClass(StoreError, "StoreError");
  }

  constructor(code: StoreErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? { code } : { code, cause: options.cause });
    this.file = options.file;
  }
}

/** Node's `err.code` for file-system errors, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** Wraps a file-system error into a `StoreError` "io" with a readable message. */
export function ioError(what: string, file: string, err: unknown): StoreError {
  const detail = err instanceof Error ? err.message : String(err);
  return new StoreError("io", `${what} (${file}): ${detail}`, { file, cause: err });
}
