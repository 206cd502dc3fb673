import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  createLogger,
  createRedactor,
  createTransport,
  isLoopbackHost,
  type Logger,
  type Redactor,
  type Transport,
} from "@msint/auth-core/internal";
import { type BrokerConfig, BrokerConfigError, loadBrokerConfigFile, parseBrokerConfig } from "./config.js";
import { RegistrationStore } from "./database.js";
import { Responder } from "./http.js";
import { RegistrationLocks } from "./locks.js";
import { JwksCache } from "./oidc.js";
import type { BrokerOptions } from "./options.js";
import { SharedFailureBackoff, SharedNonceCache, SharedRateLimiter } from "./shared-limits.js";

/** Accepted distance between the client's timestamp and the broker's clock. */
export const TIMESTAMP_WINDOW_SECONDS = 300;
/** Nonces are remembered for twice the window: a message is refused as stale before its nonce is forgotten. */
const NONCE_TTL_MS = 2 * TIMESTAMP_WINDOW_SECONDS * 1000;
/** A tenant ID. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The limits every replica on one database shares (they live in the database). */
export interface BrokerLimits {
  /** Token requests per registration and minute (made with the registration's Key). */
  registrations: SharedRateLimiter;
  /** Failed protocol requests per client address and minute. */
  failures: SharedRateLimiter;
  /** Failures naming a registration, per registration and client address. */
  strikes: SharedFailureBackoff;
  /** Nonces of the encrypted tokens already used. */
  nonces: SharedNonceCache;
}

/** What every route shares: built once by {@link createBrokerContext}, read by the handlers in `routes/`. */
export interface BrokerContext {
  readonly config: BrokerConfig;
  /** Registrations, pending sign-ins and the key material derived from the master key. */
  readonly store: RegistrationStore;
  /** HTTP client for Microsoft Entra ID. */
  readonly transport: Transport;
  /** Signing keys of the tenants, for ID tokens. */
  readonly jwks: JwksCache;
  readonly logger: Logger;
  /** Clock, epoch ms. */
  readonly now: () => number;
  readonly limits: BrokerLimits;
  /** One token request at a time per delegated registration (its refresh token rotates). */
  readonly locks: RegistrationLocks;
  /** The configured tenant when it is one tenant (a GUID): delegated sign-ins must then happen in it. */
  readonly configuredTenantId: string | undefined;
  /** The URL customers use: configuration `publicUrl`, else the listening URL once the server listens. */
  publicUrl: string;
  /** Writes answers with the security headers (`Secure`/HSTS follow {@link publicUrl}). */
  readonly http: Responder;
}

/** The configuration of {@link BrokerOptions}, validated. */
function resolveConfig(options: BrokerOptions, env: Record<string, string | undefined>): BrokerConfig {
  const { config } = options;
  if (typeof config === "string") return loadBrokerConfigFile(config, env);
  if (config && (config as BrokerConfig).apps instanceof Map) return config as BrokerConfig;
  return parseBrokerConfig(config, { env, baseDir: process.cwd() });
}

/** The log of the broker, with every app's client secret redacted. */
function brokerLogger(options: BrokerOptions, config: BrokerConfig, redactor: Redactor): Logger {
  for (const app of config.apps.values()) {
    if (app.credential.kind === "secret") redactor.add(app.credential.clientSecret);
  }
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return createLogger({ level: options.logLevel ?? "info", sink, redactor, scope: "broker" });
}

/**
 * Validates the options, opens the database and builds the shared state of the routes.
 * @throws BrokerConfigError naming the configuration field or variable at fault.
 */
export async function createBrokerContext(options: BrokerOptions, host: string): Promise<BrokerContext> {
  const env = options.env ?? process.env;
  const config = resolveConfig(options, env);
  const now = options.now ?? Date.now;
  if (!config.publicUrl && !isLoopbackHost(host)) {
    throw new BrokerConfigError(
      "publicUrl",
      `must be set when the broker listens on ${host}: it is the https URL of the TLS reverse proxy in front of it (the broker never trusts forwarded headers to guess it).`,
    );
  }
  const dataDir = resolve(
    options.dataDir ?? config.dataDir ?? env["MSINT_BROKER_DATA"] ?? join(homedir(), ".msint", "broker"),
  );
  const redactor = createRedactor();
  const logger = brokerLogger(options, config, redactor);
  const databaseUrl = options.database ?? env["MSINT_BROKER_DATABASE_URL"] ?? undefined;
  const store = await RegistrationStore.open({
    dataDir,
    databaseUrl: databaseUrl || undefined,
    env,
    warn: (message) => logger.warn(message),
  });
  const transport =
    options.transport ??
    createTransport({ logger: logger.child("transport"), redactor, proxy: config.proxy });
  const loginOrigin = new URL(config.loginHost).origin;
  const context: BrokerContext = {
    config,
    store,
    transport,
    jwks: new JwksCache(transport, now),
    logger,
    now,
    // In the database, so that every replica on one database shares them.
    limits: {
      registrations: new SharedRateLimiter(store.database, now, "registration"),
      failures: new SharedRateLimiter(store.database, now, "failures"),
      strikes: new SharedFailureBackoff(store.database, now),
      nonces: new SharedNonceCache(store.database, now, NONCE_TTL_MS, "token"),
    },
    locks: new RegistrationLocks(store.database),
    configuredTenantId: GUID.test(config.tenant) ? config.tenant.toLowerCase() : undefined,
    publicUrl: config.publicUrl ?? "",
    http: new Responder({ secure: () => context.publicUrl.startsWith("https:"), loginOrigin }),
  };
  return context;
}

/** Every minute: forgets expired nonces, strikes and sign-ins, and keeps the data files private. */
export function startSweeper(context: BrokerContext): NodeJS.Timeout {
  const { limits, store, now } = context;
  const sweeper = setInterval(() => {
    limits.nonces.sweep().catch(() => undefined);
    limits.strikes.sweep().catch(() => undefined);
    store.sweepPendingSignIns(now()).catch(() => undefined);
    try {
      store.restrictFiles();
    } catch {
      // Reported at close if it persists.
    }
  }, 60_000);
  sweeper.unref();
  return sweeper;
}

/** The first block of a registration ID: enough to correlate log lines, not to use the registration. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
