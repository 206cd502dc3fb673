import type { FaultInjector, FaultKind, FaultSpec } from "./types.js";

interface PendingFault {
  spec: Readonly<FaultSpec>;
  remaining: number;
}

const KINDS: ReadonlySet<FaultKind> = new Set(["status", "reset", "hang", "truncate", "garbage"]);

/** Queue of injected faults; each request consumes at most one (the oldest that matches its path). */
export class Faults implements FaultInjector {
  readonly #queue: PendingFault[] = [];

  inject(fault: FaultSpec): void {
    const count = fault.count ?? 1;
    if (!(count >= 1) || (!Number.isInteger(count) && count !== Number.POSITIVE_INFINITY)) {
      throw new Error(`fault.count must be a positive integer (or Infinity), got ${fault.count}`);
    }
    if (fault.kind !== undefined && !KINDS.has(fault.kind)) {
      throw new Error(`fault.kind must be one of ${[...KINDS].join(", ")}, got ${String(fault.kind)}`);
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
    if (fault.retryAfter instanceof Date && Number.isNaN(fault.retryAfter.getTime())) {
      throw new Error("fault.retryAfter is an invalid Date");
    }
    const kind = fault.kind ?? "status";
    if (
      kind === "status" &&
      fault.status === undefined &&
      fault.delayMs === undefined &&
      fault.body === undefined
    ) {
      throw new Error("A fault needs a kind, a status, a delayMs or a body");
    }
    const spec: FaultSpec = { ...fault };
    // A Date is copied so that the caller changing theirs does not move the fault's.
    if (fault.retryAfter instanceof Date) spec.retryAfter = new Date(fault.retryAfter.getTime());
    this.#queue.push({ spec, remaining: count });
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

/** The `Retry-After` header value of a fault: a Date as an HTTP date, anything else as given. */
export function retryAfterHeader(value: FaultSpec["retryAfter"]): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toUTCString() : String(value);
}

function matches(match: string | RegExp | undefined, path: string): boolean {
  if (match === undefined) return true;
  if (typeof match === "string") return path.includes(match);
  match.lastIndex = 0;
  return match.test(path);
}
