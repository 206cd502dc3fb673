/**
 * N broker replicas on one PostgreSQL database behind a round-robin HTTP load balancer: each request (not each
 * connection) goes to the next replica, so consecutive requests of one client land on different replicas.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestPostgres, type TestPostgres } from "@msint/integration-testing/postgres";
import pg from "pg";
import { type BrokerOptions, type RunningBroker, startBroker } from "../src/index.js";

export interface Replicas {
  /** The brokers as one: its URLs are the load balancer's. `register` goes to the first replica. */
  broker: RunningBroker;
  replicas: RunningBroker[];
  /** The database URL (with its password: tests only). */
  url: string;
  /** Requests each replica answered. */
  served: number[];
  /** Every value of every row of every broker table, as raw bytes (what a database dump would hold). */
  dump(): Promise<Array<{ path: string; data: Buffer }>>;
  /** Rows of a broker table, read with pg itself. */
  count(table: "registrations" | "pending_signins" | "broker_strikes"): Promise<number>;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

export async function startReplicas(
  options: Omit<BrokerOptions, "dataDir" | "database">,
  count: number,
  server?: TestPostgres,
): Promise<Replicas> {
  const postgres = server ?? (await startTestPostgres());
  const url = server ? await postgres.createDatabase() : postgres.url;
  const targets: string[] = [];
  const served: number[] = [];
  let next = 0;
  const balancer = createServer((incoming, outgoing) => {
    const index = next++ % targets.length;
    served[index] = (served[index] ?? 0) + 1;
    const target = new URL(incoming.url ?? "/", targets[index]);
    const forward = httpRequest(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on("error", () => {
      outgoing.writeHead(502).end();
    });
    incoming.pipe(forward);
  });
  const publicUrl = await listen(balancer);
  const config = typeof options.config === "object" ? { ...options.config, publicUrl } : options.config;
  const replicas: RunningBroker[] = [];
  try {
    for (let i = 0; i < count; i++) {
      // One after the other: the first creates the schema and the key check, the others find them.
      replicas.push(await startBroker({ ...options, config, database: url }));
    }
  } catch (error) {
    await Promise.all(replicas.map((replica) => replica.close()));
    balancer.close();
    if (!server) await postgres.stop();
    throw error;
  }
  targets.push(...replicas.map((replica) => replica.url));
  const first = replicas[0]!;
  const broker: RunningBroker = {
    ...first,
    url: publicUrl,
    publicUrl,
    obtainTokenUrl: `${publicUrl}/obtain-token`,
    redirectUri: `${publicUrl}/callback`,
    register: (appName, token) => first.register(appName, token),
    close: async () => {
      await Promise.all(replicas.map((replica) => replica.close()));
    },
  };
  return {
    broker,
    replicas,
    url,
    served,
    async dump() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const rows: Array<{ path: string; data: Buffer }> = [];
        for (const table of [
          "broker_meta",
          "registrations",
          "pending_signins",
          "broker_rate",
          "broker_strikes",
          "broker_nonces",
        ]) {
          const result = await client.query({ text: `select * from ${table}`, rowMode: "array" });
          result.rows.forEach((row: unknown[], index) => {
            const parts = row.map((value) =>
              Buffer.isBuffer(value)
                ? value
                : Buffer.from(value instanceof Date ? value.toISOString() : String(value)),
            );
            rows.push({
              path: `${table}[${index}]`,
              data: Buffer.concat(parts.flatMap((part) => [part, Buffer.from("\0")])),
            });
          });
        }
        return rows;
      } finally {
        await client.end();
      }
    },
    async count(table) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const result = await client.query<{ n: number }>(`select count(*)::int as n from ${table}`);
        return result.rows[0]!.n;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await Promise.all(replicas.map((replica) => replica.close().catch(() => undefined)));
      balancer.closeAllConnections();
      await new Promise((resolve) => balancer.close(resolve));
      if (!server) await postgres.stop();
    },
  };
}
