/**
 * `msint store status | migrate | copy`: which store a host uses, its schema, and moving instances between the
 * file store and PostgreSQL. Loaded only when one of them runs.
 */
import { type ContextStore, MsintError, parseStoreKey, StoreError } from "@msint/auth-core/internal";
import { type InstanceDocument, UsageError } from "@msint/integration-kit";
import {
  msintHome,
  openStoreAt,
  parseStoreLocation,
  type StoreLocation,
  storeLocation,
  storeRetryMs,
} from "./store.js";

function describeLocation(location: StoreLocation): string {
  if (location.kind === "file") return `file store ${location.home}`;
  return `PostgreSQL store ${redact(location.url)}`;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/** Which key this host uses, in words (never the key). */
function keySource(env: NodeJS.ProcessEnv, location: StoreLocation): string {
  const value = env["MSINT_STORE_KEY"];
  if (value) {
    try {
      return parseStoreKey(value).kind === "raw"
        ? "MSINT_STORE_KEY (a raw 256-bit key, HKDF)"
        : "MSINT_STORE_KEY (a passphrase, scrypt)";
    } catch (error) {
      return `MSINT_STORE_KEY (unusable: ${(error as Error).message})`;
    }
  }
  const home = location.kind === "file" ? location.home : msintHome(env);
  return `the key file ${home}/store.key`;
}

/** `msint store status`. */
export async function storeStatus(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const location = storeLocation(env);
  const lines: string[] = [];
  if (location.kind === "file") {
    const store = await openStoreAt(location, env);
    const names = await store.list();
    lines.push(
      `Store:           file store ${location.home}/store (encrypted files, one per instance)`,
      "Schema version:  — (files need no migration)",
      `Instances:       ${names.length}`,
      `Key:             ${keySource(env, location)}`,
    );
    return lines.join("\n");
  }
  const { postgresStoreStatus } = await import("@msint/store-postgres");
  const status = await postgresStoreStatus(location.url, storeRetryMs(env));
  let keyLine = keySource(env, location);
  if (status.schemaVersion === status.supportedVersion && status.keyCheck) {
    try {
      await openStoreAt(location, env);
      keyLine += " — opens this store";
    } catch (error) {
      if (!StoreError.isInstance(error) || error.code !== "bad-key") throw error;
      keyLine += " — does NOT open this store (another key made it)";
    }
  }
  const schema =
    status.schemaVersion === 0
      ? `0 (empty: msint creates version ${status.supportedVersion} on first use, or run msint store migrate)`
      : status.schemaVersion === status.supportedVersion
        ? `${status.schemaVersion} (current)`
        : status.schemaVersion < status.supportedVersion
          ? `${status.schemaVersion} (this msint needs ${status.supportedVersion}: run msint store migrate)`
          : `${status.schemaVersion} (newer than this msint, which knows up to ${status.supportedVersion}: upgrade msint)`;
  lines.push(
    `Store:           PostgreSQL ${status.url} (${status.serverVersion})`,
    `Schema version:  ${schema}`,
    `Instances:       ${status.instances}`,
    `Key:             ${keyLine}`,
  );
  return lines.join("\n");
}

/** `msint store migrate`. */
export async function storeMigrate(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const location = storeLocation(env);
  if (location.kind === "file") return `The file store ${location.home}/store needs no migration.`;
  const { migratePostgresStore, redactUrl } = await import("@msint/store-postgres");
  const { from, to } = await migratePostgresStore(location.url, storeRetryMs(env));
  return from === to
    ? `The PostgreSQL store at ${redactUrl(location.url)} is already at schema version ${to}.`
    : `Migrated the PostgreSQL store at ${redactUrl(location.url)} from schema version ${from} to ${to}.`;
}

export interface CopyOptions {
  to: string;
  from?: string | undefined;
  /** Environment variable holding the store key of the source (default MSINT_STORE_KEY). */
  fromKeyEnv?: string | undefined;
  /** Environment variable holding the store key of the destination (default MSINT_STORE_KEY). */
  toKeyEnv?: string | undefined;
}

function envWithKey(env: NodeJS.ProcessEnv, variable: string | undefined, option: string): NodeJS.ProcessEnv {
  if (variable === undefined) return env;
  const value = env[variable];
  if (!value) {
    throw new UsageError(
      `${option} names the environment variable ${variable}, which is not set: set it to that store's key.`,
    );
  }
  return { ...env, MSINT_STORE_KEY: value };
}

function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === "file" && b.kind === "file") return a.home === b.home;
  if (a.kind === "postgres" && b.kind === "postgres") {
    try {
      const x = new URL(a.url);
      const y = new URL(b.url);
      return x.host === y.host && x.pathname === y.pathname;
    } catch {
      return a.url === b.url;
    }
  }
  return false;
}

/**
 * `msint store copy --to LOCATION [--from LOCATION]`: copies every instance with its state (tokens, refresh
 * token, pending sign-ins). All source documents are read and the destination checked before anything is
 * written: an unreadable source document, or a name that already exists at the destination, stops the copy
 * with nothing changed.
 */
export async function storeCopy(options: CopyOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const from = options.from ? parseStoreLocation(options.from, "--from") : storeLocation(env);
  const to = parseStoreLocation(options.to, "--to");
  if (sameLocation(from, to)) {
    throw new UsageError(`--to names the store copied from (${describeLocation(from)}): name another store.`);
  }
  const source = await openStoreAt(from, envWithKey(env, options.fromKeyEnv, "--from-key-env"));
  const names = await source.list();
  const documents: [string, InstanceDocument][] = [];
  for (const name of names) {
    const document = await source.read(name);
    if (document !== undefined) documents.push([name, document]);
  }
  const destination: ContextStore<InstanceDocument> = await openStoreAt(
    to,
    envWithKey(env, options.toKeyEnv, "--to-key-env"),
  );
  const existing = new Set(await destination.list());
  const clashes = documents.map(([name]) => name).filter((name) => existing.has(name));
  if (clashes.length > 0) {
    throw new MsintError(
      `The ${describeLocation(to)} already has ${clashes.length === 1 ? "an instance" : "instances"} named ` +
        `${clashes.join(", ")}: remove ${clashes.length === 1 ? "it" : "them"} there first (msint --store … instance ` +
        "remove NAME), or copy to an empty store. Nothing was copied.",
    );
  }
  for (const [name, document] of documents) {
    await destination.update(name, (current) => {
      if (current !== undefined) {
        throw new MsintError(
          `The ${describeLocation(to)} got an instance named ${name} while copying: copy again to an empty store.`,
        );
      }
      return document;
    });
  }
  const close = (store: unknown) =>
    (store as { close?: () => Promise<void> }).close?.().catch(() => undefined);
  await Promise.all([close(source), close(destination)]);
  if (documents.length === 0) return `The ${describeLocation(from)} has no instances: nothing to copy.`;
  return (
    `Copied ${documents.length} instance${documents.length === 1 ? "" : "s"} (${documents.map(([n]) => n).join(", ")}) ` +
    `with their state from the ${describeLocation(from)} to the ${describeLocation(to)}.`
  );
}
