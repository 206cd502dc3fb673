import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { contextStoreContract, type Doc, type Harness } from "./contract-suite.js";
import { MemoryStore, openFileStore } from "./index.js";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

const implementations: [string, () => Promise<Harness>][] = [
  ["MemoryStore", async () => ({ store: new MemoryStore<Doc>() })],
  [
    "FileStore",
    async () => {
      const home = await mkdtemp(join(tmpdir(), "msint-store-contract-"));
      temps.push(home);
      const store = await openFileStore<Doc>({ home });
      return {
        store,
        snapshot: async (key) => {
          const file = store.fileFor(key);
          const [bytes, st] = await Promise.all([readFile(file), stat(file)]);
          return { bytes, mtimeMs: st.mtimeMs };
        },
      };
    },
  ],
];

contextStoreContract(implementations);
