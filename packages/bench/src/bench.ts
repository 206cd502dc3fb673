import { loadavg } from "node:os";
import { type BenchContext, startBenchContext } from "./context.js";
import { postgresStore } from "./postgres.js";
import { type BenchResults, type MachineInfo, machineInfo, type Row, rows } from "./report.js";
import {
  type BenchConfig,
  cachedInProcess,
  coldStart,
  concurrentColdCache,
  emulatorThroughput,
  firstTokenColdProcess,
  processesOneStore,
  startupBreakdown,
} from "./scenarios.js";

export interface BenchRun {
  machine: MachineInfo;
  /** 1-minute load average when the run started. */
  loadAverageAtStart: number;
  config: BenchConfig;
  startedAt: string;
  durationMs: number;
  results: BenchResults;
  rows: Row[];
}

export interface RunBenchOptions {
  /** Scenario numbers to run (default: all six). */
  only?: ReadonlySet<number>;
  /** Also measure what a cold start spends, layer by layer (this many runs each). */
  breakdownRuns?: number;
  log?: (line: string) => void;
}

/** Runs the scenarios in order on one loopback emulator, which is closed at the end whatever happens. */
export async function runBench(config: BenchConfig, options: RunBenchOptions = {}): Promise<BenchRun> {
  const log = options.log ?? (() => undefined);
  const wanted = (scenario: number) => !options.only || options.only.has(scenario);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  const results: BenchResults = {};
  let context: BenchContext | undefined;
  try {
    context = await startBenchContext();
    log(`emulator on ${context.url}; ${config.latencyMs} ms latency on the login host for token scenarios`);
    if (wanted(1)) {
      log("1/6 cached token in process …");
      results.cached = await cachedInProcess(context, config);
    }
    if (wanted(2)) {
      log(`2/6 ${config.concurrentCalls} concurrent calls on a cold cache …`);
      results.concurrent = await concurrentColdCache(context, config);
    }
    if (wanted(3)) {
      log(`3/6 ${config.processes} processes on one empty store …`);
      results.processes = await processesOneStore(context, config);
    }
    if (wanted(4)) {
      log(`4/6 cold start with a cached token (${config.coldStart.runs} runs each) …`);
      results.coldStart = await coldStart(context, config);
    }
    if (options.breakdownRuns) {
      log(`4b  cold start breakdown (${options.breakdownRuns} runs each) …`);
      results.breakdown = await startupBreakdown(context, options.breakdownRuns);
    }
    if (wanted(5)) {
      log("5/6 first token from a cold process …");
      results.firstToken = await firstTokenColdProcess(context, config, results.coldStart?.medianMs.node);
    }
    if (wanted(6)) {
      log("6/6 emulator throughput …");
      results.throughput = await emulatorThroughput(context, config);
    }
    if (wanted(7)) {
      log(
        `7   PostgreSQL store: cold starts (${config.coldStart.runs} runs each), 4 hosts × ${config.processes} processes …`,
      );
      results.postgres = await postgresStore(context, config);
    }
  } finally {
    await context?.close();
  }
  return {
    machine: machineInfo(),
    loadAverageAtStart,
    config,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    results,
    rows: rows(results),
  };
}
