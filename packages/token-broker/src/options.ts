import type { LogLevel, Transport } from "@msint/auth-core";
import type { BrokerConfig, BrokerConfigInput } from "./config.js";

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default `127.0.0.1`. Anything else needs `publicUrl` in the configuration. */
  host?: string;
  /** The configuration: a validated {@link BrokerConfig}, a configuration object, or the path of a JSON file. */
  config: BrokerConfig | BrokerConfigInput | string;
  /** Where `env:` references and `MSINT_BROKER_MASTER_KEY` are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Database directory; default the configuration's `dataDir`, else `MSINT_BROKER_DATA`, else `~/.msint/broker`. */
  dataDir?: string;
  /**
   * A PostgreSQL URL (postgres://…) instead of the embedded database: registrations, rate limits and the replay
   * cache live there, so that any number of replicas on it behave as one. Default `MSINT_BROKER_DATABASE_URL`.
   * Needs MSINT_BROKER_MASTER_KEY (the same on every replica).
   */
  database?: string;
  /** Receives log lines (never a token, key or secret); default standard error. */
  log?: (line: string) => void;
  /** Default `info`: one line per request. */
  logLevel?: LogLevel | "silent";
  /** HTTP client for Microsoft Entra ID; default auth-core's transport. */
  transport?: Transport;
  /** Clock, epoch ms; for tests. */
  now?: () => number;
}

/** A running broker. */
export interface RunningBroker {
  /** Where the server listens, `http://host:port`. */
  url: string;
  /** The URL customers use (configuration `publicUrl`, else {@link url}). */
  publicUrl: string;
  /** `<publicUrl>/obtain-token`, the broker URL that follows `@` in an instance's ID. */
  obtainTokenUrl: string;
  /** The redirect URI to register on every app: `<publicUrl>/callback`. */
  redirectUri: string;
  /** The data directory (embedded database), or the PostgreSQL URL without its password. */
  dataDir: string;
  /** The configured app names. */
  apps: string[];
  /**
   * Creates a registration without the browser flow (migrations, tests): `token` is the tenant ID (application
   * permissions) or a refresh token (delegated). Returns what the credentials page would show.
   */
  register(
    appName: string,
    token: string,
  ): Promise<{ id: string; token: string; key: string; registrationId: string }>;
  /** Registrations per app, and sign-ins waiting for their callback (what the database holds now). */
  stats(): Promise<{ registrations: Record<string, number>; pendingSignIns: number }>;
  /** Stops listening, closes connections and the database. */
  close(): Promise<void>;
}
