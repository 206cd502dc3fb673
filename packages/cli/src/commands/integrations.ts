import { flowTableWords, tableToMarkdown } from "@msint/integration-kit";
import type { Command } from "commander";
import { requireIntegration } from "../instances.js";
import { loadAllIntegrations } from "../registry.js";
import type { CliContext } from "./context.js";

/** `msint integrations [id]`: the table of integrations and their flows, or one integration in full. */
export function registerIntegrations(program: Command, cli: CliContext): void {
  program
    .command("integrations [id]")
    .description(
      "List the integrations and the authentication flows each supports; with an id, its flows, parameters and commands",
    )
    .option("--json", "print JSON")
    .action(async (id: string | undefined, options: { json?: boolean }) => {
      if (id) await describeIntegration(cli, id, Boolean(options.json));
      else await listIntegrations(cli, Boolean(options.json));
    });
}

async function describeIntegration(cli: CliContext, id: string, json: boolean): Promise<void> {
  const integration = await requireIntegration(id);
  const { integrationJson, integrationText } = await import("../describe.js");
  if (json) cli.printJson(integrationJson(integration));
  else cli.io.out(integrationText(integration));
}

async function listIntegrations(cli: CliContext, json: boolean): Promise<void> {
  const integrations = await loadAllIntegrations();
  const rows = integrations.map(({ manifest }) => ({
    id: manifest.id,
    displayName: manifest.displayName,
    commandPrefix: manifest.commandPrefix,
    flows: flowTableWords(manifest.flows),
  }));
  if (json) {
    cli.printJson(rows);
    return;
  }
  cli.human(
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
}
