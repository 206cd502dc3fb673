import { createRequire } from "node:module";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import type { PostgresResult } from "./postgres.js";
import type {
  BreakdownRow,
  CachedResult,
  ColdStartResult,
  ConcurrentResult,
  FirstTokenResult,
  ProcessesResult,
  ThroughputResult,
} from "./scenarios.js";
import { round } from "./stats.js";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  osRelease: string;
  arch: string;
  /** 1, 5 and 15 minute load averages when the run ended (other work on the machine skews timings). */
  loadAverage: number[];
  versions: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model?.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    loadAverage: loadavg().map((value) => round(value, 2)),
    versions: {
      "@azure/identity": packageVersion("@azure/identity"),
      "@azure/msal-node": packageVersion("@azure/msal-node"),
      "@azure/core-rest-pipeline": packageVersion("@azure/core-rest-pipeline"),
    },
  };
}

export interface BenchResults {
  cached?: CachedResult;
  concurrent?: ConcurrentResult;
  processes?: ProcessesResult;
  coldStart?: ColdStartResult;
  firstToken?: FirstTokenResult;
  throughput?: ThroughputResult;
  breakdown?: BreakdownRow[];
  postgres?: PostgresResult;
}

export interface Row {
  scenario: number;
  metric: string;
  msint: string;
  identity: string;
  msal: string;
  target: string;
  /** true/false when there is a target for msint, null when the row only reports. */
  met: boolean | null;
}

const us = (value: number) => `${round(value, value < 10 ? 2 : 1)} µs`;
const ms = (value: number) => `${round(value, 1)} ms`;
const times = (value: number) => `${round(value, value < 10 ? 2 : 1)}×`;
const count = (value: number) => String(value);
const NONE = "—";

/** Scenario 1: a cached token in process. */
function cachedRows(c: CachedResult): Row[] {
  const out: Row[] = [];
  out.push({
    scenario: 1,
    metric: "Cached token in process: µs per getToken (median of batches)",
    msint: us(c.msint.medianUs),
    identity: us(c.identity.medianUs),
    msal: us(c.msal.medianUs),
    target: "≤ 5 µs",
    met: c.msint.medianUs <= 5,
  });
  out.push({
    scenario: 1,
    metric: "Cached token in process: speed-up of msint",
    msint: NONE,
    identity: `msint ${times(c.speedupVsIdentity)} faster`,
    msal: `msint ${times(c.speedupVsMsal)} faster`,
    target: "≥ 20× vs identity",
    met: c.speedupVsIdentity >= 20,
  });
  out.push({
    scenario: 1,
    metric: "Token from the store, new provider each call (FileStore read + decrypt), µs",
    msint: us(c.msintFromStore.medianUs),
    identity: NONE,
    msal: NONE,
    target: "report",
    met: null,
  });
  return out;
}

/** Scenario 2: concurrent calls on a cold cache. */
function concurrentRows(cc: ConcurrentResult): Row[] {
  const out: Row[] = [];
  const cell = (side: ConcurrentResult["msint"]) =>
    `${count(side.tokenRequests)}${side.loginRequests !== side.tokenRequests ? ` (+${side.loginRequests - side.tokenRequests} discovery)` : ""}${side.failed ? `, ${side.failed} failed` : ""}`;
  out.push({
    scenario: 2,
    metric: `Token requests for ${cc.calls}${cc.callsOthers !== cc.calls ? ` (others: ${cc.callsOthers})` : ""} concurrent calls on a cold cache (${cc.latencyMs} ms server latency)`,
    msint: cell(cc.msint),
    identity: cell(cc.identity),
    msal: cell(cc.msal),
    target: "1",
    met: cc.msint.tokenRequests === 1 && cc.msint.failed === 0,
  });
  return out;
}

/** Scenario 3: processes starting together on one store. */
function processesRows(p: ProcessesResult): Row[] {
  const out: Row[] = [];
  const cell = (side: ProcessesResult["msint"] | undefined) =>
    side === undefined
      ? "not run"
      : `${count(side.tokenRequests)}${side.exitCodes.some((code) => code !== 0) ? ` (exit codes ${side.exitCodes.join(",")})` : ""}`;
  out.push({
    scenario: 3,
    metric: `Token requests for ${p.processes} processes starting together on one empty store`,
    msint: cell(p.msint),
    identity: cell(p.identity),
    msal: cell(p.msal),
    target: "1",
    met: p.msint.tokenRequests === 1 && p.msint.exitCodes.every((code) => code === 0),
  });
  return out;
}

/** Scenario 4: cold start of a cached command. */
function coldStartRows(s: ColdStartResult): Row[] {
  const out: Row[] = [];
  out.push({
    scenario: 4,
    metric: `Cold start, cached token: median wall of ${s.runs} runs (× node -e 0 = ${ms(s.medianMs.node)})`,
    msint: `${ms(s.medianMs.msint)} (${times(s.ratioToNode.msint)}; paired ${times(s.pairedRatio)})`,
    identity: `${ms(s.medianMs.identity)} (${times(s.ratioToNode.identity)}), fetches a token`,
    msal: `${ms(s.medianMs.msal)} (${times(s.ratioToNode.msal)}), fetches a token`,
    target: "≤ 1.3× node -e 0",
    met: s.ratioToNode.msint <= 1.3,
  });
  out.push({
    scenario: 4,
    metric: "Cold start, cached token, store key from MSINT_STORE_KEY (scrypt) / identity import only",
    msint: `${ms(s.medianMs.msintPassphrase)} (${times(s.ratioToNode.msintPassphrase)})`,
    identity: `${ms(s.medianMs.identityImportOnly)} (${times(s.ratioToNode.identityImportOnly)}), import only`,
    msal: NONE,
    target: "report",
    met: null,
  });
  out.push({
    scenario: 4,
    metric: "Cold start, cached token, without the executable's code cache (MSINT_CODE_CACHE=off)",
    msint: `${ms(s.medianMs.msintNoCodeCache)} (${times(s.ratioToNode.msintNoCodeCache)})`,
    identity: NONE,
    msal: NONE,
    target: "report",
    met: null,
  });
  return out;
}

/** Scenario 5: the first token of a cold process. */
function firstTokenRows(f: FirstTokenResult): Row[] {
  const out: Row[] = [];
  const requests = (side: FirstTokenResult["msint"]) => [...new Set(side.requests)].join("/");
  out.push({
    scenario: 5,
    metric: "HTTP requests for the first token of a cold process",
    msint: requests(f.msint),
    identity: requests(f.identity),
    msal: requests(f.msal),
    target: "exactly 1",
    met: f.msint.requests.every((made) => made === 1),
  });
  out.push({
    scenario: 5,
    metric: `First token, cold process: wall above node -e 0 and ${f.latencyMs} ms per request (median wall)`,
    msint: `${ms(f.msint.aboveLatencyAndNodeMs)} (${ms(f.msint.medianWallMs)})`,
    identity: `${ms(f.identity.aboveLatencyAndNodeMs)} (${ms(f.identity.medianWallMs)})`,
    msal: `${ms(f.msal.aboveLatencyAndNodeMs)} (${ms(f.msal.medianWallMs)})`,
    target: "report",
    met: null,
  });
  return out;
}

/** Scenario 6: the emulator's throughput. */
function throughputRows(t: ThroughputResult): Row[] {
  const out: Row[] = [];
  out.push({
    scenario: 6,
    metric: `Emulator: client-credentials tokens per second (${t.token.concurrency} keep-alive clients, ${round(t.token.durationMs / 1000, 1)} s)`,
    msint: `${Math.round(t.token.perSecond)}/s${t.token.failed + t.token.errors ? ` (${t.token.failed + t.token.errors} failed)` : ""}`,
    identity: NONE,
    msal: NONE,
    target: "report",
    met: null,
  });
  out.push({
    scenario: 6,
    metric: `Emulator: Graph GET /v1.0/users per second (${t.graphUsers.concurrency} keep-alive clients)`,
    msint: `${Math.round(t.graphUsers.perSecond)}/s${t.graphUsers.failed + t.graphUsers.errors ? ` (${t.graphUsers.failed + t.graphUsers.errors} failed)` : ""}`,
    identity: NONE,
    msal: NONE,
    target: "report",
    met: null,
  });
  return out;
}

/** Scenario 7: the PostgreSQL store and the token broker on it. */
function postgresRows(pg: PostgresResult): Row[] {
  const out: Row[] = [];
  const cell = (name: "file" | "fileRawKey" | "postgres") =>
    `${ms(pg.medianMs[name])} (${times(pg.ratioToNode[name])}; paired ${times(pg.pairedRatio[name])})`;
  out.push({
    scenario: 7,
    metric: `Cold start, cached token, PostgreSQL store (${pg.server}): median wall of ${pg.runs} runs (× node -e 0 = ${ms(pg.medianMs.node)})`,
    msint: cell("postgres"),
    identity: NONE,
    msal: NONE,
    target: "≤ 1.6× node -e 0",
    met: pg.ratioToNode.postgres <= 1.6,
  });
  out.push({
    scenario: 7,
    metric: "Cold start, cached token, file store with a raw 256-bit MSINT_STORE_KEY (HKDF, no scrypt)",
    msint: cell("fileRawKey"),
    identity: NONE,
    msal: NONE,
    target: "≤ 1.3× node -e 0",
    met: pg.ratioToNode.fileRawKey <= 1.3,
  });
  out.push({
    scenario: 7,
    metric: "Cold start, cached token, file store with its key file (same rounds)",
    msint: cell("file"),
    identity: NONE,
    msal: NONE,
    target: "≤ 1.3× node -e 0",
    met: pg.ratioToNode.file <= 1.3,
  });
  out.push({
    scenario: 7,
    metric: `Token requests for ${pg.hosts.hosts} hosts × ${pg.hosts.processesPerHost} processes starting together on one database`,
    msint: `${pg.hosts.tokenRequests}${pg.hosts.exitCodes.some((code) => code !== 0) ? ` (exit codes ${pg.hosts.exitCodes.join(",")})` : ""}`,
    identity: NONE,
    msal: NONE,
    target: "1",
    met: pg.hosts.tokenRequests === 1 && pg.hosts.exitCodes.every((code) => code === 0),
  });
  for (const side of pg.broker ?? []) {
    out.push({
      scenario: 7,
      metric: `Token broker on PostgreSQL: obtain-token per second, ${side.replicas} replica${side.replicas === 1 ? "" : "s"} (${side.concurrency} clients, ${round(side.durationMs / 1000, 1)} s, every request a fresh encrypted token and an emulator token request)`,
      msint: `${Math.round(side.perSecond)}/s${side.failed ? ` (${side.failed} failed)` : ""}`,
      identity: NONE,
      msal: NONE,
      target: "report",
      met: null,
    });
  }
  return out;
}

/** The table rows; each row's `met` compares msint's number with the issue's target. */
export function rows(results: BenchResults): Row[] {
  return [
    ...(results.cached ? cachedRows(results.cached) : []),
    ...(results.concurrent ? concurrentRows(results.concurrent) : []),
    ...(results.processes ? processesRows(results.processes) : []),
    ...(results.coldStart ? coldStartRows(results.coldStart) : []),
    ...(results.firstToken ? firstTokenRows(results.firstToken) : []),
    ...(results.throughput ? throughputRows(results.throughput) : []),
    ...(results.postgres ? postgresRows(results.postgres) : []),
  ];
}

export function markdownTable(list: readonly Row[]): string {
  const header = "| # | Metric | msint | @azure/identity | msal-node | Target | Met? |";
  const rule = "|---|---|---|---|---|---|---|";
  const lines = list.map(
    (row) =>
      `| ${row.scenario} | ${row.metric} | ${row.msint} | ${row.identity} | ${row.msal} | ${row.target} | ${
        row.met === null ? NONE : row.met ? "✅" : "❌"
      } |`,
  );
  return [header, rule, ...lines].join("\n");
}

export function describeMachine(machine: MachineInfo): string {
  return `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform} ${machine.osRelease} ${machine.arch}, load average ${machine.loadAverage.join(" ")}; @azure/identity ${machine.versions["@azure/identity"]}, @azure/msal-node ${machine.versions["@azure/msal-node"]}`;
}

export function breakdownTable(list: readonly BreakdownRow[]): string {
  const lines = list.map(
    (row) =>
      `| ${row.step} | ${round(row.medianMs, 1)} | ${round(row.minMs, 1)} | ${row.aboveNodeMs >= 0 ? "+" : ""}${round(row.aboveNodeMs, 1)} |`,
  );
  return [
    "| Process that only … | median ms | min ms | above node -e 0 (median) |",
    "|---|---|---|---|",
    ...lines,
  ].join("\n");
}
