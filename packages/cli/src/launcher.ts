#!/usr/bin/env node
/**
 * The `msint` executable. It loads the CLI (cli.cjs, one CommonJS file) through a V8 code cache, so that a run
 * does not parse and compile the same JavaScript again: on Node ≥ 22.1 with `module.enableCompileCache`, on
 * Node 20 with `vm.Script` and its `cachedData`.
 *
 * The cache lives in `$MSINT_CODE_CACHE`, else `$XDG_CACHE_HOME/msint`, else `~/.cache/msint`, in a directory
 * only the user can write (a cache that someone else could write is not used). `MSINT_CODE_CACHE=off` turns it
 * off. A missing, stale or rejected cache only costs the compilation it would have saved.
 *
 * Built as CommonJS only (tsup.config.ts), hence `require` and `__dirname`.
 */
import { isAscii } from "node:buffer";
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";

const BUNDLE = join(__dirname, "cli.cjs");

/** The cache directory, created 0700 if missing; undefined when off or not safe to use. */
function cacheDirectory(): string | undefined {
  const setting = process.env["MSINT_CODE_CACHE"];
  if (setting && /^(off|0|false|no)$/i.test(setting)) return undefined;
  const xdg = process.env["XDG_CACHE_HOME"];
  // node:os only when neither variable names the directory.
  const directory =
    setting ||
    (xdg
      ? join(xdg, "msint")
      : join((require("node:os") as typeof import("node:os")).homedir(), ".cache", "msint"));
  try {
    let stats: Stats;
    try {
      stats = statSync(directory);
    } catch {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      stats = statSync(directory);
    }
    const ownedByUs = typeof process.getuid !== "function" || stats.uid === process.getuid();
    // Compiled code from a directory that others can write would run as ours: such a cache is not used.
    // (Windows reports no group or other bits; its per-user directories are private by their ACLs.)
    const privateMode = process.platform === "win32" || (stats.mode & 0o022) === 0;
    return stats.isDirectory() && ownedByUs && privateMode ? directory : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache files, one per command family: which code a run compiles depends on its command (`run`, `instance`,
 * `login`…). The names are this fixed list, never text from the command line: whatever argv holds, the cache
 * directory holds at most these few files per build.
 */
const CACHE_FAMILIES = {
  run: "run",
  instance: "instance",
  integrations: "integrations",
  login: "login",
  cert: "cert",
  emulator: "emulator",
  broker: "broker",
  demo: "demo",
} as const;

/** The family of a command line: one of {@link CACHE_FAMILIES}' names, else "other". */
function commandFamily(argv: readonly string[]): string {
  const word = argv.slice(2).find((arg) => !arg.startsWith("-"));
  return word !== undefined && Object.hasOwn(CACHE_FAMILIES, word)
    ? CACHE_FAMILIES[word as keyof typeof CACHE_FAMILIES]
    : "other";
}

/** A code cache is a few MiB; anything larger is not one msint wrote. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Bundles next to cli.cjs that it requires only for some commands (the PostgreSQL driver for a postgres:// store
 * or broker database, and each built-in integration, `./integrations/<id>.cjs`): on Node 20 they are compiled
 * with a code cache of their own too.
 */
const CACHED_SIBLINGS: Readonly<Record<string, string>> = { "./pg.cjs": "pg" };

/** Reads a code cache file of ours: a regular file owned by this user, never through a link or a FIFO. */
function readCacheFile(cacheFile: string): Buffer | undefined {
  try {
    const fd = openSync(
      cacheFile,
      constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
    );
    try {
      const stats = fstatSync(fd);
      const ours = typeof process.getuid !== "function" || stats.uid === process.getuid();
      return stats.isFile() && stats.size <= MAX_CACHE_BYTES && ours ? readFileSync(fd) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Code caches to write when the process exits: one exit listener for all of them (a listing loads many bundles). */
const pendingCaches: { script: Script; cacheFile: string }[] = [];

function writePendingCaches(): void {
  for (const { script, cacheFile } of pendingCaches) {
    try {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      // A cache that cannot be written is only a slower next start.
    }
  }
}

/** 32 hex digits of four FNV-1a passes over `text` (a file name, not a security boundary: the directory is private). */
function fingerprint(text: string): string {
  let out = "";
  for (const basis of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x2e2b5a27]) {
    let hash = basis;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, "0");
  }
  return out;
}

/**
 * Node 20: compiles a bundle of this directory as a CommonJS module would be, with the V8 code cache of an earlier
 * run (`<name>-<hash>-<family>.v8`), runs it and returns its exports.
 */
function loadWithCachedData(directory: string, file: string, name: string, family: string): unknown {
  // One descriptor for the identity and the bytes, so the two always describe the same file.
  const fd = openSync(file, constants.O_RDONLY);
  let bytes: Buffer;
  let identity: string;
  try {
    const stats = fstatSync(fd, { bigint: true });
    bytes = readFileSync(fd);
    // V8 checks a cache's engine version and flags but only the length of the source: the cache's name carries
    // the file's identity instead (inode, size, and the change time the kernel sets on every write, which no
    // archive or utimes() can set back), so a new build or a reinstall never runs stale code. No hash of the
    // bundle's bytes: that would cost a millisecond on every start.
    identity = `${process.version}|${process.arch}|${stats.dev}|${stats.ino}|${stats.size}|${stats.ctimeNs}|${stats.mtimeNs}`;
  } finally {
    closeSync(fd);
  }
  // esbuild writes ASCII: a one-byte string is a copy, where UTF-8 decoding would cost a few milliseconds.
  const source = bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
  const cacheFile = join(directory, `${name}-${fingerprint(identity)}-${family}.v8`);
  const cachedData = readCacheFile(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit, so that the cache also holds the functions this run compiled lazily.
    if (pendingCaches.length === 0) process.once("exit", writePendingCaches);
    pendingCaches.push({ script, cacheFile });
  }
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  if (file === BUNDLE) {
    // The CLI runs as this module would: same directory, so the same require() resolution for its externals,
    // except the sibling bundles above, which come through their own code cache (once per process).
    const loaded = new Map<string, unknown>();
    let integrations = 0;
    const siblingRequire = Object.assign((id: string): unknown => {
      // An integration's bundle is cached for `msint run` only, and only the first one a process loads (a run
      // needs one); a listing or `run <command> --help`, which load all of them, leaves no 37 cache files behind.
      if (loaded.has(id)) return loaded.get(id);
      const name = /^\.\/integrations\/([a-z0-9-]+)\.cjs$/.exec(id)?.[1];
      if (name !== undefined) integrations++;
      const integration = family === "run" && integrations === 1 ? name : undefined;
      const sibling = Object.hasOwn(CACHED_SIBLINGS, id)
        ? CACHED_SIBLINGS[id]
        : integration !== undefined
          ? `integration-${integration}`
          : undefined;
      if (sibling === undefined) return require(id);
      const exports = loadWithCachedData(directory, join(__dirname, id), sibling, "lib");
      loaded.set(id, exports);
      return exports;
    }, require) as NodeJS.Require;
    wrapper.call(module.exports, module.exports, siblingRequire, module, BUNDLE, __dirname);
    return module.exports;
  }
  const sibling = { exports: {} as unknown };
  wrapper.call(sibling.exports, sibling.exports, require, sibling, file, __dirname);
  return sibling.exports;
}

const directory = cacheDirectory();
if (directory && Number(process.versions.node.split(".")[0]) >= 22) {
  // Node's own compile cache (module.enableCompileCache, Node ≥ 22.1) also covers the packages required later.
  const { enableCompileCache } = require("node:module") as {
    enableCompileCache?: (directory: string) => unknown;
  };
  enableCompileCache?.(directory);
  require(BUNDLE);
} else if (directory) {
  loadWithCachedData(directory, BUNDLE, "cli", commandFamily(process.argv));
} else {
  require(BUNDLE);
}
