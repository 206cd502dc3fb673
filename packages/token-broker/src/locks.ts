import type { SqlDatabase } from "./sql.js";

/**
 * Runs work one at a time per key: in this process first, then under the database's lock, so that replicas on
 * one PostgreSQL database take turns too.
 */
export class RegistrationLocks {
  private readonly held = new Map<string, Promise<unknown>>();

  constructor(private readonly database: SqlDatabase) {}

  /** Runs `work` once every earlier holder of `key` is done (whether it succeeded or failed). */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.held.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.database.lock(key, work));
    this.held.set(key, current);
    try {
      return await current;
    } finally {
      if (this.held.get(key) === current) this.held.delete(key);
    }
  }
}
