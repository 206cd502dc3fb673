import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, backoffMs, parseRetryAfter, retryAfterMs } from "./retry.js";

const now = Date.UTC(2030, 5, 15, 12, 0, 0);

describe("Retry-After and backoff (property)", () => {
  it("delta seconds: exactly that many seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom("", " ", "  "), (seconds, pad) => {
        expect(parseRetryAfter(`${pad}${seconds}${pad}`, now)).toBe(seconds * 1000);
      }),
    );
  });

  it("an HTTP date: the time until then (0 when past), within the date's one-second resolution", () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSeconds) => {
        const date = new Date(now + offsetSeconds * 1000);
        const wait = parseRetryAfter(date.toUTCString(), now);
        expect(wait).toBe(Math.max(0, offsetSeconds * 1000));
      }),
    );
  });

  it("anything else: undefined or a wait of zero or more, never an exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom("-1", "1e9", "NaN", "Infinity", "0x10", "12abc")),
        (text) => {
          const wait = parseRetryAfter(text, now);
          if (wait !== undefined) {
            expect(Number.isFinite(wait)).toBe(true);
            expect(wait).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("Azure's millisecond headers win over Retry-After", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 0, max: 600 }), (ms, seconds) => {
        expect(retryAfterMs({ "retry-after-ms": String(ms), "retry-after": String(seconds) }, now)).toBe(ms);
        expect(retryAfterMs({ "x-ms-retry-after-ms": String(ms) }, now)).toBe(ms);
      }),
    );
  });

  it("backoff doubles from 500 ms to at most 8 s, always in the upper half of its step", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (retry, random) => {
          const step = Math.min(BACKOFF_CAP_MS, 500 * 2 ** (retry - 1));
          const wait = backoffMs(retry, () => random);
          expect(wait).toBeGreaterThanOrEqual(step / 2);
          expect(wait).toBeLessThanOrEqual(step);
        },
      ),
    );
  });
});
