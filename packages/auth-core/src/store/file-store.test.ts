import { spawnSync } from "node:child_process";
import { createSecretKey, randomBytes } from "node:crypto";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seal } from "./codec.js";
import {
  FileStore,
  openFileStore,
  parseStoreKey,
  rawStoreKey,
  StoreError,
  storeKeyCheck,
  storeKeyFromEnv,
} from "./index.js";

interface Doc {
  clientSecret?: string;
  n?: number;
}

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempHome(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "msint-store-"));
  temps.push(dir);
  return join(dir, "home");
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

/** Creates a FIFO (named pipe) with the system's mkfifo. */
function spawnSyncMkfifo(path: string): void {
  const made = spawnSync("mkfifo", [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error("expected a StoreError");
}

const readKey = async (home: string) =>
  Buffer.from((await readFile(join(home, "store.key"), "utf8")).trim(), "base64");

const posix = process.platform !== "win32";

describe("FileStore layout and permissions", () => {
  it.runIf(posix)("creates home and store 0700, key file and documents 0600, readable names", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("graph-prod", () => ({ n: 1 }));
    expect(await mode(home)).toBe(0o700);
    expect(await mode(join(home, "store"))).toBe(0o700);
    expect(await mode(join(home, "store.key"))).toBe(0o600);
    expect(await readdir(join(home, "store"))).toEqual(["graph-prod.msint"]);
    expect(await mode(join(home, "store", "graph-prod.msint"))).toBe(0o600);
    expect(store.fileFor("graph-prod")).toBe(join(home, "store", "graph-prod.msint"));
    expect(Buffer.from((await readFile(join(home, "store.key"), "utf8")).trim(), "base64")).toHaveLength(32);
  });

  it.runIf(posix)("tightens an existing home and store dir that others can only read", async () => {
    const home = await tempHome();
    const first = await openFileStore<Doc>({ home });
    await first.update("k", () => ({ n: 1 }));
    await chmod(home, 0o755);
    await chmod(join(home, "store"), 0o755);
    // A fresh process re-checks; the per-process cache is keyed by path, so reach the same home via a symlink.
    const alias = `${home}-alias`;
    await symlink(home, alias);
    const again = await openFileStore<Doc>({ home: alias });
    expect(await again.read("k")).toEqual({ n: 1 });
    expect(await mode(home)).toBe(0o700);
    expect(await mode(join(home, "store"))).toBe(0o700);
  });

  // Issue 11.6: like ssh, surroundings others could change are refused with the command that fixes them.
  it.runIf(posix)(
    "refuses a home or store dir writable by group or others, and a key file that is not private",
    async () => {
      const cases: Array<[string, (home: string) => Promise<unknown>, RegExp]> = [
        [
          "home 0775",
          (home) => chmod(home, 0o775),
          /directory .* can be written by its group \(mode 0775\).*chmod 700 /,
        ],
        ["home 0757", (home) => chmod(home, 0o757), /can be written by all other users \(mode 0757\)/],
        [
          "store 0777",
          (home) => chmod(join(home, "store"), 0o777),
          /store can be written by its group and all other users.*chmod 700 .*store$/,
        ],
        [
          "key 0644",
          (home) => chmod(join(home, "store.key"), 0o644),
          /store key file .*store\.key is not private \(mode 0644\): others can read it\. Fix it with: chmod 600 /,
        ],
        [
          "key 0620",
          (home) => chmod(join(home, "store.key"), 0o620),
          /not private \(mode 0620\): others can change it/,
        ],
      ];
      for (const [label, loosen, expected] of cases) {
        const base = await tempHome();
        await (await openFileStore<Doc>({ home: base })).update("k", () => ({ n: 1 }));
        await loosen(base);
        const alias = `${base}-${label.replace(/\W/g, "")}`;
        await symlink(base, alias);
        const err = await storeError(openFileStore<Doc>({ home: alias }));
        expect(err.code, label).toBe("unsafe");
        expect(err.message, label).toMatch(expected);
      }
    },
  );

  it.runIf(posix && process.getuid?.() === 0)(
    "refuses a home and a key file owned by another user",
    async () => {
      const home = await tempHome();
      await (await openFileStore<Doc>({ home })).update("k", () => ({ n: 1 }));
      await chown(join(home, "store.key"), 4242, 4242);
      const keyAlias = `${home}-key`;
      await symlink(home, keyAlias);
      const key = await storeError(openFileStore<Doc>({ home: keyAlias }));
      expect(key.code).toBe("unsafe");
      expect(key.message).toMatch(/store key file .* belongs to another user \(uid 4242\).*chown 0 /);
      await chown(home, 4242, 4242);
      const dirAlias = `${home}-dir`;
      await symlink(home, dirAlias);
      const dir = await storeError(openFileStore<Doc>({ home: dirAlias }));
      expect(dir.message).toMatch(/msint directory .* belongs to another user \(uid 4242\)/);
    },
  );

  it.runIf(posix)(
    "reads only regular files: a FIFO, a symbolic link or a huge file is refused, never waited on",
    async () => {
      const home = await tempHome();
      const store = await openFileStore<Doc>({ home });
      await store.update("real", () => ({ n: 1 }));
      const dir = join(home, "store");
      spawnSyncMkfifo(join(dir, "fifo.msint"));
      await symlink(join(dir, "real.msint"), join(dir, "link.msint"));
      await symlink("/etc/passwd", join(dir, "outside.msint"));
      await writeFile(join(dir, "huge.msint"), Buffer.alloc(16 * 1024 * 1024 + 1));
      const fifo = await storeError(store.read("fifo"));
      expect(fifo.code).toBe("unsafe");
      expect(fifo.message).toMatch(/"fifo" .*fifo\.msint is a FIFO \(named pipe\), not a regular file.*rm /);
      for (const name of ["link", "outside"]) {
        expect((await storeError(store.read(name))).message).toMatch(
          /is a symbolic link, not a regular file/,
        );
      }
      expect((await storeError(store.read("huge"))).message).toMatch(
        /is 16777217 bytes, more than the 16777216/,
      );
      // The lock file too: a FIFO in its place makes update fail at once instead of hanging.
      spawnSyncMkfifo(join(dir, "real.msint.lock"));
      const lock = await storeError(store.update("real", () => ({ n: 2 })));
      expect(lock.message).toMatch(/lock file .*real\.msint\.lock is a FIFO/);
    },
  );

  it("records which key sealed the store and names a different one instead of 'cannot decrypt'", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home, passphrase: "first passphrase" });
    await store.update("k", () => ({ n: 1 }));
    const meta = JSON.parse(await readFile(join(home, "store.meta"), "utf8"));
    expect(meta).toEqual({
      format: 1,
      key: "passphrase",
      check: expect.stringMatching(/^kcv1:[A-Za-z0-9_-]{32}$/),
    });
    if (posix) expect(await mode(join(home, "store.meta"))).toBe(0o600);
    const other = await storeError(openFileStore<Doc>({ home, passphrase: "second passphrase" }));
    expect(other.code).toBe("bad-key");
    expect(other.message).toContain(
      "was sealed with another key: set MSINT_STORE_KEY as when the store was created",
    );
    const forgotten = await storeError(openFileStore<Doc>({ home }));
    expect(forgotten.message).toContain("was sealed with a passphrase, but MSINT_STORE_KEY is not set");
    // Refused before anything was written: no key file appeared next to the salt.
    expect((await readdir(home)).sort()).toEqual(["store", "store.meta", "store.salt"]);

    const fileHome = await tempHome();
    await (await openFileStore<Doc>({ home: fileHome })).update("k", () => ({ n: 1 }));
    const set = await storeError(openFileStore<Doc>({ home: fileHome, passphrase: "p" }));
    expect(set.message).toContain("was sealed with its key file");
    expect(set.message).toContain("unset MSINT_STORE_KEY");
  });

  it("a store.meta of the earlier check format is recorded anew once a document decrypts with the key", async () => {
    const home = await tempHome();
    await (await openFileStore<Doc>({ home, passphrase: "earlier meta" })).update("k", () => ({ n: 1 }));
    const file = join(home, "store.meta");
    // The unreleased first format: 22 base64url characters, no "kcv1:" prefix.
    await writeFile(file, `${JSON.stringify({ format: 1, key: "passphrase", check: "A".repeat(22) })}\n`, {
      mode: 0o600,
    });
    // A wrong passphrase proves nothing and changes nothing (an alias path escapes the per-process cache).
    const wrongAlias = `${home}-wrong`;
    await symlink(home, wrongAlias);
    const wrong = await openFileStore<Doc>({ home: wrongAlias, passphrase: "not it" });
    expect((await storeError(wrong.read("k"))).code).toBe("tampered");
    expect(JSON.parse(await readFile(file, "utf8")).check).toBe("A".repeat(22));
    // The key file instead of the passphrase recorded there is still named as such.
    const fileAlias = `${home}-file`;
    await symlink(home, fileAlias);
    expect((await storeError(openFileStore<Doc>({ home: fileAlias }))).message).toContain(
      "was sealed with a passphrase, but MSINT_STORE_KEY is not set",
    );
    const rightAlias = `${home}-right`;
    await symlink(home, rightAlias);
    const right = await openFileStore<Doc>({ home: rightAlias, passphrase: "earlier meta" });
    expect(await right.read("k")).toEqual({ n: 1 });
    expect(JSON.parse(await readFile(file, "utf8")).check).toMatch(/^kcv1:[A-Za-z0-9_-]{32}$/);
    if (posix) expect(await mode(file)).toBe(0o600);
  });

  it("a store from before store.meta gets it once a document decrypts with the key in use", async () => {
    const home = await tempHome();
    await (await openFileStore<Doc>({ home, passphrase: "old store" })).update("k", () => ({ n: 1 }));
    await rm(join(home, "store.meta"));
    // Opened again in a "new process" (an alias path escapes the per-process cache) with a wrong passphrase:
    // nothing can be said for sure, so no metadata is written and the document speaks for itself.
    const wrongAlias = `${home}-wrong`;
    await symlink(home, wrongAlias);
    const wrong = await openFileStore<Doc>({ home: wrongAlias, passphrase: "not it" });
    expect((await storeError(wrong.read("k"))).code).toBe("tampered");
    expect(await readdir(home)).not.toContain("store.meta");
    const rightAlias = `${home}-right`;
    await symlink(home, rightAlias);
    const right = await openFileStore<Doc>({ home: rightAlias, passphrase: "old store" });
    expect(await right.read("k")).toEqual({ n: 1 });
    expect(await readdir(home)).toContain("store.meta");
  });

  it("encodes any key into a safe file name and lists it back", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    const keys = [
      "a/b",
      "..",
      ".",
      "../escape",
      "50% off",
      "Ünïcødé ☃",
      "with space",
      "x.msint",
      "a\\b",
      "*?<>|",
    ];
    for (const [i, key] of keys.entries()) await store.update(key, () => ({ n: i }));
    const names = await readdir(join(home, "store"));
    expect(names).toHaveLength(keys.length);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_%-][A-Za-z0-9_.%-]*\.msint$/);
    }
    expect(names).toContain("a%2Fb.msint");
    expect(names).toContain("%2E..msint");
    expect(names).toContain("%2E.msint");
    expect(await store.list()).toEqual([...keys].sort());
    for (const [i, key] of keys.entries()) expect(await store.read(key)).toEqual({ n: i });
    expect(await readdir(home)).toEqual(["store", "store.key", "store.meta"]); // nothing escaped the store dir
    await expect(store.read("x".repeat(250))).rejects.toThrow(RangeError);
  });

  it("ignores stray, temp and lock files in list() and cleans up old temp files", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home, staleLockMs: 10_000 });
    await store.update("k", () => ({ n: 1 }));
    const dir = join(home, "store");
    const oldTmp = join(dir, "k.msint.12345.a1b2c3d4e5f6.tmp");
    const youngTmp = join(dir, "k.msint.12346.a1b2c3d4e5f7.tmp");
    const oldGrave = join(dir, "k.msint.lock.12345.a1b2c3d4e5f6.stale");
    for (const f of [oldTmp, youngTmp, oldGrave]) await writeFile(f, "partial");
    const past = new Date(Date.now() - 60_000);
    await utimes(oldTmp, past, past);
    await utimes(oldGrave, past, past);
    await writeFile(join(dir, "notes.txt"), "x");
    await writeFile(join(dir, "other.msint.lock"), "x");
    await writeFile(join(dir, "%zz.msint"), "x"); // not a valid encoding
    expect(await store.list()).toEqual(["k"]);
    const left = await readdir(dir);
    expect(left).not.toContain("k.msint.12345.a1b2c3d4e5f6.tmp");
    expect(left).not.toContain("k.msint.lock.12345.a1b2c3d4e5f6.stale");
    expect(left).toContain("k.msint.12346.a1b2c3d4e5f7.tmp");
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(() => new FileStore({ dir: tmpdir(), key: new Uint8Array(31) })).toThrow(
      expect.objectContaining({ code: "bad-key" }),
    );
  });

  it("reports a corrupt store.key as bad-key and leaves it alone", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true });
    await writeFile(
      join(home, "store.key"),
      "not-a-key-at-all-but-long-enough-to-not-be-partial-xxxxxxxxxxx\n",
      {
        mode: 0o600,
      },
    );
    const err = await storeError(openFileStore({ home }));
    expect(err.code).toBe("bad-key");
    expect(err.file).toBe(join(home, "store.key"));
    expect(await readFile(join(home, "store.key"), "utf8")).toContain("not-a-key");
  });
});

describe("FileStore encryption at rest", () => {
  const secret = "S3cr3t-client-secret-PLANTED-7f1c9a";

  it("never stores a secret in clear (plain, base64, base64url or hex)", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("graph-prod", () => ({ clientSecret: secret }));
    const forms = [
      secret,
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      Buffer.from(secret).toString("hex"),
      JSON.stringify({ clientSecret: secret }),
    ];
    for (const file of [join(home, "store", "graph-prod.msint"), join(home, "store.key")]) {
      const raw = await readFile(file);
      for (const form of forms) {
        expect(raw.includes(Buffer.from(form))).toBe(false);
        expect(raw.toString("latin1").includes(form)).toBe(false);
      }
    }
    const raw = await readFile(join(home, "store", "graph-prod.msint"));
    expect(raw.subarray(0, 6).toString("latin1")).toBe("MSINT\x01");
    expect(await store.read("graph-prod")).toEqual({ clientSecret: secret });
  });

  it("detects a flipped byte anywhere (nonce, ciphertext, tag) and leaves the file as it was", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("graph-prod", () => ({ clientSecret: secret }));
    const file = store.fileFor("graph-prod");
    const original = await readFile(file);
    for (const offset of [6, 20, Math.floor(original.length / 2), original.length - 1]) {
      const tampered = Buffer.from(original);
      tampered[offset]! ^= 0x01;
      await writeFile(file, tampered);
      const err = await storeError(store.read("graph-prod"));
      expect(err.code).toBe("tampered");
      expect(err.file).toBe(file);
      expect(err.message).toBe(
        `The stored state of "graph-prod" (${file}) cannot be decrypted: the file was modified, or ` +
          "MSINT_STORE_KEY / store.key changed. Restore the file or remove the instance (msint instance remove graph-prod).",
      );
      expect(err.message).not.toContain(secret);
      // update refuses too, and writes nothing
      const viaUpdate = await storeError(store.update("graph-prod", () => ({ n: 1 })));
      expect(viaUpdate.code).toBe("tampered");
      expect((await readFile(file)).equals(tampered)).toBe(true);
      expect(await store.list()).toEqual(["graph-prod"]);
    }
    await writeFile(file, original);
    expect(await store.read("graph-prod")).toEqual({ clientSecret: secret });
  });

  it("reports a wrong header or a truncated file as tampered", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("k", () => ({ n: 1 }));
    const file = store.fileFor("k");
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([Buffer.from("NOTMS\x01"), original.subarray(6)]));
    const header = await storeError(store.read("k"));
    expect(header.code).toBe("tampered");
    expect(header.message).toContain("is not an msint store file");
    expect(header.message).toContain("msint instance remove k");
    for (const length of [0, 3, 20, original.length - 1]) {
      await writeFile(file, original.subarray(0, length));
      expect((await storeError(store.read("k"))).code).toBe("tampered");
    }
    // remove works without decrypting, so the user can recover
    expect(await store.remove("k")).toBe(true);
  });

  it("reports decrypted-but-invalid JSON as tampered without leaking the content", async () => {
    const dir = join(await tempHome(), "store");
    const key = randomBytes(32);
    const store = new FileStore<Doc>({ dir, key });
    await store.update("k", () => ({ n: 1 }));
    await writeFile(
      store.fileFor("k"),
      seal(createSecretKey(key), "k", Buffer.from(`{"clientSecret":"${secret}`)),
    );
    const err = await storeError(store.read("k"));
    expect(err.code).toBe("tampered");
    expect(err.message).toContain("not valid JSON");
    expect(err.message).not.toContain(secret);
    expect(err.cause).toBeUndefined();
  });

  it("detects two instance files swapped (the key name is authenticated)", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("graph-prod", () => ({ n: 1 }));
    await store.update("graph-dev", () => ({ n: 2 }));
    const a = store.fileFor("graph-prod");
    const b = store.fileFor("graph-dev");
    await rename(a, `${a}.swap`);
    await rename(b, a);
    await rename(`${a}.swap`, b);
    expect((await storeError(store.read("graph-prod"))).code).toBe("tampered");
    expect((await storeError(store.read("graph-dev"))).code).toBe("tampered");
  });

  it("derives the key from a passphrase (salt file 0600, no key file); a wrong passphrase is refused at open", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home, passphrase: "correct horse battery staple" });
    await store.update("graph-prod", () => ({ clientSecret: secret }));
    expect((await readdir(home)).sort()).toEqual(["store", "store.meta", "store.salt"]);
    if (posix) expect(await mode(join(home, "store.salt"))).toBe(0o600);
    expect(Buffer.from((await readFile(join(home, "store.salt"), "utf8")).trim(), "base64")).toHaveLength(16);

    const same = await openFileStore<Doc>({ home, passphrase: "correct horse battery staple" });
    expect(await same.read("graph-prod")).toEqual({ clientSecret: secret });

    // A wrong passphrase is caught when the store is opened (store.meta), before any document is read.
    const err = await storeError(openFileStore<Doc>({ home, passphrase: "Correct horse battery staple" }));
    expect(err.code).toBe("bad-key");
    expect(err.message).toContain("sealed with another key");

    // Switching to the key-file mode is a key change too.
    expect((await storeError(openFileStore<Doc>({ home }))).code).toBe("bad-key");

    expect((await storeError(openFileStore({ home, passphrase: "" }))).code).toBe("bad-key");
  });

  it("takes a raw 256-bit key (base64: or 64 hex digits) through HKDF: no salt, no key file, same key both ways", async () => {
    const raw = Buffer.alloc(32, 0x2a);
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home, passphrase: `base64:${raw.toString("base64")}` });
    await store.update("graph-prod", () => ({ clientSecret: secret }));
    // Nothing but the store and its key check: the key needs neither a salt (scrypt) nor a key file.
    expect((await readdir(home)).sort()).toEqual(["store", "store.meta"]);
    // store.meta holds the same check value the PostgreSQL store keeps (storeKeyCheck of the document key).
    expect(JSON.parse(await readFile(join(home, "store.meta"), "utf8"))).toEqual({
      format: 1,
      key: "passphrase",
      check: storeKeyCheck(rawStoreKey(raw)),
    });
    const hex = await openFileStore<Doc>({ home, passphrase: raw.toString("hex").toUpperCase() });
    expect(await hex.read("graph-prod")).toEqual({ clientSecret: secret });
    // The document key is HKDF-SHA256 of the raw key (RFC 5869), not the raw key itself.
    const direct = new FileStore<Doc>({ dir: join(home, "store"), key: raw });
    expect((await storeError(direct.read("graph-prod"))).code).toBe("tampered");
    // Another raw key is refused when the store is opened (store.meta), before any document is read.
    const other = await storeError(
      openFileStore<Doc>({ home, passphrase: `base64:${Buffer.alloc(32, 1).toString("base64")}` }),
    );
    expect(other.code).toBe("bad-key");
    expect(other.message).toContain(
      "was sealed with another key: set MSINT_STORE_KEY as when the store was created",
    );
    // A base64: value that is not 32 bytes names the variable and the fix, and never echoes the value.
    const bad = await storeError(openFileStore({ home, passphrase: "base64:c2hvcnQ=" }));
    expect(bad.code).toBe("bad-key");
    expect(bad.message).toContain("MSINT_STORE_KEY");
    expect(bad.message).toContain("openssl rand -base64 32");
    expect(bad.message).not.toContain("c2hvcnQ=");
  });

  it("a key check value is stable per key, differs between keys and does not contain the key", () => {
    const a = Buffer.alloc(32, 1);
    expect(storeKeyCheck(a)).toBe(storeKeyCheck(Buffer.from(a)));
    expect(storeKeyCheck(a)).not.toBe(storeKeyCheck(Buffer.alloc(32, 2)));
    expect(storeKeyCheck(a)).not.toContain(a.toString("base64").slice(0, 8));
    expect(parseStoreKey("a passphrase")).toEqual({ kind: "passphrase", passphrase: "a passphrase" });
    expect(parseStoreKey("ab".repeat(32))).toEqual({ kind: "raw", key: Buffer.alloc(32, 0xab) });
  });

  it("reads MSINT_STORE_KEY", () => {
    expect(storeKeyFromEnv({ MSINT_STORE_KEY: "pass phrase" })).toBe("pass phrase");
    expect(storeKeyFromEnv({ MSINT_STORE_KEY: "" })).toBeUndefined();
    expect(storeKeyFromEnv({})).toBeUndefined();
  });
});

describe("FileStore locking (single process)", () => {
  async function withLock(info: object | string, ageMs = 0) {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home, lockTimeoutMs: 300, staleLockMs: 5_000 });
    await store.update("graph-prod", () => ({ n: 1 }));
    const lock = `${store.fileFor("graph-prod")}.lock`;
    await writeFile(lock, typeof info === "string" ? info : JSON.stringify(info));
    if (ageMs > 0) {
      const past = new Date(Date.now() - ageMs);
      await utimes(lock, past, past);
    }
    return { store, lock };
  }
  const liveForeignPid = process.ppid; // the test runner: alive, and not us

  it("times out with a clear 'locked' error when a live process holds the lock; read does not wait", async () => {
    const { store, lock } = await withLock({
      pid: liveForeignPid,
      host: hostname(),
      created: Date.now(),
      token: "t",
    });
    expect(await store.read("graph-prod")).toEqual({ n: 1 });
    const err = await storeError(store.update("graph-prod", () => ({ n: 2 })));
    expect(err.code).toBe("locked");
    expect(err.file).toBe(lock);
    expect(err.message).toContain('"graph-prod"');
    expect(err.message).toContain(lock);
    expect(err.message).toContain(`process ${liveForeignPid}`);
    expect(await readFile(lock, "utf8")).toContain('"token":"t"'); // not broken
    expect(await store.read("graph-prod")).toEqual({ n: 1 });
  });

  it("breaks a lock whose process is gone", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const { store, lock } = await withLock({ pid: dead, host: hostname(), created: Date.now(), token: "t" });
    expect(await store.update("graph-prod", () => ({ n: 2 }))).toEqual({ n: 2 });
    await expect(stat(lock)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("breaks a lock left by an earlier process that had our pid", async () => {
    const { store } = await withLock({
      pid: process.pid,
      host: hostname(),
      created: Date.now(),
      token: "old",
    });
    expect(await store.update("graph-prod", () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it("breaks a lock older than staleLockMs even if its pid looks alive", async () => {
    const { store } = await withLock(
      { pid: liveForeignPid, host: hostname(), created: 0, token: "t" },
      10_000,
    );
    expect(await store.update("graph-prod", () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it("treats a lock without readable content by its age only (short grace for a creator that died)", async () => {
    const fresh = await withLock("");
    expect((await storeError(fresh.store.update("graph-prod", () => ({ n: 2 })))).code).toBe("locked");
    const emptyForAWhile = await withLock("", 3_000);
    expect(await emptyForAWhile.store.update("graph-prod", () => ({ n: 2 }))).toEqual({ n: 2 });
    const old = await withLock("garbage", 10_000);
    expect(await old.store.update("graph-prod", () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it("does not break a live lock of another host by pid", async () => {
    const { store } = await withLock({ pid: 999_999, host: `${hostname()}-elsewhere`, created: Date.now() });
    const err = await storeError(store.update("graph-prod", () => ({ n: 2 })));
    expect(err.code).toBe("locked");
    expect(err.message).toContain("elsewhere");
  });

  it("releases the lock after success and failure", async () => {
    const home = await tempHome();
    const store = await openFileStore<Doc>({ home });
    await store.update("k", () => ({ n: 1 }));
    await expect(
      store.update("k", () => {
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(await readdir(join(home, "store"))).toEqual(["k.msint"]);
  });

  it("serializes updates of two FileStore instances on the same directory in one process", async () => {
    const home = await tempHome();
    const a = await openFileStore<Doc>({ home });
    const bSameKey = new FileStore<Doc>({ dir: join(home, "store"), key: await readKey(home) });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : bSameKey).update("c", (cur) => ({ n: (cur?.n ?? 0) + 1 })),
      ),
    );
    expect(await a.read("c")).toEqual({ n: 40 });
  });
});
