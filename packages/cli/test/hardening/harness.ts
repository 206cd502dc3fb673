/**
 * Shared helpers of the hardening suites: `msint` as separate processes against a loopback emulator, store
 * fingerprints, a sign-in without a browser, and secret scanning.
 */
import { createHash } from "node:crypto";
import { cp, lstat, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type IntegrationContext, openFileStore } from "@msint/auth-core";
import type { RunningEmulator } from "@msint/entra-emulator";
import type { InstanceDocument } from "@msint/integration-kit";
import graphUser from "@msint/msgraph-user";
import { expect } from "vitest";
import { type CliRun, runCli } from "../helpers.js";

export type { CliRun };

/** Runs `msint` in its own process (killed after `timeoutMs`, 20 s by default). */
export function msint(
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number } = {},
): Promise<CliRun> {
  return runCli(args, env, options);
}

/** Runs `tasks` with at most `limit` of them at once (2 cores: more processes only queue on the CPU). */
export async function inPool<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < tasks.length; index = next++) results[index] = await tasks[index]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/** Temporary directories, removed by {@link removeTemporaries}. */
const temporaries: string[] = [];

export async function temporaryDir(prefix = "msint-hardening-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

export async function removeTemporaries(): Promise<void> {
  await Promise.all(temporaries.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A copy of `template` in a new temporary directory (a fresh MSINT_HOME with the same instances). */
export async function copyHome(template: string): Promise<string> {
  const home = await temporaryDir("msint-home-");
  await cp(template, home, { recursive: true, preserveTimestamps: true });
  return home;
}

/** Path → "mode sha256" of every file and directory under `root`: equal maps mean byte-for-byte unchanged. */
export async function fingerprintTree(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const stats = await lstat(path);
      const mode = (stats.mode & 0o777).toString(8);
      if (stats.isDirectory()) {
        result[`${relative(root, path)}/`] = mode;
        await walk(path);
      } else {
        const digest = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
        result[relative(root, path)] = `${mode} ${digest}`;
      }
    }
  };
  await walk(root);
  return result;
}

/**
 * Asserts a failure that ends with one message: the exit code, a single `Error:`/`error:` line on stderr (the
 * message may continue on `How to fix` lines; log lines of MSINT_LOG are skipped), no stack trace, nothing on
 * stdout. Returns stderr.
 */
export function expectOneMessage(run: CliRun, codes: ReadonlyArray<number>, label = ""): string {
  const where = label ? `${label}: ` : "";
  expect(codes, `${where}exit code ${run.code}, stderr: ${run.stderr}`).toContain(run.code);
  // Log lines (MSINT_LOG / --debug) are not messages.
  const lines = run.stderr
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^\d{4}-\d\d-\d\dT\S+ (DEBUG|INFO|WARN|ERROR) /.test(line));
  const heads = lines.filter((line) => /^error:/i.test(line));
  expect(heads, `${where}one error line in: ${run.stderr}`).toHaveLength(1);
  expect(lines[0], `${where}stderr starts with the message: ${run.stderr}`).toMatch(/^error:/i);
  expect(run.stderr, `${where}no stack trace`).not.toMatch(/^\s+at\s/m);
  expect(run.stderr, `${where}no internal error`).not.toMatch(/Unexpected error|TypeError|ReferenceError/);
  expect(run.stdout, `${where}nothing on stdout`).toBe("");
  return run.stderr;
}

/** Asserts success with nothing on stderr. */
export function expectOk(run: CliRun, label = ""): CliRun {
  expect(run.stderr, `${label} stderr`).toBe("");
  expect(run.code, `${label} exit code; stdout: ${run.stdout}`).toBe(0);
  return run;
}

/** Opens an MSINT_HOME's store from the test process (same key file or passphrase as the CLI). */
export function openHome(home: string, passphrase?: string) {
  return openFileStore<InstanceDocument>(passphrase ? { home, passphrase } : { home });
}

/** Changes the stored integration context of an instance (e.g. to make its cached tokens expire). */
export async function editContext(
  home: string,
  name: string,
  edit: (context: IntegrationContext) => IntegrationContext,
): Promise<void> {
  const store = await openHome(home);
  await store.update(name, (document) => {
    if (!document) throw new Error(`no instance ${name}`);
    return { ...document, context: edit(structuredClone(document.context ?? {})) };
  });
}

/** Every cached access token of an instance expires now (locally); the refresh token stays. */
export function expireTokens(context: IntegrationContext): IntegrationContext {
  const tokens: NonNullable<IntegrationContext["tokens"]> = {};
  for (const [key, token] of Object.entries(context.tokens ?? {})) {
    tokens[key] = { ...token, expiresOn: Date.now() - 1_000, refreshOn: Date.now() - 60_000 };
  }
  return { ...context, tokens };
}

/** Requests to the emulator whose path matches. */
export function requestsTo(emulator: RunningEmulator, pattern: RegExp) {
  return emulator.requests.filter((request) => pattern.test(request.path));
}

export const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;
export const BROKER_PATH = /\/obtain-token$/;
export const IMDS_PATH = /\/metadata\/identity\/oauth2\/token\/?$/;
export const USERS_PATH = /^\/v1\.0\/users/;

/** Signs in at the emulator the way a browser would; shared with the integrations' tests. */
export { signInWithoutBrowser } from "@msint/integration-testing";

/** The forms a secret may take in text: raw, URL-encoded, form-encoded, base64 (padded, not, url-safe), JSON. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64").replace(/=+$/, ""),
    Buffer.from(secret).toString("base64url"),
    JSON.stringify(secret).slice(1, -1),
  ]);
  // A PEM key leaks through any of its lines: look for each base64 body line on its own.
  if (secret.includes("-----BEGIN")) {
    for (const line of secret.split(/\r?\n/)) if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) forms.add(line);
  }
  return [...forms].filter((form) => form.length >= 8);
}

/** Which planted secrets (by label) occur in `text`, in any of their forms. */
export function findSecrets(text: string, secrets: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [label, secret] of secrets) {
    for (const form of secretForms(secret)) {
      if (text.includes(form)) {
        hits.push(`${label} (${form === secret ? "raw" : `as ${form.slice(0, 12)}…`})`);
        break;
      }
    }
  }
  return hits;
}

/**
 * Records a number docs/reliability.md reports (fault classes, bad inputs, race iterations, secrets found), as
 * a JSON line in the file named by MSINT_HARDENING_COUNTS; nothing when it is not set.
 */
export async function recordCount(name: string, value: number): Promise<void> {
  const file = process.env["MSINT_HARDENING_COUNTS"];
  if (!file) return;
  const { appendFile } = await import("node:fs/promises");
  await appendFile(file, `${JSON.stringify({ name, value })}\n`);
}

/**
 * What a signed-in user of a Microsoft Graph User instance consented to: the OIDC scopes and the integration's
 * delegated scopes (read from its manifest, so a refresh token made here redeems for what the instance asks).
 */
export const GRAPH_USER_SCOPES: readonly string[] = [
  "openid",
  "profile",
  "offline_access",
  ...graphUser.manifest.resource.delegatedScopes,
];
