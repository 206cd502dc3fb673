import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";

/** The fake https authority @azure/identity and msal-node are configured with (both insist on https). */
export const FAKE_AUTHORITY_HOST = "login.emulator.test";

/** Requests to the login host (everything but the Graph doubles under /v1.0). */
const LOGIN_HOST_PATH = /^\/(?!v1\.0(?:\/|$|\?))/;

/** One loopback emulator shared by every scenario of a run, plus a throw-away MSINT_HOME. */
export interface BenchContext {
  emulator: RunningEmulator;
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The scope every client asks for: the emulator origin is the Graph root of a Custom-cloud instance. */
  scope: string;
  /** The emulator's OpenID configuration for the tenant, as msal-node's `authorityMetadata`. */
  authorityMetadata: string;
  /** A fresh MSINT_HOME for the CLI processes. */
  home: string;
  /** Latency (ms) currently added to every login-host request. */
  latencyMs: number;
  /** Adds `ms` of latency to every request to the login host (token, discovery); 0 removes it. */
  setLatency(ms: number): void;
  /** Requests made to the login host since the log was last cleared. */
  loginRequests(): number;
  close(): Promise<void>;
}

export async function startBenchContext(): Promise<BenchContext> {
  const emulator = await startEmulator({ port: 0, host: "127.0.0.1", requestLogLimit: 0 });
  const home = await mkdtemp(join(tmpdir(), "msint-bench-"));
  try {
    const url = emulator.url;
    const response = await fetch(`${url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`The emulator's OpenID configuration answered ${response.status}`);
    const authorityMetadata = await response.text();
    const context: BenchContext = {
      emulator,
      url,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      scope: `${url}/.default`,
      authorityMetadata,
      home,
      latencyMs: 0,
      setLatency(ms) {
        emulator.faults.clear();
        context.latencyMs = ms;
        if (ms > 0) {
          emulator.faults.inject({ match: LOGIN_HOST_PATH, delayMs: ms, count: Number.POSITIVE_INFINITY });
        }
      },
      loginRequests: () => emulator.requests.filter((request) => LOGIN_HOST_PATH.test(request.path)).length,
      close: async () => {
        emulator.faults.clear();
        await emulator.close();
        await rm(home, { recursive: true, force: true });
      },
    };
    return context;
  } catch (error) {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}
