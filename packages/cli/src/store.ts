import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { type ContextStore, openFileStore } from "@msint/auth-core";
import { type InstanceDocument, UsageError } from "@msint/integration-kit";

/** Where the embedded store lives: MSINT_HOME, else ~/.msint. */
export function msintHome(env: NodeJS.ProcessEnv = process.env): string {
  return env["MSINT_HOME"] || join(homedir(), ".msint");
}

/** Which store a command uses: the encrypted files of an msint home, or a PostgreSQL database. */
export type StoreLocation = { kind: "file"; home: string } | { kind: "postgres"; url: string };

/** `--store URL` of this run (set by the CLI before any command runs); wins over MSINT_STORE_URL. */
let storeOption: string | undefined;

/** Records the `--store` option of this run. */
export function setStoreOption(value: string | undefined): void {
  storeOption = value;
}

/**
 * Reads a store setting: `postgres://…` / `postgresql://…` is a PostgreSQL store; `file:PATH` or a path is the file
 * store of that msint home.
 * @throws UsageError for anything else (the value is not echoed: a mistyped URL may hold a password).
 */
export function parseStoreLocation(value: string, what: string): StoreLocation {
  const trimmed = value.trim();
  if (/^postgres(?:ql)?:\/\//i.test(trimmed)) return { kind: "postgres", url: trimmed };
  if (/^file:/i.test(trimmed)) {
    const path = trimmed.replace(/^file:(\/\/)?/i, "");
    if (path !== "") return { kind: "file", home: resolve(path) };
  } else if (trimmed !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    return { kind: "file", home: resolve(trimmed) };
  }
  throw new UsageError(
    `${what} takes postgres://USER:PASSWORD@HOST:PORT/DATABASE for a PostgreSQL store, or file:DIRECTORY for the ` +
      "file store of an msint home.",
  );
}

/** The store of this run: `--store`, else MSINT_STORE_URL, else the file store of MSINT_HOME. */
export function storeLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (storeOption !== undefined) return parseStoreLocation(storeOption, "--store");
  const url = env["MSINT_STORE_URL"];
  if (url) return parseStoreLocation(url, "MSINT_STORE_URL");
  return { kind: "file", home: msintHome(env) };
}

/**
 * How long a PostgreSQL store retries while its server cannot be reached: MSINT_STORE_RETRY_SECONDS (0–600),
 * default 15 s.
 */
export function storeRetryMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env["MSINT_STORE_RETRY_SECONDS"];
  if (value === undefined || value === "") return 15_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600) {
    throw new UsageError(
      `MSINT_STORE_RETRY_SECONDS takes a number of seconds from 0 to 600, not "${value}".`,
    );
  }
  return seconds * 1000;
}

/** Opens the store at `location` with this host's key (MSINT_STORE_KEY, else the key file of MSINT_HOME). */
export async function openStoreAt(
  location: StoreLocation,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContextStore<InstanceDocument>> {
  const storeKey = env["MSINT_STORE_KEY"] || undefined;
  if (location.kind === "file") {
    return openFileStore<InstanceDocument>({ home: location.home, passphrase: storeKey });
  }
  // Loaded only here: a run on the file store never loads the PostgreSQL driver.
  const { openPostgresStore } = await import("@msint/store-postgres");
  return openPostgresStore<InstanceDocument>({
    url: location.url,
    home: msintHome(env),
    storeKey,
    retryForMs: storeRetryMs(env),
  });
}

/** Opens the store of this run (see {@link storeLocation}). */
export function openStore(env: NodeJS.ProcessEnv = process.env): Promise<ContextStore<InstanceDocument>> {
  return openStoreAt(storeLocation(env), env);
}
