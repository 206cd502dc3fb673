import { UsageError } from "@msint/integration-kit";
import { commandHelp } from "./describe.js";
import { requireInstance, requireIntegration } from "./instances.js";
import { loadAllIntegrations } from "./registry.js";

/**
 * `msint help <command>` and `msint run <command> --help`: the integration command described. With an instance,
 * the command of that instance's integration; otherwise every integration that has one by that name (prefixes
 * may repeat across integrations).
 */
export async function integrationCommandHelp(name: string, instance: string | undefined): Promise<string> {
  if (instance) {
    const { openStore } = await import("./store.js");
    const document = await requireInstance(await openStore(), instance);
    const integration = await requireIntegration(document.integration);
    if (!integration.commandNames().includes(name)) {
      throw new UsageError(
        `${integration.manifest.displayName} has no command "${name}". Its commands: ${integration.commandNames().join(", ")}.`,
      );
    }
    return commandHelp(integration, name, instance);
  }
  const owners = (await loadAllIntegrations()).filter((integration) =>
    integration.commandNames().includes(name),
  );
  if (owners.length === 0) {
    throw new UsageError(
      `"${name}" is neither an msint command nor a command of an integration. msint --help lists msint's commands; msint integrations <id> lists an integration's.`,
    );
  }
  return owners.map((integration) => commandHelp(integration, name)).join("\n");
}
