/** Small statistics helpers: every timing in the bench is a median over repeated, bounded measurements. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]); NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface BatchTiming {
  /** Median of the per-call time of each batch, in microseconds. */
  medianUs: number;
  p10Us: number;
  p90Us: number;
  batches: number;
  callsPerBatch: number;
  warmupCalls: number;
}

export interface BatchOptions {
  batches: number;
  callsPerBatch: number;
  warmupCalls: number;
  /** Stop early (after at least 3 batches) when the measurement has taken this long. */
  maxMs?: number;
}

/**
 * Times `call` (awaited one after another, as a caller on the hot path does) in batches and returns the median
 * per-call time of the batches. Bounded by the batch counts and by `maxMs`.
 */
export async function timeBatches(call: () => Promise<unknown>, options: BatchOptions): Promise<BatchTiming> {
  for (let i = 0; i < options.warmupCalls; i++) await call();
  const perCall: number[] = [];
  const started = performance.now();
  for (let batch = 0; batch < options.batches; batch++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < options.callsPerBatch; i++) await call();
    const elapsedNs = Number(process.hrtime.bigint() - t0);
    perCall.push(elapsedNs / options.callsPerBatch / 1000);
    if (options.maxMs !== undefined && batch >= 2 && performance.now() - started > options.maxMs) break;
  }
  return {
    medianUs: median(perCall),
    p10Us: quantile(perCall, 0.1),
    p90Us: quantile(perCall, 0.9),
    batches: perCall.length,
    callsPerBatch: options.callsPerBatch,
    warmupCalls: options.warmupCalls,
  };
}
