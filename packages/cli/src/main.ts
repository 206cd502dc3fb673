import { UsageError } from "@msint/integration-kit";
import { Command, CommanderError, Option } from "commander";
import { registerBroker } from "./commands/broker.js";
import { registerCert } from "./commands/cert.js";
import { registerCompletion } from "./commands/completion.js";
import type { CliContext, RegisterCommand } from "./commands/context.js";
import { registerDemo } from "./commands/demo.js";
import { registerEmulator } from "./commands/emulator.js";
import { registerHelp } from "./commands/help.js";
import { registerInstance } from "./commands/instance.js";
import { registerIntegrations } from "./commands/integrations.js";
import { registerLogin } from "./commands/login.js";
import { registerRun } from "./commands/run.js";
import { registerStore } from "./commands/store.js";
import { registerToken } from "./commands/token.js";
import { chooseFormat, OUTPUT_FORMATS, renderHuman } from "./format.js";
import { requireIntegration } from "./instances.js";
import { type Io, processIo, reportError, stdoutIsTerminal } from "./output.js";
import { registerSecrets } from "./secrets.js";
import { setStoreOption } from "./store.js";

/** The version of this CLI, written into the bundle at build time (tsup.config.ts). */
declare const __MSINT_VERSION__: string | undefined;
export const VERSION = typeof __MSINT_VERSION__ === "string" ? __MSINT_VERSION__ : "0.0.0-dev";

/**
 * The commands of `msint`, one file each under commands/, in the order `msint --help` lists them. A command
 * file loads the modules that do its work only when it runs (`await import`), so building the program stays
 * cheap; the hot path (`msint run … --instance X`, bin.ts) does not build it at all.
 */
const COMMANDS: readonly RegisterCommand[] = [
  registerIntegrations,
  registerInstance,
  registerStore,
  registerRun,
  registerToken,
  registerLogin,
  registerCert,
  registerEmulator,
  registerBroker,
  registerCompletion,
  registerHelp,
  registerDemo,
];

/** The program without its commands: description, version, global options, how output and errors go. */
function rootProgram(io: Io, usageErr: (text: string) => void): Command {
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

  // Before any action: --debug works in any position and before anything creates a logger.
  program.hook("preAction", () => {
    if (program.opts<{ debug?: boolean }>().debug) process.env["MSINT_LOG"] = "debug";
    setStoreOption(program.opts<{ store?: string }>().store);
    registerSecrets(undefined, undefined);
  });
  return program;
}

/** Builds the `msint` program. Actions resolve to what they print; errors carry their exit code. */
export function buildProgram(io: Io, usageErr: (text: string) => void = io.err): Command {
  const program = rootProgram(io, usageErr);
  const format = () =>
    chooseFormat(program.opts<{ format?: string }>().format, io === processIo && stdoutIsTerminal());
  const cli: CliContext = {
    io,
    format,
    human: (markdown) => io.out(renderHuman(markdown, format())),
    printJson: (value) => io.out(JSON.stringify(value, null, 2)),
  };
  for (const register of COMMANDS) register(program, cli);
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
