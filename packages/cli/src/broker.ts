import { MsintError } from "@msint/auth-core";
import { UsageError } from "@msint/integration-kit";
import type { Io } from "./output.js";

/** Options of `msint broker start`. */
export interface BrokerStartOptions {
  port: number;
  host: string;
  config?: string | undefined;
  dataDir?: string | undefined;
  /** postgres://… : registrations, rate limits and the replay cache in PostgreSQL (replicas share it). */
  database?: string | undefined;
}

/**
 * `msint broker start`: runs the token broker of the Cortex XSOAR application flow until SIGINT or SIGTERM. The
 * banner goes to standard output, the request log (never a token, key or secret) to standard error.
 */
export async function startBrokerCommand(io: Io, options: BrokerStartOptions): Promise<void> {
  const config = options.config ?? process.env["MSINT_BROKER_CONFIG"];
  if (!config) {
    throw new UsageError(
      "msint broker start needs --config FILE (or MSINT_BROKER_CONFIG): a JSON file naming each app's client ID, its secret as env:VARIABLE, its permissions and scopes (see docs/token-broker.md).",
    );
  }
  // The broker process creates only private files: the database writes new files as it runs.
  process.umask(0o077);
  const { startBroker, BrokerConfigError } = await import("@msint/token-broker");
  let broker: Awaited<ReturnType<typeof startBroker>>;
  try {
    broker = await startBroker({
      port: options.port,
      host: options.host,
      config,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.database ? { database: options.database } : {}),
      log: (line) => io.err(line),
    });
  } catch (error) {
    // Configuration problems are the operator's to fix: one plain message, exit code 1.
    if (BrokerConfigError.isInstance(error)) throw new MsintError(error.message);
    // The broker's database is an optional peer of the CLI: only the broker needs it.
    if (
      (error as NodeJS.ErrnoException)?.code === "MODULE_NOT_FOUND" &&
      String((error as Error).message).includes("@electric-sql/pglite")
    ) {
      throw new MsintError(
        'msint broker start needs the PGlite database, which the CLI does not install by default. Install it next to msint: npm install --prefix "$(npm root -g)/@msint/cli" @electric-sql/pglite (or add @electric-sql/pglite to the project that depends on @msint/cli).',
        { code: "broker_database_missing" },
      );
    }
    throw error;
  }
  io.out(
    [
      `msint token broker listening on ${broker.url}`,
      `  Public URL:    ${broker.publicUrl}`,
      `  Redirect URI:  ${broker.redirectUri}   (register it on every app)`,
      `  Broker URL:    ${broker.obtainTokenUrl}   (instances use ID = <registration>@<this URL>)`,
      `  Data:          ${broker.dataDir}`,
      `  Apps:          ${broker.apps.map((app) => `${broker.publicUrl}/${app}`).join(", ")}`,
      "Press Ctrl+C to stop.",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      broker.close().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
