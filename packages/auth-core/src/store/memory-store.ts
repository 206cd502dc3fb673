import { StoreError } from "./errors.js";
import { KeyedMutex } from "./mutex.js";
import { assertValidKey, type ContextStore, compareKeys } from "./types.js";

/**
 * An in-memory {@link ContextStore} for tests and embedding.
 *
 * Deep-copies documents on the way in and out (`structuredClone`), so callers can never mutate stored state,
 * and serializes `update`/`remove` per key with an async mutex, so concurrent updates in one process never
 * lose writes. Nothing is shared between processes.
 */
export class MemoryStore<T = unknown> implements ContextStore<T> {
  readonly #docs = new Map<string, T>();
  readonly #mutex = new KeyedMutex();

  /** @inheritDoc */
  async read(key: string): Promise<T | undefined> {
    assertValidKey(key);
    const doc = this.#docs.get(key);
    return doc === undefined ? undefined : structuredClone(doc);
  }

  /** @inheritDoc */
  async update(
    key: string,
    fn: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<T | undefined> {
    assertValidKey(key);
    return this.#mutex.run(
      key,
      async () => {
        const stored = this.#docs.get(key);
        const current = stored === undefined ? undefined : structuredClone(stored);
        const next = await fn(current);
        if (next === current) return next;
        if (next === undefined) this.#docs.delete(key);
        else this.#docs.set(key, structuredClone(next));
        return next;
      },
      () => reentry(key),
    );
  }

  /** @inheritDoc */
  async list(): Promise<string[]> {
    return [...this.#docs.keys()].sort(compareKeys);
  }

  /** @inheritDoc */
  async remove(key: string): Promise<boolean> {
    assertValidKey(key);
    return this.#mutex.run(
      key,
      async () => this.#docs.delete(key),
      () => reentry(key),
    );
  }
}

function reentry(key: string): StoreError {
  return new StoreError(
    "locked",
    `The context store was asked to change "${key}" from inside an update of "${key}"; that would deadlock. ` +
      "Return the new value from the update callback instead.",
  );
}
