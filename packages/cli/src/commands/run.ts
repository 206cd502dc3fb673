import type { Command } from "commander";
import { runAction } from "../run-action.js";
import type { CliContext } from "./context.js";

/**
 * `msint run <command> [args...] --instance NAME`: a command of an instance. The usual form of it does not come
 * here: bin.ts answers it without commander (fast-path.ts, run-fast.ts), with the same runAction.
 */
export function registerRun(program: Command, cli: CliContext): void {
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
      runAction(cli.io, command, words, { ...options, format: cli.format() }),
    );
}
