import { MsintError, StoreError } from "@msint/auth-core";
import { flowTableWords, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { Command, CommanderError, Option } from "commander";
import { chooseFormat, OUTPUT_FORMATS, type OutputFormat, renderHuman } from "./format.js";
import {
  addInstance,
  checkInstanceName,
  describeStoredInstance,
  instanceExists,
  listInstances,
  removeInstance,
  requireInstance,
  requireIntegration,
  setInstance,
  showInstance,
} from "./instances.js";
import { limitsFromEnv, transportFor, withDeadline } from "./limits.js";
import { type Io, processIo, reportError } from "./output.js";
import { loadAllIntegrations } from "./registry.js";
import { runAction } from "./run-action.js";
import { registerSecrets } from "./secrets.js";
import { openStore, setStoreOption } from "./store.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The version of this CLI, written into the bundle at build time (tsup.config.ts). */
declare const __MSINT_VERSION__: string | undefined;
export const VERSION = typeof __MSINT_VERSION__ === "string" ? __MSINT_VERSION__ : "0.0.0-dev";

const printJson = (io: Io, value: unknown) => io.out(JSON.stringify(value, null, 2));

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
export function buildProgram(io: Io, usageErr: (text: string) => void = io.err): Command {
  const program = new Command("msint")
    .description(
      "Authentication layer for Microsoft security integrations: configure instances, run their commands.",
    )
    .version(VERSION, "-V, --version", "print the version of msint")
    .option("--debug", "log every request (secrets redacted) to stderr, like MSINT_LOG=debug")
    .option(
      "--store <url>",
      "the store: postgres://USER:PASSWORD@HOST:PORT/DATABASE or file:DIRECTORY (default MSINT_STORE_URL, else MSINT_HOME)",
    )
    .addOption(
      new Option(
        "--format <format>",
        "human output: table (aligned columns, the default on a terminal) or markdown (War Room tables, the default otherwise)",
      ).choices(OUTPUT_FORMATS),
    )
    .helpCommand(false)
    .showHelpAfterError("(run msint --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => usageErr(text) });

  /** The human format of this run (--format, MSINT_FORMAT, or whether stdout is a terminal). */
  const format = (): OutputFormat =>
    chooseFormat(
      program.opts<{ format?: string }>().format,
      io === processIo && Boolean(process.stdout.isTTY),
    );
  const human = (markdown: string) => io.out(renderHuman(markdown, format()));

  // Before any action: --debug works in any position and before anything creates a logger.
  program.hook("preAction", () => {
    if (program.opts<{ debug?: boolean }>().debug) process.env["MSINT_LOG"] = "debug";
    setStoreOption(program.opts<{ store?: string }>().store);
    registerSecrets(undefined, undefined);
  });

  program
    .command("integrations [id]")
    .description(
      "List the integrations and the authentication flows each supports; with an id, its flows, parameters and commands",
    )
    .option("--json", "print JSON")
    .action(async (id: string | undefined, options: { json?: boolean }) => {
      if (id) {
        const integration = await requireIntegration(id);
        const { integrationJson, integrationText } = await import("./describe.js");
        if (options.json) printJson(io, integrationJson(integration));
        else io.out(integrationText(integration));
        return;
      }
      const integrations = await loadAllIntegrations();
      const rows = integrations.map(({ manifest }) => ({
        id: manifest.id,
        displayName: manifest.displayName,
        commandPrefix: manifest.commandPrefix,
        flows: flowTableWords(manifest.flows),
      }));
      if (options.json) {
        printJson(io, rows);
        return;
      }
      human(
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
    .description(
      "Add an instance; on a terminal without --param, msint asks for the parameters (VALUE env:VAR or file:/PATH is read at run time, never stored)",
    )
    .requiredOption("--integration <id>", "integration id (see msint integrations)")
    .option("--param <KEY=VALUE>", "instance parameter, repeatable", collect, [])
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nmsint instance add --integration <id> --help lists that integration's parameters by flow.",
    )
    .action(async (name: string, options: { integration: string; param: string[]; json?: boolean }) => {
      let pairs = options.param;
      const store = await openStore();
      if (pairs.length === 0) {
        // What would stop the instance anyway is said before any question.
        checkInstanceName(name);
        const integration = await requireIntegration(options.integration);
        if (await store.read(name)) throw instanceExists(name);
        const { canPrompt, promptForParameters } = await import("./prompt.js");
        if (io !== processIo || !canPrompt()) {
          const { missingParametersMessage } = await import("./describe.js");
          throw new UsageError(missingParametersMessage(integration, name));
        }
        pairs = await promptForParameters(integration);
      }
      const message = await addInstance(store, name, options.integration, pairs);
      if (options.json) printJson(io, { name, integration: options.integration, added: true });
      else io.out(message);
    });
  instance
    .command("set <name>")
    .description("Change parameters of an instance, keeping its authentication state (KEY= clears one)")
    .option("--param <KEY=VALUE>", "instance parameter, repeatable", collect, [])
    .option("--json", "print the result as JSON")
    .action(async (name: string, options: { param: string[]; json?: boolean }) => {
      const message = await setInstance(await openStore(), name, options.param);
      if (options.json)
        printJson(io, {
          name,
          changed: options.param.map((pair) => pair.slice(0, Math.max(0, pair.indexOf("=")))),
        });
      else io.out(message);
    });
  instance
    .command("list")
    .description("List instances")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { table, rows, readable, unreadable } = await listInstances(await openStore());
      // Nothing readable (a changed store key, or the only instance damaged): the store's own message alone.
      if (unreadable.length > 0 && readable === 0) throw unreadable[0];
      if (options.json) printJson(io, rows);
      else human(table);
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
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const store = await openStore();
      if (options.json) printJson(io, await describeStoredInstance(store, name));
      else human(await showInstance(store, name));
    });
  instance
    .command("remove <name>")
    .description("Remove an instance and its stored tokens")
    .option("--json", "print the result as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const message = await removeInstance(await openStore(), name);
      if (options.json) printJson(io, { name, removed: true });
      else io.out(message);
    });

  const store = program
    .command("store")
    .description("The store of instances and tokens: file store or PostgreSQL (MSINT_STORE_URL, --store)");
  store
    .command("status")
    .description("Show which store this host uses, its schema version, how many instances and which key")
    .action(async () => {
      const { storeStatus } = await import("./store-commands.js");
      io.out(await storeStatus());
    });
  store
    .command("migrate")
    .description("Create or migrate the schema of a PostgreSQL store (once, from any host)")
    .action(async () => {
      const { storeMigrate } = await import("./store-commands.js");
      io.out(await storeMigrate());
    });
  store
    .command("copy")
    .description("Copy every instance with its state to another store (file store ⇄ PostgreSQL)")
    .requiredOption("--to <url>", "destination: postgres://… or file:DIRECTORY (an msint home)")
    .option("--from <url>", "source (default: the store of this run)")
    .option(
      "--from-key-env <variable>",
      "environment variable with the source's store key (default MSINT_STORE_KEY)",
    )
    .option(
      "--to-key-env <variable>",
      "environment variable with the destination's store key (default MSINT_STORE_KEY)",
    )
    .action(async (options: { to: string; from?: string; fromKeyEnv?: string; toKeyEnv?: string }) => {
      const { storeCopy } = await import("./store-commands.js");
      io.out(await storeCopy(options));
    });

  program
    .command("run <command> [args...]")
    .description(
      "Run a command of an instance: msint run msgraph-user-list limit=5 --instance NAME, or msint run '!msgraph-user-list limit=5' --instance NAME",
    )
    .requiredOption("--instance <name>", "the instance to run it on")
    .option("--json", "print the result as JSON (readable, outputs, raw)")
    .addHelpText(
      "after",
      "\nmsint run <command> --help (or msint help <command>) describes one integration command: its arguments, outputs and an example.",
    )
    .action((command: string, words: string[], options: { instance: string; json?: boolean }) =>
      runAction(io, command, words, { ...options, format: format() }),
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
    .option("--open", "open the sign-in page in the browser ($BROWSER, else xdg-open / open / start)")
    .action(async (name: string, options: { timeout: string; consent?: boolean; open?: boolean }) => {
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
            open: Boolean(options.open),
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
    .option(
      "--database <url>",
      "PostgreSQL instead of the embedded database: postgres://USER:PASSWORD@HOST:PORT/DATABASE (default MSINT_BROKER_DATABASE_URL); replicas on one database behave as one",
    )
    .action(
      async (options: {
        port: string;
        host: string;
        config?: string;
        dataDir?: string;
        database?: string;
      }) => {
        const { startBrokerCommand } = await import("./broker.js");
        await startBrokerCommand(io, { ...options, port: parsePort(options.port) });
      },
    );

  program
    .command("completion <shell>")
    .description(
      "Print the shell completion script: bash, zsh or fish (e.g. source <(msint completion bash))",
    )
    .action(async (shell: string) => {
      const { completionScript } = await import("./completion.js");
      io.out(completionScript(shell));
    });

  program
    .command("help [command...]")
    .description(
      "Help on a command of msint (msint help instance add) or of an integration (msint help msgraph-user-list)",
    )
    .action(async (words: string[]) => {
      if (words.length === 0) {
        program.outputHelp();
        return;
      }
      let target: Command | undefined = program;
      for (const word of words) target = target?.commands.find((each) => each.name() === word);
      if (target) {
        target.outputHelp();
        return;
      }
      const { integrationCommandHelp } = await import("./help.js");
      io.out(await integrationCommandHelp(words[0]!, undefined));
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

/** The value of `--name VALUE` or `--name=VALUE` in argv, if given. */
function optionIn(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]!.startsWith(`${name}=`)) return argv[i]!.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Help that depends on an integration, answered before commander: `msint run <command> --help` describes the
 * integration command, `msint instance add --integration <id> --help` adds that integration's parameters.
 */
async function integrationHelp(argv: readonly string[], io: Io): Promise<boolean> {
  const words = argv.slice(2);
  if (!words.includes("--help") && !words.includes("-h")) return false;
  const positional = words.filter(
    (word, index) => !word.startsWith("-") && !/^--/.test(words[index - 1] ?? ""),
  );
  if (positional[0] === "run" && positional[1]) {
    const { integrationCommandHelp } = await import("./help.js");
    io.out(
      await integrationCommandHelp(
        positional[1].replace(/^!/, "").split(/\s/)[0]!,
        optionIn(words, "--instance"),
      ),
    );
    return true;
  }
  const id = optionIn(words, "--integration");
  if (positional[0] === "instance" && positional[1] === "add" && id) {
    const integration = await requireIntegration(id);
    const { addHelpText } = await import("./describe.js");
    const program = buildProgram(io);
    const add = program.commands
      .find((each) => each.name() === "instance")!
      .commands.find((each) => each.name() === "add")!;
    io.out(`${add.helpInformation()}${addHelpText(integration)}`);
    return true;
  }
  return false;
}

/** Runs the CLI and returns the exit code: 0 success, 1 a command failed, 2 usage error. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  // With --json anywhere, errors (commander's usage errors included) are one JSON object on stderr.
  const json = argv.slice(2).includes("--json");
  let usage = "";
  const program = buildProgram(
    io,
    json
      ? (text) => {
          usage += text;
        }
      : io.err,
  );
  try {
    if (await integrationHelp(argv, io)) return 0;
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
      if (json) {
        const message = usage.split("\n").find((line) => line.trim() !== "") ?? error.message;
        reportError(io, new UsageError(message.replace(/^error: /, "")), true);
      }
      return 2;
    }
    return reportError(io, error, json);
  }
}
