import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** `msint help [command...]`: help on a command of msint, or on a command of an integration. */
export function registerHelp(program: Command, cli: CliContext): void {
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
      const { integrationCommandHelp } = await import("../help.js");
      cli.io.out(await integrationCommandHelp(words[0]!, undefined));
    });
}
