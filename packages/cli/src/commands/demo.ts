import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** `msint demo`: the main job end to end on the embedded emulator (../demo.ts). */
export function registerDemo(program: Command, cli: CliContext): void {
  program
    .command("demo")
    .description(
      "The main job on the embedded default: emulator, a Graph User instance, auth-test and user list",
    )
    .action(async () => {
      const { runDemo } = await import("../demo.js");
      await runDemo(cli.io);
    });
}
