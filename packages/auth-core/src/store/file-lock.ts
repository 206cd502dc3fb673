import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { processWide } from "../process-wide.js";
import { errnoCode, ioError, StoreError } from "./errors.js";
import {
  fileKind,
  MAX_SMALL_FILE_BYTES,
  notRegularError,
  SAFE_READ_FLAGS,
  tooLargeError,
} from "./safe-read.js";

/** Options of {@link acquireLock}. @internal */
export interface LockOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** A lock whose file was not touched for this long is stale (holders refresh it while they run). */
  staleMs: number;
  /** The store key, for messages. */
  keyName: string;
}

/** A held lock. @internal */
export interface HeldLock {
  /** Releases the lock; never throws. */
  release(): Promise<void>;
}

interface LockInfo {
  pid?: number;
  host?: string;
  created?: number;
  token?: string;
}

/** What a lock file is: its identity (inode and exact content — the content carries a unique token, since
 * inode numbers are reused as soon as a broken lock is deleted), age and description. */
interface Identity {
  dev: number;
  ino: number;
  raw: string;
}

interface Observation extends Identity {
  mtimeMs: number;
  info: LockInfo;
}

function sameLock(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.raw === b.raw;
}

const HOST = hostname();
/**
 * Tokens of the locks this process holds right now (to tell our locks from a previous process with our pid).
 * Process-wide: a second installed copy of msint must not take a lock of the first for a stale one.
 */
const heldTokens = processWide("store-lock-tokens", () => new Set<string>());
/** Cleared when the file system refuses hard links (then locks are created with O_EXCL directly). */
let linkSupported = true;
/** A lock without readable content (only possible without hard links) is stale after this long. */
const UNREADABLE_GRACE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes the cross-process lock `lockPath`: a file holding pid, host, time and a random token, created
 * exclusively (hard link of a complete temp file, or O_EXCL).
 *
 * While held, the lock file's mtime is refreshed every `staleMs / 3` so a live holder is never mistaken for a
 * stale one. A waiting process polls with backoff (5 ms doubling to 50 ms, ±25 % jitter). A lock is stale
 * when its holder's pid is gone (same host), it was not refreshed for `staleMs`, or it has no readable content
 * after a 2 s grace (its creator died between creating and writing it); a stale lock is broken
 * under a short-lived "break gate" file and renamed away atomically, so two breakers can never both win.
 * @internal
 */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutMs;
  const token = randomBytes(12).toString("hex");
  let delay = 5;
  let createdDir = false;
  for (;;) {
    let created: Created | undefined;
    try {
      created = await createLockFile(lockPath, token);
    } catch (err) {
      if (errnoCode(err) === "ENOENT" && !createdDir) {
        createdDir = true;
        await fsp.mkdir(dirname(lockPath), { recursive: true, mode: 0o700 }).catch(() => undefined);
        continue;
      }
      throw ioError(`Cannot create the lock for "${options.keyName}"`, lockPath, err);
    }
    if (created !== undefined) return hold(lockPath, created.handle, token, options.staleMs);

    const observed = await inspect(lockPath);
    if (observed === undefined) continue; // released in the meantime: try again at once
    if (isStale(observed, options.staleMs) && (await breakStale(lockPath, observed, options.staleMs)))
      continue;

    if (Date.now() >= deadline) throw timeoutError(lockPath, observed, options);
    const jitter = 0.75 + Math.random() * 0.5;
    await sleep(Math.min(delay * jitter, Math.max(1, deadline - Date.now())));
    delay = Math.min(50, delay * 2);
  }
}

/**
 * Creates the lock file exclusively, with its description already inside: the content goes to a temp file
 * that is hard-linked to `lockPath` (which fails if it exists), so nobody ever sees an empty lock — a process
 * killed between creating and writing the lock would otherwise leave one that only ages out.
 * Where hard links are unsupported, falls back to `open(lockPath, "wx")` + write.
 * Returns a handle on the lock's inode, or undefined when the lock is held.
 */
async function createLockFile(lockPath: string, token: string): Promise<Created | undefined> {
  const info: LockInfo = { pid: process.pid, host: HOST, created: Date.now(), token };
  const content = JSON.stringify(info);
  if (linkSupported) {
    const tmp = `${lockPath}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await fsp.open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(content);
      await fsp.link(tmp, lockPath);
      return { handle, raw: content };
    } catch (err) {
      await handle.close().catch(() => undefined);
      const code = errnoCode(err);
      if (code === "EEXIST") return undefined;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw err;
      linkSupported = false;
    } finally {
      await fsp.unlink(tmp).catch(() => undefined);
    }
  }
  let handle: FileHandle;
  try {
    handle = await fsp.open(lockPath, "wx", 0o600);
  } catch (err) {
    if (errnoCode(err) === "EEXIST") return undefined;
    throw err;
  }
  try {
    await handle.writeFile(content);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fsp.unlink(lockPath).catch(() => undefined);
    throw err;
  }
  return { handle, raw: content };
}

interface Created {
  handle: FileHandle;
  raw: string;
}

function hold(lockPath: string, handle: FileHandle, token: string, staleMs: number): HeldLock {
  heldTokens.add(token);
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      handle.utimes(now, now).catch(() => undefined);
    },
    Math.max(100, Math.floor(staleMs / 3)),
  );
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldTokens.delete(token);
      try {
        // Only remove the path if it is still our file (it may have been broken and re-created by another process).
        const [mine, current] = await Promise.all([handle.stat(), fsp.stat(lockPath)]);
        if (mine.ino === current.ino && mine.dev === current.dev) await fsp.unlink(lockPath);
      } catch {
        // already gone, or not ours any more
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
  };
}

/** Reads a lock file's identity, age and content; undefined when it does not exist. */
async function inspect(lockPath: string): Promise<Observation | undefined> {
  let handle: FileHandle;
  try {
    // Never blocks in open (a FIFO planted as a lock file) and never follows a symbolic link.
    handle = await fsp.open(lockPath, SAFE_READ_FLAGS);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw notRegularError("lock file", lockPath, "a symbolic link");
    throw ioError("Cannot read the lock file", lockPath, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegularError("lock file", lockPath, fileKind(st));
    if (st.size > MAX_SMALL_FILE_BYTES)
      throw tooLargeError("lock file", lockPath, st.size, MAX_SMALL_FILE_BYTES);
    const text = await handle.readFile("utf8");
    return { dev: st.dev, ino: st.ino, raw: text, mtimeMs: st.mtimeMs, info: parseInfo(text) };
  } catch (err) {
    if (StoreError.isInstance(err)) throw err;
    throw ioError("Cannot read the lock file", lockPath, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function parseInfo(text: string): LockInfo {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return {};
    const v = value as Record<string, unknown>;
    const info: LockInfo = {};
    if (typeof v["pid"] === "number" && Number.isInteger(v["pid"]) && v["pid"] > 0) info.pid = v["pid"];
    if (typeof v["host"] === "string") info.host = v["host"];
    if (typeof v["created"] === "number") info.created = v["created"];
    if (typeof v["token"] === "string") info.token = v["token"];
    return info;
  } catch {
    return {}; // being written right now (no hard links), or garbage: only its age decides
  }
}

function isStale(observed: Observation, staleMs: number): boolean {
  const age = Date.now() - observed.mtimeMs;
  if (age > staleMs) return true;
  const { pid, host, token } = observed.info;
  if (pid === undefined) return age > Math.min(staleMs, UNREADABLE_GRACE_MS); // creator died before writing it
  if (host !== HOST) return false;
  if (pid === process.pid) return token === undefined || !heldTokens.has(token); // left by an earlier process with our pid
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) !== "ESRCH"; // EPERM: it exists, it is just not ours
  }
}

/**
 * Breaks the stale lock we observed, if it is still the same file. Returns true when the caller should retry
 * at once (lock broken, or already gone/replaced), false when another process is breaking it right now.
 */
async function breakStale(lockPath: string, observed: Observation, staleMs: number): Promise<boolean> {
  const gatePath = `${lockPath}.break`;
  const gateToken = randomBytes(12).toString("hex");
  const gate = await createLockFile(gatePath, gateToken).catch(() => undefined);
  if (gate === undefined) {
    // Another breaker is at work; clear its gate only if that breaker died or got stuck.
    const gateSeen = await inspect(gatePath).catch(() => undefined);
    if (gateSeen !== undefined && isStale(gateSeen, Math.min(staleMs, 5_000))) {
      await removeIfSame(gatePath, gateSeen);
      return true;
    }
    return false;
  }
  heldTokens.add(gateToken);
  try {
    // Under the gate nobody else breaks this lock, so if it is still the file we judged stale, it stays so.
    const now = await inspect(lockPath);
    if (now === undefined || !sameLock(now, observed)) return true;
    await removeIfSame(lockPath, observed);
    return true;
  } finally {
    heldTokens.delete(gateToken);
    const seen = await gate.handle.stat().catch(() => undefined);
    await gate.handle.close().catch(() => undefined);
    if (seen !== undefined) await removeIfSame(gatePath, { dev: seen.dev, ino: seen.ino, raw: gate.raw });
  }
}

/**
 * Removes `path` if it is still the lock we identified: renames it away atomically (only one of several
 * removers can get a given file), checks what it got, and puts back a file that turns out to be another one.
 */
async function removeIfSame(path: string, expected: Identity): Promise<void> {
  const grave = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.stale`;
  try {
    await fsp.rename(path, grave);
  } catch {
    return; // gone already
  }
  const moved = await inspect(grave).catch(() => undefined);
  if (moved !== undefined && !sameLock(moved, expected)) {
    await fsp.link(grave, path).catch(() => undefined); // not the one we meant: restore it (fails if replaced)
  }
  await fsp.unlink(grave).catch(() => undefined);
}

function timeoutError(lockPath: string, observed: Observation, options: LockOptions): StoreError {
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const { pid, host, created } = observed.info;
  let holder = "";
  if (pid !== undefined) {
    holder = ` It is held by process ${pid}${host !== undefined && host !== HOST ? ` on ${host}` : ""}`;
    holder += created !== undefined ? ` since ${new Date(created).toISOString()}.` : ".";
  }
  return new StoreError(
    "locked",
    `Timed out after ${seconds}s waiting for the lock on "${options.keyName}" (${lockPath}).${holder} ` +
      "If no msint process is still running, delete the lock file.",
    { file: lockPath },
  );
}
