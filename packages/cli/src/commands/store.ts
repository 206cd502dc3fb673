import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** `msint store status|migrate|copy`: the store of instances and tokens (the work is in ../store-commands.ts). */
export function registerStore(program: Command, cli: CliContext): void {
  const store = program
    .command("store")
    .description("The store of instances and tokens: file store or PostgreSQL (MSINT_STORE_URL, --store)");
  store
    .command("status")
    .description("Show which store this host uses, its schema version, how many instances and which key")
    .action(async () => {
      const { storeStatus } = await import("../store-commands.js");
      cli.io.out(await storeStatus());
    });
  store
    .command("migrate")
    .description("Create or migrate the schema of a PostgreSQL store (once, from any host)")
    .action(async () => {
      const { storeMigrate } = await import("../store-commands.js");
      cli.io.out(await storeMigrate());
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
      const { storeCopy } = await import("../store-commands.js");
      cli.io.out(await storeCopy(options));
    });
}
