import type { FaultInjector, FaultSpec } from "./types.js";

interface PendingFault {
  spec: Readonly<FaultSpec>;
  remaining: number;
}

/** Queue of injected faults; each request consumes at most one (the oldest that matches its path). */
export class Faults implements FaultInjector {
  readonly #queue: PendingFault[] = [];

  inject(fault: FaultSpec): void {
    const count = fault.count ?? 1;
    if (!(count >= 1) || (!Number.isInteger(count) && count !== Number.POSITIVE_INFINITY)) {
      throw new Error(`fault.count must be a positive integer (or Infinity), got ${fault.count}`);
    }
    if (
      fault.status !== undefined &&
      (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
    ) {
      throw new Error(`fault.status must be an HTTP status code, got ${fault.status}`);
    }
    if (fault.delayMs !== undefined && !(fault.delayMs >= 0)) {
      throw new Error(`fault.delayMs must be zero or more, got ${fault.delayMs}`);
    }
    if (fault.status === undefined && fault.delayMs === undefined && fault.body === undefined) {
      throw new Error("A fault needs a status, a delayMs or a body");
    }
    this.#queue.push({ spec: { ...fault }, remaining: count });
  }

  clear(): void {
    this.#queue.length = 0;
  }

  pending(): ReadonlyArray<Readonly<FaultSpec> & { remaining: number }> {
    return this.#queue.map((entry) => ({ ...entry.spec, remaining: entry.remaining }));
  }

  /** The fault for a request to `path`, if any, consuming one use of it. */
  take(path: string): Readonly<FaultSpec> | undefined {
    const index = this.#queue.findIndex((entry) => matches(entry.spec.match, path));
    if (index < 0) return undefined;
    const entry = this.#queue[index]!;
    entry.remaining--;
    if (entry.remaining <= 0) this.#queue.splice(index, 1);
    return entry.spec;
  }
}

function matches(match: string | RegExp | undefined, path: string): boolean {
  if (match === undefined) return true;
  if (typeof match === "string") return path.includes(match);
  match.lastIndex = 0;
  return match.test(path);
}
