import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** `msint completion <shell>`: the completion script (../completion.ts; bin.ts answers its `__complete` calls). */
export function registerCompletion(program: Command, cli: CliContext): void {
  program
    .command("completion <shell>")
    .description(
      "Print the shell completion script: bash, zsh or fish (e.g. source <(msint completion bash))",
    )
    .action(async (shell: string) => {
      const { completionScript } = await import("../completion.js");
      cli.io.out(completionScript(shell));
    });
}
