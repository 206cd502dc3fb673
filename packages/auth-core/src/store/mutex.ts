import { AsyncLocalStorage } from "node:async_hooks";

interface Holding {
  readonly mutex: KeyedMutex;
  readonly key: string;
  active: boolean;
  readonly parent: Holding | undefined;
}

const holdings = new AsyncLocalStorage<Holding>();

/**
 * An in-process async mutex per key (FIFO). Detects re-entry (a holder asking for the same key again from
 * inside its critical section) and rejects instead of deadlocking. Plumbing: exported from
 * `@msint/auth-core/internal` for the other store packages.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier `run` for `key` has finished. */
  async run<R>(key: string, fn: () => Promise<R>, reentryError: () => Error): Promise<R> {
    for (let h = holdings.getStore(); h !== undefined; h = h.parent) {
      if (h.active && h.mutex === this && h.key === key) throw reentryError();
    }
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    const holding: Holding = { mutex: this, key, active: true, parent: holdings.getStore() };
    try {
      return await holdings.run(holding, fn);
    } finally {
      holding.active = false;
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
