import { describe, expect, it } from "vitest";
import { backoffMs, formatDuration, isRetryable, parseRetryAfter, retryAfterMs } from "./retry.js";

describe("Retry-After", () => {
  const now = Date.UTC(2030, 0, 1);

  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter(new Date(now + 3000).toUTCString(), now)).toBe(3000);
    expect(parseRetryAfter(new Date(now - 3000).toUTCString(), now)).toBe(0);
  });

  it("ignores junk", () => {
    for (const value of [undefined, "", "-1", "soon", "12abc"])
      expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it("prefers Azure's millisecond headers", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" }, now)).toBe(250);
    expect(retryAfterMs({ "x-ms-retry-after-ms": "1200" }, now)).toBe(1200);
    expect(retryAfterMs({ "retry-after": "9" }, now)).toBe(9000);
  });
});

describe("backoff", () => {
  it("doubles from 500 ms to 8 s, jittered in the upper half", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((retry) => backoffMs(retry, () => 0))).toEqual([
      250, 500, 1000, 2000, 4000, 4000, 4000,
    ]);
    expect([1, 5, 9].map((retry) => backoffMs(retry, () => 0.999999))).toEqual([500, 8000, 8000]);
  });
});

describe("isRetryable", () => {
  it("retries idempotent methods and form POSTs unless told otherwise", () => {
    expect(isRetryable({ method: "GET", url: "" })).toBe(true);
    expect(isRetryable({ method: "DELETE", url: "" })).toBe(true);
    expect(isRetryable({ method: "PATCH", url: "" })).toBe(false);
    expect(
      isRetryable({
        method: "POST",
        url: "",
        headers: { "Content-Type": "application/x-www-form-urlencoded;charset=utf-8" },
      }),
    ).toBe(true);
    expect(isRetryable({ method: "POST", url: "", headers: { "content-type": "application/json" } })).toBe(
      false,
    );
    expect(isRetryable({ method: "POST", url: "", retry: true })).toBe(true);
    expect(isRetryable({ method: "GET", url: "", retry: false })).toBe(false);
  });
});

describe("formatDuration", () => {
  it("reads naturally", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(30_000)).toBe("30 s");
    expect(formatDuration(120_000)).toBe("2 min");
  });
});
