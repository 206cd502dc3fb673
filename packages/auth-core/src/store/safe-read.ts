import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { errnoCode, ioError, StoreError } from "./errors.js";

/**
 * Flags for opening a store file to read it: never follow a symbolic link (ELOOP instead), and never block in
 * `open` (a FIFO would otherwise wait for a writer forever). Reads of a regular file are not affected by
 * O_NONBLOCK; anything that is not a regular file is refused after `fstat`, before a byte is read.
 */
export const SAFE_READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The largest instance document the store reads (a token cache of a few hundred KiB is far below it). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** The largest key, salt, metadata or lock file the store reads: they hold a few hundred bytes. */
export const MAX_SMALL_FILE_BYTES = 64 * 1024;

/** What kind of file `stats` describes, for messages. */
export function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** The StoreError of a store file that is not a regular file (or a symbolic link). */
export function notRegularError(what: string, file: string, kind: string): StoreError {
  return new StoreError(
    "unsafe",
    `The ${what} ${file} is ${kind}, not a regular file: msint only reads the regular files it wrote itself. ` +
      `Remove it (rm ${shellPath(file)}) or restore the file from a backup.`,
    { file },
  );
}

/** The StoreError of a store file larger than msint ever writes. */
export function tooLargeError(what: string, file: string, size: number, limit: number): StoreError {
  return new StoreError(
    "unsafe",
    `The ${what} ${file} is ${size} bytes, more than the ${limit} bytes msint reads: it is not a file msint ` +
      "wrote. Restore the file from a backup or remove it.",
    { file },
  );
}

/**
 * Reads a whole regular file synchronously: no symbolic link, FIFO, device or socket, at most `limit` bytes.
 * Returns undefined when the file does not exist.
 * @throws StoreError "unsafe" for anything but a regular file within the limit, "io" for other failures.
 */
export function readRegularFileSync(file: string, limit: number, what: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, SAFE_READ_FLAGS);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw notRegularError(what, file, "a symbolic link");
    throw ioError(`Cannot read the ${what}`, file, err);
  }
  try {
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (err) {
      throw ioError(`Cannot read the ${what}`, file, err);
    }
    if (!stats.isFile()) throw notRegularError(what, file, fileKind(stats));
    if (stats.size > limit) throw tooLargeError(what, file, stats.size, limit);
    // One byte more than its size: a file that grows while it is read (msint replaces files, never appends) is
    // caught instead of being read in part.
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    try {
      for (;;) {
        const read = readSync(fd, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
        if (length === buffer.length) {
          throw new StoreError(
            "io",
            `The ${what} ${file} grew while msint read it: something other than msint is writing it.`,
            { file },
          );
        }
      }
    } catch (err) {
      if (StoreError.isInstance(err)) throw err;
      throw ioError(`Cannot read the ${what}`, file, err);
    }
    return buffer.subarray(0, length);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing was written through it.
    }
  }
}

/** Quotes a path for the shell command suggested in messages, when needed. */
export function shellPath(path: string): string {
  return /^[A-Za-z0-9._@%+=:,/~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
