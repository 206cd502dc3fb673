import { type ChildProcess, spawn } from "node:child_process";

/** Every child this process started and that has not exited yet; killed when the bench exits. */
const live = new Set<ChildProcess>();
let exitHooked = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  live.clear();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once("exit", killAll);
}

/** Also kill the children on SIGINT/SIGTERM (the bench's entry point calls this; tests do not). */
export function killChildrenOnSignals(): void {
  hookExit();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface ProcessRun {
  code: number;
  /** From spawn to the child's exit, in milliseconds. */
  wallMs: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** SIGKILL after this long (default 30 s). */
  timeoutMs?: number;
}

/** The environment children get: ours without msint/loader variables, plus `extra`. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("MSINT_") || name === "NODE_OPTIONS" || name.startsWith("VITEST")) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `node <args>` and resolves with its exit code, output and wall time. Never rejects on a non-zero exit. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<ProcessRun> {
  hookExit();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let wallMs = Number.NaN;
    const child = spawn(process.execPath, [...args], {
      env: childEnv(options.env),
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < 1_000_000) stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 1_000_000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.once("exit", () => {
      wallMs = performance.now() - started;
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (Number.isNaN(wallMs)) wallMs = performance.now() - started;
      resolve({ code: code ?? (signal ? 128 : -1), wallMs, stdout, stderr });
    });
  });
}

/** Throws with the child's stderr when it did not exit 0. */
export function expectSuccess(run: ProcessRun, what: string): ProcessRun {
  if (run.code !== 0) {
    throw new Error(`${what} exited ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
  }
  return run;
}
