/**
 * The store at rest, through `msint`: AES-256-GCM with the key from MSINT_STORE_KEY or a generated key file
 * (checked by decrypting the files independently of msint's code), owner-only modes whatever the umask, and
 * tampering that ends in a clear error naming the instance, never in a silent reset.
 */
import { spawn, spawnSync } from "node:child_process";
import { createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { chmod, chown, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { DEMO_CLIENT_ID, demoSeed, type RunningEmulator, startEmulator } from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, graphInstanceArgs } from "../helpers.js";
import {
  type CliRun,
  copyHome,
  expectOk,
  expectOneMessage,
  fingerprintTree,
  msint,
  removeTemporaries,
  temporaryDir,
} from "./harness.js";

const MAGIC = Buffer.from("MSINT\x01", "latin1");
const SECRET = "Store~Planted~Secret~4a9c2e7f1b";
const PASSPHRASE = "store suite passphrase 19b7";

let emulator: RunningEmulator;
/** A home with a key file and one instance that has a cached token. */
let template: string;

const env = (home: string, extra: Record<string, string> = {}) => ({ MSINT_HOME: home, ...extra });

function addArgs(name: string): string[] {
  return graphInstanceArgs(name, emulator.url, SECRET);
}

/** Decrypts a store file with node:crypto alone: MAGIC ‖ nonce(12) ‖ ciphertext ‖ tag(16), AAD = MAGIC ‖ name. */
function decrypt(key: Buffer, name: string, file: Buffer): unknown {
  expect(file.subarray(0, MAGIC.length).equals(MAGIC)).toBe(true);
  const nonce = file.subarray(MAGIC.length, MAGIC.length + 12);
  const tag = file.subarray(file.length - 16);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
  decipher.setAAD(Buffer.concat([MAGIC, Buffer.from(name, "utf8")]));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([
    decipher.update(file.subarray(MAGIC.length + 12, file.length - 16)),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString("utf8"));
}

const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

/** `msint` under a given umask (through sh, which sets it before exec). */
function msintWithUmask(umask: string, args: string[], extra: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
    const child = spawn("sh", ["-c", `umask ${umask}; exec ${quoted}`], {
      env: { ...process.env, MSINT_LOG: undefined, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const seed = structuredClone(demoSeed);
  seed.tenants[0]!.apps.find((app) => app.clientId === DEMO_CLIENT_ID)!.secrets!.push({ value: SECRET });
  emulator = await startEmulator({ port: 0, seed });
  template = await temporaryDir();
  expectOk(await msint(addArgs("graph"), env(template)));
  expectOk(await msint(["run", "msgraph-user-auth-test", "--instance", "graph"], env(template)));
});
afterAll(async () => {
  await emulator.close();
  await removeTemporaries();
});

describe("encrypted at rest", () => {
  it("with the generated key file: AES-256-GCM bound to the instance name, no secret in clear", async () => {
    const key = Buffer.from((await readFile(join(template, "store.key"), "utf8")).trim(), "base64");
    expect(key).toHaveLength(32);
    const file = await readFile(join(template, "store", "graph.msint"));
    expect(file.includes(Buffer.from(SECRET))).toBe(false);
    expect(file.includes(Buffer.from("accessToken"))).toBe(false);
    const document = decrypt(key, "graph", file) as {
      params: Record<string, unknown>;
      context: { tokens: Record<string, unknown> };
    };
    expect(document.params["enc_key"]).toBe(SECRET);
    expect(Object.keys(document.context.tokens)).toHaveLength(1);
    // The name is authenticated: the same bytes under another name do not decrypt.
    expect(() => decrypt(key, "other", file)).toThrow();
  });

  it("with MSINT_STORE_KEY: a scrypt key from the passphrase and store.salt, and no key file", async () => {
    const home = await temporaryDir();
    expectOk(await msint(addArgs("graph"), env(home, { MSINT_STORE_KEY: PASSPHRASE })));
    expect((await readdir(home)).sort()).toEqual(["store", "store.meta", "store.salt"]);
    expect(await mode(join(home, "store.salt"))).toBe("600");
    const salt = Buffer.from((await readFile(join(home, "store.salt"), "utf8")).trim(), "base64");
    const key = scryptSync(PASSPHRASE, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const document = decrypt(key, "graph", await readFile(join(home, "store", "graph.msint"))) as {
      params: Record<string, unknown>;
    };
    expect(document.params["enc_key"]).toBe(SECRET);

    const wrong = await msint(
      ["instance", "show", "graph"],
      env(home, { MSINT_STORE_KEY: `${PASSPHRASE}!` }),
    );
    // The store knows which key sealed it (store.meta): the cause is named, not "cannot be decrypted".
    const text = expectOneMessage(wrong, [1]);
    expect(text).toContain("was sealed with another key: set MSINT_STORE_KEY as when the store was created");
  });
});

describe("file modes", () => {
  it("0700 directories and 0600 files, even under umask 000", async () => {
    const home = join(await temporaryDir(), "fresh-home");
    expectOk(await msintWithUmask("000", addArgs("graph"), env(home)));
    expectOk(
      await msintWithUmask("000", ["run", "msgraph-user-auth-test", "--instance", "graph"], env(home)),
    );
    const tree = await fingerprintTree(home);
    for (const [path, entry] of Object.entries(tree)) {
      const expected = path.endsWith("/") ? "700" : "600";
      expect(`${path} ${entry.split(" ")[0]}`).toBe(`${path} ${expected}`);
    }
    expect(await mode(home)).toBe("700");
    expect(Object.keys(tree).sort()).toEqual(["store.key", "store.meta", "store/", "store/graph.msint"]);
  });

  it("a home and store directory that others can only read are tightened", async () => {
    const home = await copyHome(template);
    await chmod(home, 0o755);
    await chmod(join(home, "store"), 0o755);
    expectOk(await msint(["instance", "show", "graph"], env(home)));
    expect([await mode(home), await mode(join(home, "store"))]).toEqual(["700", "700"]);
  });
});

// Issue 11.6: like ssh, msint refuses surroundings that someone else could have changed (one message naming
// the path and the chmod/chown that fixes it, nothing changed), reads only regular files, and names a store key
// that is not the one the store was sealed with.
describe("the store's surroundings", () => {
  const everyCommand = (name = "graph") => [
    ["instance", "show", name],
    ["instance", "list"],
    ["run", "msgraph-user-auth-test", "--instance", name],
    ["instance", "set", name, "--param", "proxy=true"],
    addArgs("newcomer"),
  ];

  it.each([
    [
      "MSINT_HOME writable by its group",
      (home: string) => chmod(home, 0o770),
      "",
      /can be written by its group \(mode 0770\)/,
      "chmod 700",
    ],
    [
      "MSINT_HOME writable by everybody",
      (home: string) => chmod(home, 0o777),
      "",
      /can be written by its group and all other users \(mode 0777\)/,
      "chmod 700",
    ],
    [
      "the store directory writable by others",
      (home: string) => chmod(join(home, "store"), 0o703),
      "/store",
      /can be written by all other users \(mode 0703\)/,
      "chmod 700",
    ],
    [
      "store.key readable by others",
      (home: string) => chmod(join(home, "store.key"), 0o644),
      "/store.key",
      /is not private \(mode 0644\): others can read it/,
      "chmod 600",
    ],
    [
      "store.key writable by its group",
      (home: string) => chmod(join(home, "store.key"), 0o660),
      "/store.key",
      /is not private \(mode 0660\): others can change it/,
      "chmod 600",
    ],
  ] as const)(
    "%s is refused with the fix, and nothing changes",
    async (_label, loosen, suffix, problem, fix) => {
      const home = await copyHome(template);
      await loosen(home);
      const before = await fingerprintTree(home);
      for (const args of everyCommand()) {
        const text = expectOneMessage(await msint(args, env(home)), [1], args.slice(0, 2).join(" "));
        expect(text).toMatch(problem);
        expect(text).toContain(`${fix} ${home}${suffix}`);
        expect(text).not.toContain(SECRET);
        expect(await fingerprintTree(home)).toEqual(before);
      }
    },
  );

  it.runIf(process.getuid?.() === 0)("a home or key file owned by another user is refused", async () => {
    const keyHome = await copyHome(template);
    await chown(join(keyHome, "store.key"), 4242, 4242);
    const key = expectOneMessage(await msint(["instance", "show", "graph"], env(keyHome)), [1]);
    expect(key).toMatch(/store key file .*store\.key belongs to another user \(uid 4242\)/);
    const home = await copyHome(template);
    await chown(home, 4242, 4242);
    const before = await fingerprintTree(home);
    const dir = expectOneMessage(await msint(["instance", "list"], env(home)), [1]);
    expect(dir).toContain(`The msint directory ${home} belongs to another user (uid 4242)`);
    expect(dir).toContain("Point MSINT_HOME at a directory of your own");
    expect(await fingerprintTree(home)).toEqual(before);
  });

  it("a FIFO, a device or a symbolic link in place of an instance file is refused at once, never waited on", async () => {
    const home = await copyHome(template);
    const store = join(home, "store");
    expect(spawnSync("mkfifo", [join(store, "fifo.msint")]).status).toBe(0);
    await symlink("/dev/zero", join(store, "device.msint"));
    await symlink(join(store, "graph.msint"), join(store, "alias.msint"));
    await symlink("/etc/hostname", join(store, "outside.msint"));
    for (const [name, kind] of [
      ["fifo", "a FIFO (named pipe)"],
      ["device", "a symbolic link"],
      ["alias", "a symbolic link"],
      ["outside", "a symbolic link"],
    ] as const) {
      for (const args of [
        ["instance", "show", name],
        ["run", "msgraph-user-auth-test", "--instance", name],
        ["instance", "set", name, "--param", "proxy=true"],
      ]) {
        // A FIFO opened for reading would wait for a writer forever: the 20 s kill would show as code -1.
        const text = expectOneMessage(await msint(args, env(home)), [1], `${name} ${args[1]}`);
        expect(text).toContain(`${join(store, `${name}.msint`)} is ${kind}, not a regular file`);
        expect(text).toContain(`rm ${join(store, `${name}.msint`)}`);
      }
    }
    // The list names the four and still shows the real instance.
    const list = await msint(["instance", "list"], env(home));
    expect(list.code).toBe(1);
    expect(list.stdout).toMatch(/\|graph\|Microsoft Graph User\|/);
    expect(list.stderr).toMatch(/^Error: 4 instances cannot be read/);
  });

  it("an instance file larger than msint writes is refused without being read", async () => {
    const home = await copyHome(template);
    await writeFile(join(home, "store", "huge.msint"), Buffer.alloc(16 * 1024 * 1024 + 1, 0x41));
    const text = expectOneMessage(await msint(["instance", "show", "huge"], env(home)), [1]);
    expect(text).toMatch(/huge\.msint is 16777217 bytes, more than the 16777216 bytes msint reads/);
  });

  it("a forgotten MSINT_STORE_KEY is named as such, and no key file is made next to the salt", async () => {
    const home = await temporaryDir();
    expectOk(await msint(addArgs("graph"), env(home, { MSINT_STORE_KEY: PASSPHRASE })));
    const before = await fingerprintTree(home);
    for (const args of everyCommand()) {
      const text = expectOneMessage(await msint(args, env(home)), [1], args.slice(0, 2).join(" "));
      expect(text).toBe(
        `Error: The msint store in ${home} was sealed with a passphrase, but MSINT_STORE_KEY is not set: set MSINT_STORE_KEY as when the store was created.\n`,
      );
      const other = expectOneMessage(await msint(args, env(home, { MSINT_STORE_KEY: "another one" })), [1]);
      expect(other).toContain(
        "was sealed with another key: set MSINT_STORE_KEY as when the store was created",
      );
      expect(await fingerprintTree(home)).toEqual(before);
    }
    // The other way round: a key-file store opened with MSINT_STORE_KEY set.
    const fileHome = await copyHome(template);
    const set = expectOneMessage(
      await msint(["instance", "list"], env(fileHome, { MSINT_STORE_KEY: PASSPHRASE })),
      [1],
    );
    expect(set).toContain("was sealed with its key file");
    expect(set).toContain("unset MSINT_STORE_KEY");
    expect(await readdir(fileHome)).not.toContain("store.salt");
  });

  it("a replaced store.key is named, not reported instance by instance", async () => {
    const home = await copyHome(template);
    await writeFile(join(home, "store.key"), `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    const text = expectOneMessage(await msint(["instance", "list"], env(home)), [1]);
    expect(text).toContain("was sealed with another key");
    expect(text).toContain("is not the key file the store was created with");
  });
});

describe("tampering gives a clear error naming the instance, never a silent reset", () => {
  const flipByte = async (file: string, offset: (length: number) => number) => {
    const bytes = await readFile(file);
    const at = offset(bytes.length);
    bytes[at] = bytes[at]! ^ 0x01;
    await writeFile(file, bytes);
  };

  it.each([
    [
      "a flipped bit in the ciphertext",
      (file: string) => flipByte(file, (length) => length >> 1),
      /cannot be decrypted/,
    ],
    [
      "a flipped bit in the tag",
      (file: string) => flipByte(file, (length) => length - 1),
      /cannot be decrypted/,
    ],
    [
      "a truncated file",
      async (file: string) => writeFile(file, (await readFile(file)).subarray(0, 20)),
      /cannot be decrypted/,
    ],
    ["another header", async (file: string) => writeFile(file, `{"params":{}}`), /not an msint store file/],
  ] as const)("%s", async (_label, tamper, expected) => {
    const home = await copyHome(template);
    const file = join(home, "store", "graph.msint");
    await tamper(file);
    const tampered = await readFile(file);
    for (const args of [
      ["instance", "show", "graph"],
      ["instance", "list"],
      ["run", "msgraph-user-auth-test", "--instance", "graph"],
      ["run", "msgraph-user-list", "--instance", "graph"],
      ["instance", "set", "graph", "--param", "proxy=true"],
      addArgs("graph"),
    ]) {
      const text = expectOneMessage(await msint(args, env(home)), [1], args.slice(0, 2).join(" "));
      expect(text).toContain('"graph"');
      expect(text).toMatch(expected);
      expect(text).toContain("msint instance remove graph");
      expect(text).not.toContain(SECRET);
      // Nothing was reset or rewritten.
      expect((await readFile(file)).equals(tampered)).toBe(true);
    }
    // Removing the instance is the explicit way out.
    expectOk(await msint(["instance", "remove", "graph"], env(home)));
    expect(await readdir(join(home, "store"))).toEqual([]);
  });

  it("two instances' files swapped are refused (each file is bound to its name)", async () => {
    const home = await copyHome(template);
    expectOk(await msint(addArgs("other"), env(home)));
    const store = join(home, "store");
    const [graph, other] = await Promise.all([
      readFile(join(store, "graph.msint")),
      readFile(join(store, "other.msint")),
    ]);
    await writeFile(join(store, "graph.msint"), other);
    await writeFile(join(store, "other.msint"), graph);
    const text = expectOneMessage(await msint(["instance", "show", "other"], env(home)), [1]);
    expect(text).toMatch(/"other".*cannot be decrypted/);
  });

  it("instance list still lists the other instances, marks the damaged one and explains it", async () => {
    const home = await copyHome(template);
    expectOk(await msint(addArgs("other"), env(home)));
    const file = join(home, "store", "graph.msint");
    await flipByte(file, (length) => length >> 1);
    const tampered = await readFile(file);
    const run = await msint(["instance", "list"], env(home));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("|graph|(cannot be read)|||");
    expect(run.stdout).toMatch(/\|other\|Microsoft Graph User\|/);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: The stored state of "graph" .* cannot be decrypted/);
    expect(lines[0]).toContain("msint instance remove graph");
    expect((await readFile(file)).equals(tampered)).toBe(true);

    // Two damaged files: one message naming both.
    await flipByte(join(home, "store", "other.msint"), (length) => length - 1);
    expectOk(await msint(addArgs("third"), env(home)));
    const both = await msint(["instance", "list"], env(home));
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/\|third\|Microsoft Graph User\|/);
    expect(both.stderr).toMatch(/^Error: 2 instances cannot be read:\n- .*"graph".*\n- .*"other"/);
  });

  it("a corrupt store.key is reported, not replaced", async () => {
    const home = await copyHome(template);
    await writeFile(join(home, "store.key"), "not a key\n", { mode: 0o600 });
    const before = await fingerprintTree(home);
    const text = expectOneMessage(await msint(["instance", "show", "graph"], env(home)), [1]);
    expect(text).toMatch(/store key file .*store\.key is corrupt/);
    expect(await fingerprintTree(home)).toEqual(before);
  });

  it("a lock left by a process that died does not block the next command", async () => {
    const home = await copyHome(template);
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    await mkdir(join(home, "store"), { recursive: true });
    await writeFile(
      join(home, "store", "graph.msint.lock"),
      JSON.stringify({ pid: deadPid, host: hostname(), created: Date.now(), token: "dead" }),
    );
    expectOk(await msint(["run", "msgraph-user-auth-reset", "--instance", "graph"], env(home)));
    expectOk(await msint(["run", "msgraph-user-auth-test", "--instance", "graph"], env(home)));
    expect(await readdir(join(home, "store"))).toEqual(["graph.msint"]);
  });
});
