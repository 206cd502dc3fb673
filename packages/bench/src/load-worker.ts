/**
 * Load generator for the emulator throughput scenario, run in a worker thread so that it does not share the
 * emulator's event loop: `concurrency` keep-alive clients send requests back to back until `durationMs` ends.
 */
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  errors: number;
  elapsedMs: number;
  statuses: Record<string, number>;
}

function once(agent: Agent, spec: LoadSpec): Promise<number> {
  return new Promise((resolve) => {
    const req = request(spec.url, { method: spec.method, headers: spec.headers, agent }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
      res.once("error", () => resolve(-1));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.once("error", () => resolve(-1));
    req.end(spec.body);
  });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const result: LoadResult = { ok: 0, failed: 0, errors: 0, elapsedMs: 0, statuses: {} };
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const client = async () => {
    // Bounded by time, and by a hard cap on requests per client.
    for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
      const status = await once(agent, spec);
      if (status < 0) result.errors++;
      else if (status >= 200 && status < 300) result.ok++;
      else result.failed++;
      result.statuses[String(status)] = (result.statuses[String(status)] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadSpec).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
