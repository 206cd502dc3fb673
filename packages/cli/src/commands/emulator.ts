import type { Command } from "commander";
import { type CliContext, listenError, parsePort } from "./context.js";

interface EmulatorOptions {
  port: string;
  seed?: string;
  log?: boolean;
  proxy?: boolean;
  instances?: string;
}

/** `msint emulator`: the local Entra ID and Microsoft API emulator, until SIGINT or SIGTERM. */
export function registerEmulator(program: Command, cli: CliContext): void {
  program
    .command("emulator")
    .description(
      "Start the local Entra ID emulator with doubles of Graph, Resource Manager, Key Vault, Storage, Defender and the other APIs, on 127.0.0.1",
    )
    .option("--port <port>", "port (0 picks a free one)", "0")
    .option("--seed <file>", "JSON seed of tenants, apps, secrets and users")
    .option("--log", "print each request it serves, one line each")
    .option("--proxy", "also run an HTTPS proxy for the real Microsoft host names (storage accounts, vaults)")
    .option(
      "--instances <integration>",
      "print ready-to-paste `msint instance add` lines for one integration, one per flow",
    )
    .action((options: EmulatorOptions) => runEmulator(cli, options));
}

async function runEmulator(cli: CliContext, options: EmulatorOptions): Promise<void> {
  // The emulator is a bundle of its own (emulator.cjs), loaded only here and by msint demo.
  const emulatorModule = await import("@msint/entra-emulator");
  const { startEmulator, formatEmulatorBanner, formatRequestLine } = emulatorModule;
  const integration = options.instances
    ? await (await import("../instances.js")).requireIntegration(options.instances)
    : undefined;
  const port = parsePort(options.port);
  const emulator = await startEmulator({
    port,
    seed: options.seed,
    proxy: Boolean(options.proxy),
    ...(options.log ? { onRequest: (request) => cli.io.out(formatRequestLine(request)) } : {}),
  }).catch((error: unknown) => {
    throw listenError(error, port) ?? error;
  });
  const { writeDemoKey } = await import("../emulator-key.js");
  const demo = options.seed === undefined;
  const key = demo ? await writeDemoKey(emulator.demoCertificate?.privateKeyPem) : undefined;
  cli.io.out(formatEmulatorBanner(emulator, key ? { certificateKeyFile: key.path } : {}));
  if (integration) {
    const { emulatorInstanceLines } = await import("../emulator-instances.js");
    const { demoFacts } = await import("../emulator-key.js");
    cli.io.out(
      [
        "",
        ...emulatorInstanceLines(
          integration,
          demoFacts(
            emulatorModule,
            emulator,
            key?.path,
            integration.manifest.brokerAppName ?? integration.manifest.id,
          ),
        ),
      ].join("\n"),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      emulator.close().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await key?.remove();
}
