import type { Command } from "commander";
import { type CliContext, parsePort } from "./context.js";

interface BrokerStartOptions {
  port: string;
  host: string;
  config?: string;
  dataDir?: string;
  database?: string;
}

/** `msint broker start`: the self-hostable token broker of the Cortex XSOAR application flow (../broker.ts). */
export function registerBroker(program: Command, cli: CliContext): void {
  program
    .command("broker")
    .description("The self-hostable token broker of the Cortex XSOAR application flow")
    .command("start")
    .description("Serve the Start Authorization Process pages and POST /obtain-token")
    .option("--port <port>", "port (0 picks a free one)", "8480")
    .option(
      "--host <host>",
      "address to bind; put a TLS reverse proxy in front of anything but loopback",
      "127.0.0.1",
    )
    .option("--config <file>", "JSON configuration of the apps (secrets as env:VAR or file:PATH)")
    .option(
      "--data-dir <dir>",
      "database directory (default: the configuration's dataDir, else ~/.msint/broker)",
    )
    .option(
      "--database <url>",
      "PostgreSQL instead of the embedded database: postgres://USER:PASSWORD@HOST:PORT/DATABASE (default MSINT_BROKER_DATABASE_URL); replicas on one database behave as one",
    )
    .action(async (options: BrokerStartOptions) => {
      const { startBrokerCommand } = await import("../broker.js");
      await startBrokerCommand(cli.io, { ...options, port: parsePort(options.port) });
    });
}
