import type { Command } from "commander";
import { type CliContext, listenError, parsePort } from "./context.js";

/** `msint emulator`: the local Entra ID and Microsoft Graph emulator, until SIGINT or SIGTERM. */
export function registerEmulator(program: Command, cli: CliContext): void {
  program
    .command("emulator")
    .description("Start the local Entra ID and Microsoft Graph emulator on 127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "0")
    .option("--seed <file>", "JSON seed of tenants, apps, secrets and users")
    .action((options: { port: string; seed?: string }) => runEmulator(cli, options));
}

async function runEmulator(cli: CliContext, options: { port: string; seed?: string }): Promise<void> {
  // The emulator is a bundle of its own (emulator.cjs), loaded only here and by msint demo.
  const { startEmulator, formatEmulatorBanner } = await import("@msint/entra-emulator");
  const port = parsePort(options.port);
  const emulator = await startEmulator({ port, seed: options.seed }).catch((error: unknown) => {
    throw listenError(error, port) ?? error;
  });
  cli.io.out(formatEmulatorBanner(emulator));
  await new Promise<void>((resolve) => {
    const stop = () => {
      emulator.close().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
