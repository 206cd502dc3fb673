import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createInstance, identityCredential, msalApplication, msintProvider } from "./clients.js";
import { type BenchContext, FAKE_AUTHORITY_HOST } from "./context.js";
import type { LoadResult, LoadSpec } from "./load-worker.js";
import { benchDir, msintBin, scriptPath, workerPath } from "./paths.js";
import { expectSuccess, type ProcessRun, runNode } from "./processes.js";
import { type BatchOptions, type BatchTiming, median, timeBatches } from "./stats.js";

export interface BenchConfig {
  /** Latency added to every login-host request in the token scenarios (ms). */
  latencyMs: number;
  cached: { msint: BatchOptions; storeHit: BatchOptions; identity: BatchOptions; msal: BatchOptions };
  concurrentCalls: number;
  /** Concurrent calls for identity and msal-node (default: concurrentCalls). */
  concurrentCallsOthers?: number;
  processes: number;
  /** Also start identity and msal-node processes in scenario 3 (default true). */
  processesOthers?: boolean;
  coldStart: { runs: number; warmup: number };
  firstTokenRuns: number;
  throughput: { concurrency: number; durationMs: number };
}

export const FULL_CONFIG: BenchConfig = {
  latencyMs: 20,
  cached: {
    msint: { batches: 50, callsPerBatch: 2000, warmupCalls: 20_000, maxMs: 20_000 },
    storeHit: { batches: 20, callsPerBatch: 200, warmupCalls: 200, maxMs: 20_000 },
    identity: { batches: 30, callsPerBatch: 500, warmupCalls: 2000, maxMs: 20_000 },
    msal: { batches: 30, callsPerBatch: 500, warmupCalls: 2000, maxMs: 20_000 },
  },
  concurrentCalls: 1000,
  processes: 8,
  coldStart: { runs: 25, warmup: 2 },
  firstTokenRuns: 5,
  throughput: { concurrency: 16, durationMs: 3000 },
};

/** A few iterations of everything: proves the harness works (tests, `pnpm bench --quick`). */
export const QUICK_CONFIG: BenchConfig = {
  latencyMs: 20,
  cached: {
    msint: { batches: 3, callsPerBatch: 50, warmupCalls: 10 },
    storeHit: { batches: 3, callsPerBatch: 5, warmupCalls: 2 },
    identity: { batches: 3, callsPerBatch: 20, warmupCalls: 5 },
    msal: { batches: 3, callsPerBatch: 20, warmupCalls: 5 },
  },
  concurrentCalls: 1000,
  processes: 8,
  coldStart: { runs: 1, warmup: 0 },
  firstTokenRuns: 1,
  throughput: { concurrency: 4, durationMs: 300 },
};

function benchEnv(context: BenchContext): Record<string, string> {
  return {
    BENCH_URL: context.url,
    BENCH_TENANT_ID: context.tenantId,
    BENCH_CLIENT_ID: context.clientId,
    BENCH_CLIENT_SECRET: context.clientSecret,
    BENCH_SCOPE: context.scope,
    BENCH_AUTHORITY_HOST: FAKE_AUTHORITY_HOST,
    BENCH_AUTHORITY_METADATA: context.authorityMetadata,
  };
}

/** How each contender is started as a process. */
function commands(context: BenchContext) {
  const env = benchEnv(context);
  return {
    // The executable's code cache lives in the bench's throw-away home: each run starts without one, and the
    // warm-up rounds write it, as a user's first run would.
    msint: (home: string, instance: string, extraEnv: Record<string, string> = {}) => ({
      args: [msintBin(), "run", "msgraph-user-auth-test", "--instance", instance],
      env: { MSINT_HOME: home, MSINT_CODE_CACHE: join(context.home, "code-cache"), ...extraEnv },
    }),
    identity: () => ({ args: [scriptPath("identity-token")], env }),
    msal: () => ({ args: [scriptPath("msal-token")], env }),
  };
}

/** Creates the instance in `home`'s store (see createInstance); the CLI processes then run on it. */
async function addInstance(
  context: BenchContext,
  home: string,
  name: string,
  passphrase?: string,
): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  await createInstance(context, home, name, passphrase);
}

function successful(run: ProcessRun, what: string): ProcessRun {
  expectSuccess(run, what);
  if (!run.stdout.includes("Success")) throw new Error(`${what} printed no success: ${run.stdout}`);
  return run;
}

// ─── 1. Cached token in process ─────────────────────────────────────────────────────────────────────────────

export interface CachedResult {
  msint: BatchTiming;
  /** msint, a new TokenProvider per call: one FileStore read + decrypt each time (a new process's first call). */
  msintFromStore: BatchTiming;
  identity: BatchTiming;
  msal: BatchTiming;
  /** identity µs / msint µs. */
  speedupVsIdentity: number;
  speedupVsMsal: number;
  /** Login-host requests made while the cached calls were timed (must be 0). */
  requestsWhileTiming: { msint: number; msintFromStore: number; identity: number; msal: number };
}

export async function cachedInProcess(context: BenchContext, config: BenchConfig): Promise<CachedResult> {
  context.setLatency(config.latencyMs);
  const counted = async <T>(measure: () => Promise<T>): Promise<[T, number]> => {
    context.emulator.clearRequests();
    const result = await measure();
    return [result, context.loginRequests()];
  };

  const m = await msintProvider(context, "bench-cached");
  await m.provider.getToken(m.scopes);
  const [msint, msintRequests] = await counted(() =>
    timeBatches(() => m.provider.getToken(m.scopes), config.cached.msint),
  );
  const [msintFromStore, storeRequests] = await counted(() =>
    timeBatches(() => m.fresh().getToken(m.scopes), config.cached.storeHit),
  );

  const credential = identityCredential(context);
  await credential.getToken(context.scope);
  const [identity, identityRequests] = await counted(() =>
    timeBatches(() => credential.getToken(context.scope), config.cached.identity),
  );

  const app = msalApplication(context);
  await app.acquireTokenByClientCredential({ scopes: [context.scope] });
  const [msal, msalRequests] = await counted(() =>
    timeBatches(() => app.acquireTokenByClientCredential({ scopes: [context.scope] }), config.cached.msal),
  );

  return {
    msint,
    msintFromStore,
    identity,
    msal,
    speedupVsIdentity: identity.medianUs / msint.medianUs,
    speedupVsMsal: msal.medianUs / msint.medianUs,
    requestsWhileTiming: {
      msint: msintRequests,
      msintFromStore: storeRequests,
      identity: identityRequests,
      msal: msalRequests,
    },
  };
}

// ─── 2. Concurrent calls on a cold cache ────────────────────────────────────────────────────────────────────

export interface ConcurrentSide {
  tokenRequests: number;
  /** Every login-host request (identity adds discovery requests). */
  loginRequests: number;
  succeeded: number;
  failed: number;
  wallMs: number;
  firstError?: string;
}

export interface ConcurrentResult {
  calls: number;
  callsOthers: number;
  latencyMs: number;
  msint: ConcurrentSide;
  identity: ConcurrentSide;
  msal: ConcurrentSide;
}

async function burst(
  context: BenchContext,
  calls: number,
  call: () => Promise<unknown>,
): Promise<ConcurrentSide> {
  context.emulator.clearRequests();
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: calls }, () => call()));
  const wallMs = performance.now() - started;
  const rejected = settled.find((entry): entry is PromiseRejectedResult => entry.status === "rejected");
  const side: ConcurrentSide = {
    tokenRequests: context.emulator.tokenRequests().length,
    loginRequests: context.loginRequests(),
    succeeded: settled.filter((entry) => entry.status === "fulfilled").length,
    failed: settled.filter((entry) => entry.status === "rejected").length,
    wallMs,
  };
  if (rejected)
    side.firstError = String((rejected.reason as Error)?.message ?? rejected.reason).slice(0, 300);
  return side;
}

export async function concurrentColdCache(
  context: BenchContext,
  config: BenchConfig,
): Promise<ConcurrentResult> {
  context.setLatency(config.latencyMs);
  const calls = config.concurrentCalls;
  const m = await msintProvider(context, "bench-concurrent");
  const msint = await burst(context, calls, () => m.provider.getToken(m.scopes));
  const others = config.concurrentCallsOthers ?? calls;
  const credential = identityCredential(context);
  const identity = await burst(context, others, () => credential.getToken(context.scope));
  const app = msalApplication(context);
  const msal = await burst(context, others, () =>
    app.acquireTokenByClientCredential({ scopes: [context.scope] }),
  );
  return { calls, callsOthers: others, latencyMs: config.latencyMs, msint, identity, msal };
}

// ─── 3. Processes starting together on one empty store ──────────────────────────────────────────────────────

export interface ProcessesSide {
  processes: number;
  tokenRequests: number;
  loginRequests: number;
  exitCodes: number[];
  wallMs: number;
}

export interface ProcessesResult {
  processes: number;
  latencyMs: number;
  msint: ProcessesSide;
  /** Separate processes, each with its own in-memory cache (neither library persists tokens by default). */
  identity?: ProcessesSide;
  msal?: ProcessesSide;
}

async function together(
  context: BenchContext,
  count: number,
  spec: () => { args: string[]; env: Record<string, string> },
): Promise<ProcessesSide> {
  context.emulator.clearRequests();
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: count }, () => {
      const { args, env } = spec();
      return runNode(args, { env });
    }),
  );
  return {
    processes: count,
    tokenRequests: context.emulator.tokenRequests().length,
    loginRequests: context.loginRequests(),
    exitCodes: runs.map((run) => run.code),
    wallMs: performance.now() - started,
  };
}

export async function processesOneStore(
  context: BenchContext,
  config: BenchConfig,
): Promise<ProcessesResult> {
  context.setLatency(config.latencyMs);
  const home = join(context.home, "race");
  await addInstance(context, home, "race");
  const run = commands(context);
  const msint = await together(context, config.processes, () => run.msint(home, "race"));
  if (config.processesOthers === false)
    return { processes: config.processes, latencyMs: config.latencyMs, msint };
  const identity = await together(context, config.processes, run.identity);
  const msal = await together(context, config.processes, run.msal);
  return { processes: config.processes, latencyMs: config.latencyMs, msint, identity, msal };
}

// ─── 4. CLI cold start with a cached token ──────────────────────────────────────────────────────────────────

export interface ColdStartResult {
  runs: number;
  latencyMs: number;
  /** Median wall time (ms) of each command, from spawn to exit. */
  medianMs: {
    node: number;
    msint: number;
    msintPassphrase: number;
    msintNoCodeCache: number;
    identity: number;
    identityImportOnly: number;
    msal: number;
  };
  /** Median over the rounds of msint's wall divided by the `node -e 0` run next to it. */
  pairedRatio: number;
  /** Fastest run of each command (least disturbed by other work on the machine). */
  minMs: Record<string, number>;
  /** Each median divided by `node -e 0`'s. */
  ratioToNode: {
    msint: number;
    msintPassphrase: number;
    msintNoCodeCache: number;
    identity: number;
    identityImportOnly: number;
    msal: number;
  };
  /** Login-host requests made by the msint runs (cached token: must be 0). */
  msintLoginRequests: number;
  samples: Record<string, number[]>;
}

export async function coldStart(context: BenchContext, config: BenchConfig): Promise<ColdStartResult> {
  context.setLatency(config.latencyMs);
  const home = join(context.home, "cold");
  const passphraseHome = join(context.home, "cold-passphrase");
  const passphrase = "bench passphrase, not a secret";
  const passphraseEnv = { MSINT_STORE_KEY: passphrase };
  await addInstance(context, home, "warm");
  await addInstance(context, passphraseHome, "warm", passphrase);
  const run = commands(context);
  for (const spec of [run.msint(home, "warm"), run.msint(passphraseHome, "warm", passphraseEnv)]) {
    successful(await runNode(spec.args, { env: spec.env }), "msint run msgraph-user-auth-test (first token)");
  }

  const contenders: Record<string, () => Promise<ProcessRun>> = {
    node: async () => expectSuccess(await runNode(["-e", "0"]), "node -e 0"),
    msint: async () => {
      const spec = run.msint(home, "warm");
      return successful(await runNode(spec.args, { env: spec.env }), "msint run msgraph-user-auth-test");
    },
    msintPassphrase: async () => {
      const spec = run.msint(passphraseHome, "warm", passphraseEnv);
      return successful(await runNode(spec.args, { env: spec.env }), "msint run (MSINT_STORE_KEY)");
    },
    msintNoCodeCache: async () => {
      const spec = run.msint(home, "warm", { MSINT_CODE_CACHE: "off" });
      return successful(await runNode(spec.args, { env: spec.env }), "msint run (MSINT_CODE_CACHE=off)");
    },
    identity: async () => {
      const spec = run.identity();
      return successful(await runNode(spec.args, { env: spec.env }), "identity script");
    },
    identityImportOnly: async () =>
      expectSuccess(
        await runNode(["--input-type=module", "-e", "await import('@azure/identity')"], { cwd: benchDir() }),
        "import @azure/identity",
      ),
    msal: async () => {
      const spec = run.msal();
      return successful(await runNode(spec.args, { env: spec.env }), "msal-node script");
    },
  };
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  let msintLoginRequests = 0;
  const rounds = config.coldStart.warmup + config.coldStart.runs;
  for (let round = 0; round < rounds; round++) {
    // `node -e 0` and msint run back to back, first one then the other, so that both see the same load of a
    // shared machine; the others follow in a rotating order, so that drift does not favour one of them.
    const pair = round % 2 === 0 ? ["node", "msint"] : ["msint", "node"];
    const others = names.filter((name) => !pair.includes(name));
    const order = [...pair, ...others.map((_, index) => others[(index + round) % others.length]!)];
    for (const name of order) {
      const before = context.loginRequests();
      const result = await contenders[name]!();
      if (name.startsWith("msint")) msintLoginRequests += context.loginRequests() - before;
      if (round >= config.coldStart.warmup) samples[name]!.push(result.wallMs);
    }
  }
  const med = (name: string) => median(samples[name]!);
  const node = med("node");
  return {
    runs: config.coldStart.runs,
    latencyMs: config.latencyMs,
    medianMs: {
      node,
      msint: med("msint"),
      msintPassphrase: med("msintPassphrase"),
      msintNoCodeCache: med("msintNoCodeCache"),
      identity: med("identity"),
      identityImportOnly: med("identityImportOnly"),
      msal: med("msal"),
    },
    ratioToNode: {
      msint: med("msint") / node,
      msintPassphrase: med("msintPassphrase") / node,
      msintNoCodeCache: med("msintNoCodeCache") / node,
      identity: med("identity") / node,
      identityImportOnly: med("identityImportOnly") / node,
      msal: med("msal") / node,
    },
    pairedRatio: median(samples["msint"]!.map((wall, index) => wall / samples["node"]![index]!)),
    minMs: Object.fromEntries(names.map((name) => [name, Math.min(...samples[name]!)])),
    msintLoginRequests,
    samples,
  };
}

// ─── 4b. Where a cold start goes (opt-in: --breakdown) ──────────────────────────────────────────────────────

export interface BreakdownRow {
  step: string;
  medianMs: number;
  minMs: number;
  /** Median minus `node -e 0`'s median. */
  aboveNodeMs: number;
}

/**
 * Median wall time of processes that each do one step more, to show what a cold start spends: node itself, a
 * CommonJS script, node:crypto (the store's decryption), the msint executable without and with its code cache,
 * the argument parser's path (`msint help`), and, for scale, importing MSAL or identity.
 */
export async function startupBreakdown(context: BenchContext, runs: number): Promise<BreakdownRow[]> {
  const home = join(context.home, "breakdown");
  await addInstance(context, home, "warm");
  const run = commands(context);
  const warm = run.msint(home, "warm");
  successful(await runNode(warm.args, { env: warm.env }), "msint auth-test (breakdown)");
  const script = async (name: string, source: string) => {
    const file = join(context.home, name);
    await writeFile(file, source);
    return { args: [file] };
  };
  const importing = (cwd: string, specifier: string) => ({
    args: ["--input-type=module", "-e", `await import(${JSON.stringify(specifier)})`],
    cwd,
  });
  const steps: Array<[string, { args: string[]; cwd?: string; env?: Record<string, string> }]> = [
    ["node -e 0", { args: ["-e", "0"] }],
    ["an empty CommonJS script", await script("empty.cjs", "")],
    ["a script requiring node:crypto", await script("crypto.cjs", 'require("node:crypto");')],
    ["msint run (cached token), code cache off", run.msint(home, "warm", { MSINT_CODE_CACHE: "off" })],
    ["msint run msgraph-user-auth-test (cached token)", warm],
    ["the msint CLI through commander, `msint help`", { args: [msintBin(), "help"], env: warm.env }],
    ["@azure/msal-node", importing(benchDir(), "@azure/msal-node")],
    ["@azure/identity", importing(benchDir(), "@azure/identity")],
  ];
  const samples = steps.map(() => [] as number[]);
  for (let round = 0; round < runs + 1; round++) {
    for (const [index, [step, spec]] of steps.entries()) {
      const run = expectSuccess(await runNode(spec.args, { cwd: spec.cwd, env: spec.env }), step);
      if (round > 0) samples[index]!.push(run.wallMs);
    }
  }
  const node = median(samples[0]!);
  return steps.map(([step], index) => ({
    step,
    medianMs: median(samples[index]!),
    minMs: Math.min(...samples[index]!),
    aboveNodeMs: median(samples[index]!) - node,
  }));
}

// ─── 5. First token from a cold process ─────────────────────────────────────────────────────────────────────

export interface FirstTokenSide {
  /** Requests to the emulator by each run (all paths). */
  requests: number[];
  requestPaths: string[];
  medianWallMs: number;
  /** Median of (wall − latency × requests) − median(node -e 0): the process's own cost for its first token. */
  aboveLatencyAndNodeMs: number;
}

export interface FirstTokenResult {
  runs: number;
  latencyMs: number;
  nodeMedianMs: number;
  msint: FirstTokenSide;
  identity: FirstTokenSide;
  msal: FirstTokenSide;
}

export async function firstTokenColdProcess(
  context: BenchContext,
  config: BenchConfig,
  nodeMedianMs?: number,
): Promise<FirstTokenResult> {
  context.setLatency(config.latencyMs);
  const home = join(context.home, "first");
  const runs = config.firstTokenRuns;
  for (let i = 0; i < runs; i++) await addInstance(context, home, `first-${i}`);
  let node = nodeMedianMs;
  if (node === undefined) {
    const walls: number[] = [];
    for (let i = 0; i < Math.max(3, runs); i++) walls.push((await runNode(["-e", "0"])).wallMs);
    node = median(walls);
  }
  const run = commands(context);
  const specs = {
    msint: (i: number) => run.msint(home, `first-${i}`),
    identity: () => run.identity(),
    msal: () => run.msal(),
  };
  type Name = keyof typeof specs;
  const names = Object.keys(specs) as Name[];
  const seen = Object.fromEntries(
    names.map((name) => [
      name,
      { requests: [] as number[], own: [] as number[], walls: [] as number[], paths: [] as string[] },
    ]),
  ) as Record<Name, { requests: number[]; own: number[]; walls: number[]; paths: string[] }>;
  // Interleaved, one of each per round, so that drift on the machine does not favour one contender.
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      context.emulator.clearRequests();
      const { args, env } = specs[name](i);
      const result = successful(await runNode(args, { env }), `${name} first token`);
      const made = context.emulator.requests.length;
      const side = seen[name];
      side.requests.push(made);
      side.paths = context.emulator.requests.map((request) => `${request.method} ${request.path}`);
      side.walls.push(result.wallMs);
      side.own.push(result.wallMs - config.latencyMs * made);
    }
  }
  const summary = (name: Name): FirstTokenSide => ({
    requests: seen[name].requests,
    requestPaths: seen[name].paths,
    medianWallMs: median(seen[name].walls),
    aboveLatencyAndNodeMs: median(seen[name].own) - node,
  });
  const msint = summary("msint");
  const identity = summary("identity");
  const msal = summary("msal");
  return { runs, latencyMs: config.latencyMs, nodeMedianMs: node, msint, identity, msal };
}

// ─── 6. Emulator throughput ─────────────────────────────────────────────────────────────────────────────────

export interface ThroughputSide {
  concurrency: number;
  durationMs: number;
  ok: number;
  failed: number;
  errors: number;
  perSecond: number;
}

export interface ThroughputResult {
  token: ThroughputSide;
  graphUsers: ThroughputSide;
}

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath(), { workerData: spec });
    const guard = setTimeout(() => {
      void worker.terminate();
      reject(new Error("the load worker did not finish in time"));
    }, spec.durationMs + 20_000);
    worker.once("message", (message: LoadResult | { error: string }) => {
      clearTimeout(guard);
      void worker.terminate();
      if ("error" in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once("error", (error) => {
      clearTimeout(guard);
      reject(error);
    });
  });
}

function side(spec: LoadSpec, result: LoadResult): ThroughputSide {
  return {
    concurrency: spec.concurrency,
    durationMs: result.elapsedMs,
    ok: result.ok,
    failed: result.failed,
    errors: result.errors,
    perSecond: result.ok / (result.elapsedMs / 1000),
  };
}

export async function emulatorThroughput(
  context: BenchContext,
  config: BenchConfig,
): Promise<ThroughputResult> {
  context.setLatency(0);
  const { concurrency, durationMs } = config.throughput;
  const tokenSpec: LoadSpec = {
    url: `${context.url}/${context.tenantId}/oauth2/v2.0/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: context.clientId,
      client_secret: context.clientSecret,
      scope: context.scope,
    }).toString(),
    concurrency,
    durationMs,
  };
  context.emulator.clearRequests();
  const token = side(tokenSpec, await load(tokenSpec));
  context.emulator.clearRequests();

  const response = await fetch(tokenSpec.url, {
    method: "POST",
    headers: tokenSpec.headers,
    body: tokenSpec.body ?? "",
  });
  const { access_token: accessToken } = (await response.json()) as { access_token: string };
  const graphSpec: LoadSpec = {
    url: `${context.url}/v1.0/users`,
    method: "GET",
    headers: { authorization: `Bearer ${accessToken}` },
    concurrency,
    durationMs,
  };
  const graphUsers = side(graphSpec, await load(graphSpec));
  context.emulator.clearRequests();
  return { token, graphUsers };
}
