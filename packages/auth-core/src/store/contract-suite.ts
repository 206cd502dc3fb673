/**
 * The ContextStore contract as a reusable suite (vitest). Not part of the package's build: test files import it.
 */
import { describe, expect, it } from "vitest";
import type { ContextStore } from "./types.js";

export interface Doc {
  n: number;
  tags?: string[];
  nested?: { secret: string };
}

export interface Harness {
  store: ContextStore<Doc>;
  /** Raw bytes and mtime of a key's file, for stores that have one. */
  snapshot?: (key: string) => Promise<{ bytes: Buffer; mtimeMs: number }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The contract every {@link ContextStore} implementation passes. Each test file calls it with its
 * implementations (memory and file here; PostgreSQL in @msint/store-postgres).
 */
export function contextStoreContract(implementations: [string, () => Promise<Harness>][]): void {
  describe.each(implementations)("ContextStore contract: %s", (_name, make) => {
    it("reads undefined for a missing key", async () => {
      const { store } = await make();
      expect(await store.read("nope")).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it("creates, reads back and updates a document", async () => {
      const { store } = await make();
      const seen: (Doc | undefined)[] = [];
      const created = await store.update("graph-prod", (current) => {
        seen.push(current);
        return { n: 1, tags: ["a"], nested: { secret: "s" } };
      });
      expect(created).toEqual({ n: 1, tags: ["a"], nested: { secret: "s" } });
      expect(await store.read("graph-prod")).toEqual({ n: 1, tags: ["a"], nested: { secret: "s" } });
      const updated = await store.update("graph-prod", async (current) => {
        seen.push(current);
        await sleep(1);
        return { ...current!, n: current!.n + 1 };
      });
      expect(updated?.n).toBe(2);
      expect(seen).toEqual([undefined, { n: 1, tags: ["a"], nested: { secret: "s" } }]);
      expect(await store.read("graph-prod")).toEqual({ n: 2, tags: ["a"], nested: { secret: "s" } });
    });

    it("hands out copies: mutating what read/update return or received does not change the store", async () => {
      const { store } = await make();
      const written: Doc = { n: 1, tags: ["a"] };
      await store.update("k", () => written);
      written.tags!.push("mutated-after-write");
      const read = await store.read("k");
      read!.tags!.push("mutated-after-read");
      expect(await store.read("k")).toEqual({ n: 1, tags: ["a"] });
    });

    it("writes nothing when fn returns the object it received (even if it mutated it)", async () => {
      const { store, snapshot } = await make();
      await store.update("k", () => ({ n: 7 }));
      const before = await snapshot?.("k");
      await sleep(30); // a rewrite would now get a different mtime
      const result = await store.update("k", (current) => {
        current!.n = 999;
        return current;
      });
      expect(result).toEqual({ n: 999 }); // the caller gets back what fn returned
      expect(await store.read("k")).toEqual({ n: 7 });
      if (snapshot && before) {
        const after = await snapshot("k");
        expect(after.mtimeMs).toBe(before.mtimeMs);
        expect(after.bytes.equals(before.bytes)).toBe(true);
      }
      // Same for a missing document: returning undefined for undefined creates nothing.
      expect(await store.update("missing", (current) => current)).toBeUndefined();
      expect(await store.list()).toEqual(["k"]);
    });

    it("deletes the document when fn returns undefined", async () => {
      const { store } = await make();
      await store.update("a", () => ({ n: 1 }));
      await store.update("b", () => ({ n: 2 }));
      expect(await store.update("a", () => undefined)).toBeUndefined();
      expect(await store.read("a")).toBeUndefined();
      expect(await store.list()).toEqual(["b"]);
    });

    it("lists keys sorted", async () => {
      const { store } = await make();
      for (const key of ["zeta", "alpha", "graph-prod", "Beta", "defender.eu"]) {
        await store.update(key, () => ({ n: 0 }));
      }
      expect(await store.list()).toEqual(["Beta", "alpha", "defender.eu", "graph-prod", "zeta"]);
    });

    it("removes: true when something was removed, false otherwise", async () => {
      const { store } = await make();
      await store.update("k", () => ({ n: 1 }));
      expect(await store.remove("k")).toBe(true);
      expect(await store.remove("k")).toBe(false);
      expect(await store.read("k")).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it("leaves the state alone when fn throws, and propagates the error", async () => {
      const { store, snapshot } = await make();
      await store.update("k", () => ({ n: 1 }));
      const before = await snapshot?.("k");
      const boom = new Error("boom");
      await expect(
        store.update("k", () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await expect(
        store.update("k", async () => {
          await sleep(1);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.read("k")).toEqual({ n: 1 });
      if (snapshot && before) expect((await snapshot("k")).bytes.equals(before.bytes)).toBe(true);
      // The key is not left locked.
      expect(await store.update("k", (c) => ({ n: c!.n + 1 }))).toEqual({ n: 2 });
    });

    it("never loses an update under in-process concurrency (50 increments → 50)", async () => {
      const { store } = await make();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.update("counter", async (current) => {
            if (i % 3 === 0) await sleep(0);
            return { n: (current?.n ?? 0) + 1 };
          }),
        ),
      );
      expect(await store.read("counter")).toEqual({ n: 50 });
    });

    it("rejects a nested update of the same key instead of deadlocking; other keys are fine", async () => {
      const { store } = await make();
      await store.update("outer", async () => {
        await expect(store.update("outer", () => ({ n: 1 }))).rejects.toMatchObject({
          name: "StoreError",
          code: "locked",
        });
        await expect(store.remove("outer")).rejects.toMatchObject({ code: "locked" });
        await store.update("inner", () => ({ n: 2 }));
        return { n: 3 };
      });
      expect(await store.read("outer")).toEqual({ n: 3 });
      expect(await store.read("inner")).toEqual({ n: 2 });
    });

    it("rejects empty keys", async () => {
      const { store } = await make();
      await expect(store.read("")).rejects.toThrow(RangeError);
      await expect(store.update("", () => ({ n: 1 }))).rejects.toThrow(RangeError);
    });
  });
}
