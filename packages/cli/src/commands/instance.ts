import { type ContextStore, StoreError } from "@msint/auth-core";
import { type InstanceDocument, UsageError } from "@msint/integration-kit";
import type { Command } from "commander";
import {
  addInstance,
  checkInstanceName,
  describeStoredInstance,
  instanceExists,
  listInstances,
  removeInstance,
  requireIntegration,
  setInstance,
  showInstance,
} from "../instances.js";
import { processIo } from "../output.js";
import { openStore } from "../store.js";
import { type CliContext, collect } from "./context.js";

/** `msint instance add|set|list|show|remove`: the configured instances of integrations. */
export function registerInstance(program: Command, cli: CliContext): void {
  const instance = program.command("instance").description("Configure instances of integrations");
  registerAdd(instance, cli);
  registerSet(instance, cli);
  registerList(instance, cli);
  registerShow(instance, cli);
  registerRemove(instance, cli);
}

function registerAdd(instance: Command, cli: CliContext): void {
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
      const store = await openStore();
      const pairs =
        options.param.length > 0 ? options.param : await askParameters(cli, store, name, options.integration);
      const message = await addInstance(store, name, options.integration, pairs);
      if (options.json) cli.printJson({ name, integration: options.integration, added: true });
      else cli.io.out(message);
    });
}

/** `instance add` without --param: the parameters asked for on a terminal, else a message saying what to give. */
async function askParameters(
  cli: CliContext,
  store: ContextStore<InstanceDocument>,
  name: string,
  id: string,
): Promise<string[]> {
  // What would stop the instance anyway is said before any question.
  checkInstanceName(name);
  const integration = await requireIntegration(id);
  if (await store.read(name)) throw instanceExists(name);
  const { canPrompt, promptForParameters } = await import("../prompt.js");
  if (cli.io !== processIo || !canPrompt()) {
    const { missingParametersMessage } = await import("../describe.js");
    throw new UsageError(missingParametersMessage(integration, name));
  }
  return promptForParameters(integration);
}

function registerSet(instance: Command, cli: CliContext): void {
  instance
    .command("set <name>")
    .description("Change parameters of an instance, keeping its authentication state (KEY= clears one)")
    .option("--param <KEY=VALUE>", "instance parameter, repeatable", collect, [])
    .option("--json", "print the result as JSON")
    .action(async (name: string, options: { param: string[]; json?: boolean }) => {
      const message = await setInstance(await openStore(), name, options.param);
      if (options.json)
        cli.printJson({
          name,
          changed: options.param.map((pair) => pair.slice(0, Math.max(0, pair.indexOf("=")))),
        });
      else cli.io.out(message);
    });
}

function registerList(instance: Command, cli: CliContext): void {
  instance
    .command("list")
    .description("List instances")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { table, rows, readable, unreadable } = await listInstances(await openStore());
      // Nothing readable (a changed store key, or the only instance damaged): the store's own message alone.
      if (unreadable.length > 0 && readable === 0) throw unreadable[0];
      if (options.json) cli.printJson(rows);
      else cli.human(table);
      if (unreadable.length === 1) throw unreadable[0];
      if (unreadable.length > 1)
        throw new StoreError(
          "tampered",
          `${unreadable.length} instances cannot be read:\n${unreadable.map((error) => `- ${error.message}`).join("\n")}`,
        );
    });
}

function registerShow(instance: Command, cli: CliContext): void {
  instance
    .command("show <name>")
    .description("Show an instance's parameters (secrets masked) and authentication state")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const store = await openStore();
      if (options.json) cli.printJson(await describeStoredInstance(store, name));
      else cli.human(await showInstance(store, name));
    });
}

function registerRemove(instance: Command, cli: CliContext): void {
  instance
    .command("remove <name>")
    .description("Remove an instance and its stored tokens")
    .option("--json", "print the result as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const message = await removeInstance(await openStore(), name);
      if (options.json) cli.printJson({ name, removed: true });
      else cli.io.out(message);
    });
}
