/**
 * The ContextStore contract (the same suite as the memory and file stores in @msint/auth-core) on a real
 * PostgreSQL server: one server for this file, one fresh database per test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestPostgres, type TestPostgres } from "@msint/integration-testing/postgres";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { contextStoreContract, type Doc, type Harness } from "../../auth-core/src/store/contract-suite.js";
import { openPostgresStore, type PostgresStore } from "../src/index.js";

let server: TestPostgres;
const stores: PostgresStore<Doc>[] = [];
const temps: string[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
  await server?.stop();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function make(): Promise<Harness> {
  const url = await server.createDatabase();
  const home = await mkdtemp(join(tmpdir(), "msint-pg-contract-"));
  temps.push(home);
  const store = await openPostgresStore<Doc>({
    url,
    home,
    storeKey: `base64:${Buffer.alloc(32, 7).toString("base64")}`,
  });
  stores.push(store);
  return {
    store,
    // The row's ciphertext and its last write: a rewrite would change both.
    snapshot: async (key) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const result = await client.query<{ document: Buffer; updated_at: Date }>(
          "select document, updated_at from msint_documents where name = $1",
          [key],
        );
        const row = result.rows[0]!;
        return { bytes: Buffer.from(row.document), mtimeMs: row.updated_at.getTime() };
      } finally {
        await client.end();
      }
    },
  };
}

contextStoreContract([["PostgresStore", make]]);
