import {
  createLogger,
  createTransport,
  logLevelFromEnv,
  MsintError,
  TRANSPORT_DEFAULTS,
  type Transport,
} from "@msint/auth-core/internal";
import {
  type InstanceDocument,
  type Integration,
  resolveParameterValues,
  toBoolean,
  UsageError,
} from "@msint/integration-kit";

/**
 * How long a whole command may run when MSINT_DEADLINE_MS is not set. One request gives up after the transport's
 * own limit (2 min, all retries included); a command makes a few (a token, then API pages).
 */
export const DEFAULT_COMMAND_DEADLINE_MS = 300_000;
/** Commands that wait for a person (device-code `wait=true`) are bounded by the code's life: 15 min at most. */
export const INTERACTIVE_WAIT_MS = 960_000;

/** Time limits of one CLI invocation, from the environment. */
export interface Limits {
  /** Per attempt of one HTTP request (MSINT_HTTP_TIMEOUT_MS); the transport's default when undefined. */
  timeoutMs: number | undefined;
  /** The whole command (MSINT_DEADLINE_MS), and the cap of one request with its retries. */
  deadlineMs: number;
  /** Whether MSINT_DEADLINE_MS was given (it then also bounds interactive waits). */
  explicitDeadline: boolean;
  /** The most bytes of one API answer read (MSINT_MAX_RESPONSE_BYTES); the transport's 64 MiB when undefined. */
  maxResponseBytes?: number | undefined;
}

/** The environment variable that raises (or lowers) the cap on one API answer. */
export const MAX_RESPONSE_BYTES_VARIABLE = "MSINT_MAX_RESPONSE_BYTES";

function bytes(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1024) {
    throw new UsageError(`${name} takes a number of bytes (1024 or more), not "${raw.slice(0, 40)}".`);
  }
  return value;
}

function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${name} takes a number of milliseconds (1 or more), not "${raw.slice(0, 40)}".`);
  }
  return value;
}

/**
 * Reads MSINT_HTTP_TIMEOUT_MS, MSINT_DEADLINE_MS and MSINT_MAX_RESPONSE_BYTES.
 * @throws UsageError for malformed values.
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const timeoutMs = milliseconds(env, "MSINT_HTTP_TIMEOUT_MS");
  const deadline = milliseconds(env, "MSINT_DEADLINE_MS");
  return {
    timeoutMs,
    deadlineMs: deadline ?? DEFAULT_COMMAND_DEADLINE_MS,
    explicitDeadline: deadline !== undefined,
    maxResponseBytes: bytes(env, MAX_RESPONSE_BYTES_VARIABLE),
  };
}

/**
 * The transport of one command of an instance: the instance's "Trust any certificate" and "Use system proxy
 * settings" parameters, resolved as the kit resolves them, plus the CLI's time limits. Undefined when the
 * parameters do not resolve: the kit then reports the problem itself, before any request.
 */
export function transportFor(
  integration: Integration,
  document: InstanceDocument,
  limits: Limits,
  env: NodeJS.ProcessEnv = process.env,
): Transport | undefined {
  let params: Record<string, string | boolean | undefined>;
  try {
    params = resolveParameterValues(integration.parameters, document.params, env);
  } catch {
    return undefined;
  }
  const level = logLevelFromEnv(env);
  return createTransport({
    insecure: toBoolean(params["insecure"]),
    proxy: toBoolean(params["proxy"]),
    ...(limits.timeoutMs === undefined ? {} : { timeoutMs: limits.timeoutMs }),
    deadlineMs: Math.min(TRANSPORT_DEFAULTS.deadlineMs, limits.deadlineMs),
    ...(limits.maxResponseBytes === undefined ? {} : { maxResponseBytes: limits.maxResponseBytes }),
    maxResponseHint: `If the answer is expected, set ${MAX_RESPONSE_BYTES_VARIABLE} (bytes) to read more.`,
    logger: createLogger({ level, scope: "transport" }),
  });
}

function describe(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

/**
 * Runs `work` with an overall deadline: past it the command fails with one message (exit 1) whatever it was
 * waiting for. The work itself is not cancelled; the CLI exits shortly after (see bin.ts).
 */
export async function withDeadline<T>(work: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new MsintError(
          `${what} did not finish within ${describe(ms)} and was stopped. Check that this machine reaches Microsoft Entra ID and the service (network, proxy), then try again; set MSINT_DEADLINE_MS to allow more time.`,
          { code: "deadline" },
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
