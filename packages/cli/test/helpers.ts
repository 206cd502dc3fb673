import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_CLIENT_ID, DEMO_TENANT_ID } from "@msint/entra-emulator";

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = join(here, "..", "dist", "msint.cjs");
export const TRACE_MODULES = join(here, "fixtures", "trace-modules.cjs");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `msint` as a separate process with the given environment additions. */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: { nodeArgs?: string[]; timeoutMs?: number; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: { ...process.env, MSINT_LOG: undefined, ...env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A fresh MSINT_HOME, removed by the returned cleanup. */
export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "msint-cli-test-"));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/**
 * `msint instance add NAME` for an instance of `integration` with the emulator's demo app and client credentials,
 * its Custom cloud pointing at the emulator; `params` (`key=value`) come first.
 */
export function emulatorInstanceArgs(
  name: string,
  integration: string,
  emulatorUrl: string,
  secret: string,
  params: readonly string[] = [],
): string[] {
  return [
    "instance",
    "add",
    name,
    "--integration",
    integration,
    ...params.flatMap((param) => ["--param", param]),
    "--param",
    `tenant_id=${DEMO_TENANT_ID}`,
    "--param",
    `auth_id=${DEMO_CLIENT_ID}`,
    "--param",
    `enc_key=${secret}`,
    "--param",
    "azure_cloud=Custom",
    "--param",
    `azure_ad_endpoint=${emulatorUrl}`,
    "--param",
    `server_url=${emulatorUrl}`,
  ];
}

/** The same for a Microsoft Graph User instance (self-deployed). */
export function graphInstanceArgs(name: string, emulatorUrl: string, secret: string): string[] {
  return emulatorInstanceArgs(name, "msgraph-user", emulatorUrl, secret, ["self_deployed=true"]);
}
