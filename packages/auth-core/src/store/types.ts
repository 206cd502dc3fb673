/**
 * The persisted state of msint: one JSON document per key (an instance name), holding the instance's
 * configuration and its integration context (cached tokens, refresh token, PKCE verifier, …).
 *
 * Documents must be JSON-compatible values: the file store serializes with `JSON.stringify`.
 */
export interface ContextStore<T = unknown> {
  /**
   * The current document, or `undefined` when there is none.
   * Never waits for the lock: writers replace files atomically, so a read sees either the old or the new document.
   * The result is the caller's own copy; mutating it does not change the store.
   */
  read(key: string): Promise<T | undefined>;

  /**
   * Atomic read-modify-write, across processes: takes the key's lock, reads the document, awaits `fn`,
   * writes the result and releases the lock (also when `fn` throws).
   *
   * - Treat `current` as immutable. If `fn` returns the very same object it received (`===`), nothing is
   *   written (a file stays byte-for-byte unchanged) — even if `fn` mutated it. Return a new object to change it.
   * - If `fn` returns `undefined`, the document is deleted.
   * - If `fn` throws or rejects, nothing is written and the error propagates.
   * - Calling `update`/`remove` for the same key from inside `fn` rejects with `StoreError` "locked"
   *   instead of deadlocking.
   *
   * Use it to deduplicate work across processes: re-check the cached value inside `fn` before fetching.
   * @returns the value `fn` returned (now stored), or `undefined` when the document was deleted.
   */
  update(
    key: string,
    fn: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<T | undefined>;

  /** The keys that have a document, sorted (by UTF-16 code units). */
  list(): Promise<string[]>;

  /** Deletes the document (without decrypting it, so it also clears an unreadable one). `true` when something was removed. */
  remove(key: string): Promise<boolean>;
}

/** Rejects keys no store can hold: empty strings and strings with lone surrogates. */
export function assertValidKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) {
    throw new RangeError("A context store key must be a non-empty string.");
  }
  try {
    encodeURIComponent(key);
  } catch {
    throw new RangeError(`The context store key ${JSON.stringify(key)} is not a well-formed Unicode string.`);
  }
}

/** Stable, locale-independent ordering for `list()`. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
