import { MsintError, StoreError } from "@msint/auth-core";
import { flowTableWords, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { Command, CommanderError } from "commander";
import {
  addInstance,
  listInstances,
  removeInstance,
  requireInstance,
  requireIntegration,
  setInstance,
  showInstance,
} from "./instances.js";
import { limitsFromEnv, transportFor, withDeadline } from "./limits.js";
import { describeError, type Io, processIo } from "./output.js";
import { loadAllIntegrations } from "./registry.js";
import { runAction } from "./run-action.js";
import { registerSecrets } from "./secrets.js";
import { openStore } from "./store.js";

const collect = (value: string, previous: string[]) => [...previous, value];

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535, not "${value}".`);
  return port;
}

/** A plain message for a port that cannot be listened on (in use, or privileged); undefined for other errors. */
function listenError(error: unknown, port: number): MsintError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE")
    return new MsintError(`port ${port} is in use: choose another with --port (0 picks a free one).`);
  if (code === "EACCES")
    return new MsintError(
      `port ${port} needs privileges this user does not have: choose a port above 1023 with --port.`,
    );
  return undefined;
}

/** Builds the `msint` program. Actions resolve to what they print; errors carry their exit code. */
export function buildProgram(io: Io): Command {
  const program = new Command("msint")
    .description(
      "Authentication layer for Microsoft security integrations: configure instances, run their commands.",
    )
    .option("--debug", "log every request (secrets redacted) to stderr, like MSINT_LOG=debug")
    .showHelpAfterError("(run msint --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });

  // Before any action: --debug works in any position and before anything creates a logger.
  program.hook("preAction", () => {
    if (program.opts<{ debug?: boolean }>().debug) process.env["MSINT_LOG"] = "debug";
    registerSecrets(undefined, undefined);
  });

  program
    .command("integrations")
    .description("List the integrations and the authentication flows each supports")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const integrations = await loadAllIntegrations();
      const rows = integrations.map(({ manifest }) => ({
        id: manifest.id,
        displayName: manifest.displayName,
        commandPrefix: manifest.commandPrefix,
        flows: flowTableWords(manifest.flows),
      }));
      if (options.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      io.out(
        tableToMarkdown(
          "Integrations",
          rows.map((row) => ({
            ID: row.id,
            Name: row.displayName,
            Prefix: row.commandPrefix,
            "XSOAR Application": row.flows.xsoarApp,
            "Client Credentials": row.flows.clientCredentials,
            "Device Code": row.flows.deviceCode,
            "Auth code": row.flows.authorizationCode,
            "Managed Identities": row.flows.managedIdentities,
            "National Clouds": row.flows.nationalClouds,
          })),
        ),
      );
    });

  const instance = program.command("instance").description("Configure instances of integrations");
  instance
    .command("add <name>")
    .description("Add an instance (VALUE env:VAR or file:/PATH is read at run time, never stored)")
    .requiredOption("--integration <id>", "integration id (see msint integrations)")
    .option("--param <KEY=VALUE>", "instance parameter, repeatable", collect, [])
    .action(async (name: string, options: { integration: string; param: string[] }) => {
      io.out(await addInstance(await openStore(), name, options.integration, options.param));
    });
  instance
    .command("set <name>")
    .description("Change parameters of an instance, keeping its authentication state (KEY= clears one)")
    .option("--param <KEY=VALUE>", "instance parameter, repeatable", collect, [])
    .action(async (name: string, options: { param: string[] }) => {
      io.out(await setInstance(await openStore(), name, options.param));
    });
  instance
    .command("list")
    .description("List instances")
    .action(async () => {
      const { table, readable, unreadable } = await listInstances(await openStore());
      // Nothing readable (a changed store key, or the only instance damaged): the store's own message alone.
      if (unreadable.length > 0 && readable === 0) throw unreadable[0];
      io.out(table);
      if (unreadable.length === 1) throw unreadable[0];
      if (unreadable.length > 1)
        throw new StoreError(
          "tampered",
          `${unreadable.length} instances cannot be read:\n${unreadable.map((error) => `- ${error.message}`).join("\n")}`,
        );
    });
  instance
    .command("show <name>")
    .description("Show an instance's parameters (secrets masked) and authentication state")
    .action(async (name: string) => io.out(await showInstance(await openStore(), name)));
  instance
    .command("remove <name>")
    .description("Remove an instance and its stored tokens")
    .action(async (name: string) => io.out(await removeInstance(await openStore(), name)));

  program
    .command("run <command> [args...]")
    .description(
      "Run a command of an instance: msint run msgraph-user-list limit=5 --instance NAME, or msint run '!msgraph-user-list limit=5' --instance NAME",
    )
    .requiredOption("--instance <name>", "the instance to run it on")
    .option("--json", "print the result as JSON (readable, outputs, raw)")
    .action((command: string, words: string[], options: { instance: string; json?: boolean }) =>
      runAction(io, command, words, options),
    );

  program
    .command("token")
    .description(
      "Print an access token of an instance, like az account get-access-token (from the cache when one is usable)",
    )
    .requiredOption("--instance <name>", "the instance whose credentials sign in")
    .option("--resource <url>", "the resource to get a token for, e.g. https://management.azure.com")
    .option("--scope <scope>", "a scope to get a token for (repeatable), instead of --resource", collect, [])
    .option("--json", "print accessToken, expiresOn, expires_on, tenant and tokenType as JSON")
    .action(async (options: { instance: string; resource?: string; scope: string[]; json?: boolean }) => {
      const { tokenAction } = await import("./token.js");
      await tokenAction(io, options);
    });

  program
    .command("login <instance>")
    .description(
      "Authorization Code flow without copy-paste: sign in through the loopback redirect URI of the instance",
    )
    .option("--timeout <seconds>", "how long to wait for the sign-in", "300")
    .option("--consent", "ask for consent again (prompt=consent)")
    .action(async (name: string, options: { timeout: string; consent?: boolean }) => {
      const timeoutSeconds = Number(options.timeout);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
        throw new UsageError(`--timeout takes a number of seconds, not "${options.timeout}".`);
      }
      const limits = limitsFromEnv();
      await withDeadline(
        async () => {
          const store = await openStore();
          const document = await requireInstance(store, name);
          const integration = await requireIntegration(document.integration);
          registerSecrets(integration, document);
          const transport = transportFor(integration, document, limits);
          const { login } = await import("./login.js");
          await login(io, store, document, integration, {
            timeoutSeconds,
            consent: Boolean(options.consent),
            transport,
          });
        },
        timeoutSeconds * 1000 + limits.deadlineMs,
        "msint login",
      );
    });

  program
    .command("cert")
    .description("Certificates for certificate credentials")
    .command("create <name>")
    .description("Write NAME.key and a self-signed NAME.crt, and print the SHA-1 thumbprint to register")
    .option("--days <days>", "validity in days", "365")
    .option("--dir <dir>", "where to write the files", ".")
    .action(async (name: string, options: { days: string; dir: string }) => {
      const { createCertificate } = await import("./cert.js");
      io.out(await createCertificate(name, { days: Number(options.days), dir: options.dir }));
    });

  program
    .command("emulator")
    .description("Start the local Entra ID and Microsoft Graph emulator on 127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "0")
    .option("--seed <file>", "JSON seed of tenants, apps, secrets and users")
    .action(async (options: { port: string; seed?: string }) => {
      const { startEmulator, formatEmulatorBanner } = await import("@msint/entra-emulator");
      const port = parsePort(options.port);
      const emulator = await startEmulator({ port, seed: options.seed }).catch((error: unknown) => {
        throw listenError(error, port) ?? error;
      });
      io.out(formatEmulatorBanner(emulator));
      await new Promise<void>((resolve) => {
        const stop = () => {
          emulator.close().then(resolve, resolve);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });

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
    .action(async (options: { port: string; host: string; config?: string; dataDir?: string }) => {
      const { startBrokerCommand } = await import("./broker.js");
      await startBrokerCommand(io, { ...options, port: parsePort(options.port) });
    });

  program
    .command("demo")
    .description(
      "The main job on the embedded default: emulator, a Graph User instance, auth-test and user list",
    )
    .action(async () => {
      const { runDemo } = await import("./demo.js");
      await runDemo(io);
    });

  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 a command failed, 2 usage error. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
      )
        return 0;
      return 2;
    }
    const { message, exitCode } = describeError(error);
    io.err(`Error: ${message}`);
    return exitCode;
  }
}
