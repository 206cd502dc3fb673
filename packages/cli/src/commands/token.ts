import type { Command } from "commander";
import { type CliContext, collect } from "./context.js";

/** `msint token --instance NAME`: an access token of an instance (the work is in ../token.ts). */
export function registerToken(program: Command, cli: CliContext): void {
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
      const { tokenAction } = await import("../token.js");
      await tokenAction(cli.io, options);
    });
}
