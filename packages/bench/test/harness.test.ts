import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchContext, startBenchContext } from "../src/context.js";
import { postgresStore } from "../src/postgres.js";
import { markdownTable, rows } from "../src/report.js";
import {
  type BenchConfig,
  cachedInProcess,
  coldStart,
  concurrentColdCache,
  emulatorThroughput,
  firstTokenColdProcess,
  processesOneStore,
  QUICK_CONFIG,
} from "../src/scenarios.js";

// A tiny version of every scenario of `pnpm bench`: it proves the harness works and checks request counts.
// No timing is asserted here (timings are measured and reported by `pnpm bench` only).
const TINY: BenchConfig = {
  ...QUICK_CONFIG,
  latencyMs: 5,
  concurrentCallsOthers: 50,
  processes: 3,
  processesOthers: false,
  throughput: { concurrency: 2, durationMs: 200 },
};

let context: BenchContext;

beforeAll(async () => {
  context = await startBenchContext();
});
afterAll(async () => {
  await context?.close();
});

describe("pnpm bench harness (tiny runs, counts only)", () => {
  it("1: cached tokens are served without a request by all three, and timed", async () => {
    const result = await cachedInProcess(context, TINY);
    expect(result.requestsWhileTiming).toEqual({ msint: 0, msintFromStore: 0, identity: 0, msal: 0 });
    for (const timing of [result.msint, result.msintFromStore, result.identity, result.msal]) {
      expect(timing.batches).toBe(3);
      expect(timing.medianUs).toBeGreaterThan(0);
    }
    expect(markdownTable(rows({ cached: result }))).toContain("| 1 |");
  });

  it("2: 1000 concurrent calls on a cold cache make 1 token request with msint", async () => {
    const result = await concurrentColdCache(context, TINY);
    expect(result.calls).toBe(1000);
    expect(result.msint).toMatchObject({ tokenRequests: 1, loginRequests: 1, succeeded: 1000, failed: 0 });
    // Neither library deduplicates concurrent acquisitions: one request per call (identity adds discovery).
    expect(result.callsOthers).toBe(50);
    expect(result.identity).toMatchObject({ succeeded: 50, tokenRequests: 50 });
    expect(result.msal).toMatchObject({ succeeded: 50, tokenRequests: 50 });
  });

  it("3: processes starting together on one empty store make 1 token request with msint", async () => {
    // The identity and msal-node child scripts are exercised by scenarios 4 and 5 below.
    const result = await processesOneStore(context, TINY);
    expect(result.msint.exitCodes).toEqual([0, 0, 0]);
    expect(result.msint.tokenRequests).toBe(1);
    expect(result.identity).toBeUndefined();
  });

  it("4 and 5: cold starts run every contender; a cached run makes no request, a cold one exactly 1", async () => {
    const start = await coldStart(context, TINY);
    expect(start.msintLoginRequests).toBe(0);
    for (const samples of Object.values(start.samples)) expect(samples).toHaveLength(1);
    const first = await firstTokenColdProcess(context, TINY, start.medianMs.node);
    expect(first.msint.requests).toEqual([1]);
    expect(first.msint.requestPaths).toEqual([`POST /${context.tenantId}/oauth2/v2.0/token`]);
    expect(first.msal.requests).toEqual([1]);
    // Identity discovers the authority's metadata first.
    expect(first.identity.requests).toEqual([2]);
  });

  it("6: the emulator throughput load succeeds", async () => {
    const result = await emulatorThroughput(context, TINY);
    expect(result.token.ok).toBeGreaterThan(0);
    expect(result.token.failed + result.token.errors).toBe(0);
    expect(result.graphUsers.ok).toBeGreaterThan(0);
    expect(result.graphUsers.failed + result.graphUsers.errors).toBe(0);
  });

  it("7: a real PostgreSQL store: cached runs on every store, 4 hosts × 3 processes make 1 token request, brokers answer", async () => {
    const result = await postgresStore(context, TINY);
    for (const samples of Object.values(result.samples)) expect(samples).toHaveLength(1);
    expect(result.hosts.exitCodes).toEqual(Array(12).fill(0));
    expect(result.hosts.tokenRequests).toBe(1);
    expect(result.broker?.map((side) => side.replicas)).toEqual([1, 2]);
    for (const side of result.broker ?? []) {
      expect(side.perSecond).toBeGreaterThan(0);
      expect(side.failed).toBe(0);
    }
    expect(markdownTable(rows({ postgres: result }))).toContain("| 7 |");
  }, 180_000);
});
