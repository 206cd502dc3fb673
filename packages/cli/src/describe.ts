import {
  type ArgumentDefinition,
  type CommandDefinition,
  flowTableWords,
  generatedCommand,
  type Integration,
  type OutputDefinition,
  type ParameterDefinition,
} from "@msint/integration-kit";
import { type FlowPlan, flowPlans, nameIn, otherParameters, settingWords } from "./flow-plans.js";
import { alignColumns } from "./format.js";

/** A command of an integration, generated or its own, with what help needs. */
export interface DescribedCommand {
  name: string;
  description: string;
  arguments: readonly ArgumentDefinition[];
  outputs: readonly OutputDefinition[];
}

export function describeCommand(integration: Integration, name: string): DescribedCommand | undefined {
  const own: CommandDefinition | undefined = integration.ownCommand(name);
  if (own) {
    return {
      name,
      description: own.description,
      arguments: own.arguments ?? [],
      outputs: own.outputs ?? [],
    };
  }
  // The kit's table of generated commands says what each does and takes.
  const generated = generatedCommand(integration, name);
  if (!generated) return undefined;
  return { name, description: generated.description, arguments: generated.arguments, outputs: [] };
}

function argumentNote(argument: ArgumentDefinition): string {
  const notes = [
    argument.required ? "required" : "",
    argument.defaultValue !== undefined ? `default ${argument.defaultValue}` : "",
    argument.predefined ? `one of ${argument.predefined.join(", ")}` : "",
  ].filter(Boolean);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

function exampleValue(argument: ArgumentDefinition): string {
  if (argument.predefined?.length) return argument.predefined[0]!;
  if (argument.defaultValue !== undefined) return argument.defaultValue;
  return `<${argument.name}>`;
}

/** `msint help <command>` / `msint run <command> --help`: description, arguments, outputs and an example. */
export function commandHelp(integration: Integration, name: string, instance = "NAME"): string {
  const command = describeCommand(integration, name)!;
  const lines = [`Usage: msint run ${name} [name=value ...] --instance ${instance} [--json]`, ""];
  lines.push(`${command.description}`, "");
  lines.push(`Integration: ${integration.manifest.displayName} (${integration.manifest.id})`, "");
  if (command.arguments.length === 0) {
    lines.push("Arguments: none");
  } else {
    lines.push("Arguments:");
    for (const argument of command.arguments) {
      lines.push(`  ${argument.name}${argumentNote(argument)}`, `      ${argument.description}`);
    }
  }
  if (command.outputs.length > 0) {
    lines.push("", "Outputs (--json prints them under outputs):");
    lines.push(
      alignColumns(
        ["Path", "Type", "Description"],
        command.outputs.map((output) => [output.path, output.type, output.description]),
      )
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n"),
    );
  }
  const required = command.arguments.filter((argument) => argument.required);
  const withValue = command.arguments.find(
    (argument) => argument.defaultValue !== undefined || argument.predefined?.length,
  );
  const shown = required.length > 0 ? required : withValue ? [withValue] : command.arguments.slice(0, 1);
  const example = shown.map((argument) => `${argument.name}=${exampleValue(argument)}`).join(" ");
  lines.push("", "Example:", `  msint run ${name}${example ? ` ${example}` : ""} --instance ${instance}`);
  return `${lines.join("\n")}\n`;
}

function parameterJson(definition: ParameterDefinition, plan?: FlowPlan) {
  return {
    key: definition.key,
    name: plan ? nameIn(plan, definition) : definition.displayName,
    type: definition.type,
    help: definition.help,
    ...(definition.options ? { choices: definition.options } : {}),
    ...(definition.defaultValue !== undefined ? { default: definition.defaultValue } : {}),
  };
}

/** `msint integrations <id> --json`: flows with their parameters, other parameters, commands. */
export function integrationJson(integration: Integration) {
  const { manifest } = integration;
  const p = integration.parameter.bind(integration);
  return {
    id: manifest.id,
    displayName: manifest.displayName,
    commandPrefix: manifest.commandPrefix,
    description: manifest.description ?? null,
    flows: flowPlans(integration).map((plan) => ({
      flow: plan.flow,
      name: plan.title,
      settings: plan.settings,
      required: plan.required.map((definition) => parameterJson(definition, plan)),
      credential: plan.credential
        ? {
            oneOf: [
              ["enc_key"],
              ...(p("certificate_thumbprint") ? [["certificate_thumbprint", "private_key"]] : []),
            ],
          }
        : null,
      optional: plan.optional.map((definition) => parameterJson(definition, plan)),
    })),
    supported: flowTableWords(manifest.flows),
    parameters: otherParameters(integration).map((definition) => parameterJson(definition)),
    commands: integration.commandNames().map((name) => {
      const command = describeCommand(integration, name)!;
      return {
        name,
        description: command.description,
        arguments: command.arguments.map((argument) => ({
          name: argument.name,
          description: argument.description,
          required: Boolean(argument.required),
          ...(argument.defaultValue !== undefined ? { default: argument.defaultValue } : {}),
          ...(argument.predefined ? { choices: argument.predefined } : {}),
        })),
        outputs: command.outputs,
      };
    }),
  };
}

/** The flows of an integration and the parameters each needs, as `instance add --help` and `integrations <id>` show them. */
export function flowsText(integration: Integration): string {
  const lines: string[] = [];
  const { id } = integration.manifest;
  for (const plan of flowPlans(integration)) {
    lines.push(`  ${plan.title}`);
    const settings = settingWords(plan.settings);
    const required = plan.required.map(
      (definition) => `--param ${definition.key}=<${nameIn(plan, definition)}>`,
    );
    if (plan.credential) required.push("--param enc_key=<Client Secret>");
    lines.push(
      `    msint instance add NAME --integration ${id}${settings ? ` ${settings}` : ""}${required.length ? ` ${required.join(" ")}` : ""}`,
    );
    for (const definition of plan.required)
      lines.push(`      ${definition.key}  ${nameIn(plan, definition)} (required)`);
    if (plan.credential) {
      lines.push(`      enc_key  Client Secret (required, or certificate_thumbprint with private_key)`);
      if (integration.parameter("certificate_thumbprint"))
        lines.push("      certificate_thumbprint, private_key  Certificate Thumbprint and Private Key");
    }
    for (const definition of plan.optional)
      lines.push(`      ${definition.key}  ${nameIn(plan, definition)} (optional)`);
  }
  return lines.join("\n");
}

/** The parameters no flow chooses, with their help. */
export function otherParametersText(integration: Integration): string {
  return otherParameters(integration)
    .map((definition) => {
      const extra = [
        definition.options ? `one of ${definition.options.join(", ")}` : "",
        definition.defaultValue !== undefined && definition.defaultValue !== ""
          ? `default ${definition.defaultValue}`
          : "",
      ].filter(Boolean);
      return `  ${definition.key}  ${definition.displayName}${extra.length ? ` (${extra.join("; ")})` : ""}\n      ${definition.help}`;
    })
    .join("\n");
}

/** `msint integrations <id>`: the whole description for a person. */
export function integrationText(integration: Integration): string {
  const { manifest } = integration;
  const lines = [`${manifest.displayName} (${manifest.id}), command prefix ${manifest.commandPrefix}`];
  if (manifest.description) lines.push(manifest.description);
  lines.push("", "Flows, and the parameters each needs:", flowsText(integration));
  lines.push("", "Other parameters:", otherParametersText(integration));
  lines.push("", "Commands (msint help <command> for one of them):");
  const rows = integration.commandNames().map((name) => {
    const command = describeCommand(integration, name)!;
    const args = command.arguments
      .map((argument) => (argument.required ? `${argument.name}=…` : `[${argument.name}=…]`))
      .join(" ");
    return [name, args, command.description];
  });
  lines.push(
    alignColumns(["Command", "Arguments", "Description"], rows)
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n"),
  );
  return `${lines.join("\n")}\n`;
}

/** The help appended to `msint instance add --integration <id> --help`. */
export function addHelpText(integration: Integration): string {
  return `\nParameters of ${integration.manifest.displayName}, by flow:\n${flowsText(integration)}\n\nOther parameters:\n${otherParametersText(integration)}\n\nOn a terminal, without --param, msint asks for them.\n`;
}

/** Why `msint instance add NAME --integration ID` without parameters stops when it cannot ask for them. */
export function missingParametersMessage(integration: Integration, name: string): string {
  return `msint instance add ${name} needs the parameters of one of the flows of ${integration.manifest.displayName}; give them with --param (or run it on a terminal, where msint asks for them):\n${flowsText(integration).replace(/NAME/g, name)}\nmsint integrations ${integration.manifest.id} describes every parameter.`;
}
