import { CLOUDS } from "@msint/auth-core";
import {
  type CommandDefinition,
  flowDefinitions,
  flowTableWords,
  type Integration,
  type IntegrationManifest,
  inColumnOrder,
  type ParameterDefinition,
  type PermissionSpec,
  permissionsOf,
  qualifyScope,
  type ResolvedParams,
  testPermissions,
} from "@msint/integration-kit";
import { FLOW_COLUMNS } from "./flows.js";

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(headings: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${headings.join(" | ")} |`,
    `|${headings.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

/** Parameters with placeholders (`<vault_name>`) so a resource's endpoint can be shown without an instance. */
function placeholderParams(integration: Integration): ResolvedParams {
  const params: ResolvedParams = {};
  for (const parameter of integration.parameters) {
    params[parameter.key] =
      parameter.defaultValue !== undefined
        ? parameter.defaultValue
        : parameter.type === "boolean"
          ? false
          : parameter.type === "select"
            ? undefined
            : `{${parameter.key}}`;
  }
  params["azure_cloud"] = undefined;
  params["server_url"] = undefined;
  return params;
}

function safely(run: () => string): string {
  try {
    return decodeURI(run()).replace(/%7B/gi, "{").replace(/%7D/gi, "}");
  } catch (error) {
    return `(${(error as Error).message})`;
  }
}

/** The flows an instance can choose, with how to pick each: the flow registry's lines, in the seed's column order. */
function flowLines(integration: Integration): string[] {
  return inColumnOrder(flowDefinitions()).flatMap((definition) => {
    const line = definition.docs.reference(integration.manifest);
    return line === undefined ? [] : [line];
  });
}

function parameterRows(parameters: readonly ParameterDefinition[]): string[][] {
  return parameters.map((parameter) => [
    `\`${parameter.key}\``,
    parameter.displayName +
      (parameter.xsoarAppName ? ` (Cortex XSOAR application: ${parameter.xsoarAppName})` : ""),
    parameter.type + (parameter.options ? `: ${parameter.options.join(", ")}` : ""),
    parameter.help +
      (parameter.defaultValue !== undefined && parameter.defaultValue !== ""
        ? ` Default: ${parameter.defaultValue}.`
        : ""),
  ]);
}

/** "Application: A (or B); Delegated: C; Azure RBAC: R" for one permission spec, with its resource if not the main one. */
function describePermissionSpec(manifest: IntegrationManifest, spec: PermissionSpec): string {
  const any = (list: readonly string[]) => list.map((name) => `\`${name}\``).join(" or ");
  const parts = [
    ...(spec.application?.length ? [`Application ${any(spec.application)}`] : []),
    ...(spec.delegated?.length ? [`Delegated ${any(spec.delegated)}`] : []),
    ...(spec.rbac?.length ? [`Azure RBAC ${any(spec.rbac)}`] : []),
  ];
  const where =
    spec.resource === undefined
      ? ""
      : ` (${manifest.additionalResources?.[spec.resource]?.displayName ?? spec.resource})`;
  return `${parts.join("; ")}${where}`;
}

function permissionsLine(manifest: IntegrationManifest, command: CommandDefinition): string | undefined {
  const specs = permissionsOf(command);
  if (specs.length === 0) return undefined;
  return `Permissions: ${specs.map((spec) => describePermissionSpec(manifest, spec)).join(" · ")}.`;
}

/** The Permissions section: what `-test` needs and what each command needs, as the manifest declares them. */
function permissionsSection(manifest: IntegrationManifest): string {
  const rows = Object.entries(manifest.commands).map(([name, command]) => [
    `\`${name}\``,
    permissionsOf(command)
      .map((spec) => describePermissionSpec(manifest, spec))
      .join(" · ") || "(not declared)",
  ]);
  const test = testPermissions(manifest)
    .map((spec) => describePermissionSpec(manifest, spec))
    .join(" · ");
  return [
    "## Permissions",
    "",
    `\`${manifest.commandPrefix}-test\` needs: ${test || "(nothing beyond a token)"}. \`-auth-test\` and \`-test\` compare the token's \`roles\` (application) or \`scp\` (delegated) with these and name what is missing. Within a cell, any one permission suffices (least privileged first); Azure RBAC roles are not in tokens and are checked by the service.`,
    "",
    table(["Command", "Needs"], rows),
  ].join("\n");
}

function commandSection(manifest: IntegrationManifest, name: string, command: CommandDefinition): string {
  const parts = [`### \`${name}\``, "", command.description];
  const needs = permissionsLine(manifest, command);
  if (needs) parts.push("", needs);
  const args = command.arguments ?? [];
  if (args.length) {
    parts.push(
      "",
      table(
        ["Argument", "Description", "Required", "Default", "Choices"],
        args.map((argument) => [
          `\`${argument.name}\``,
          argument.description,
          argument.required ? "yes" : "no",
          argument.defaultValue ?? "",
          argument.predefined?.join(", ") ?? "",
        ]),
      ),
    );
  }
  const outputs = command.outputs ?? [];
  if (outputs.length) {
    parts.push(
      "",
      table(
        ["Output", "Type", "Description"],
        outputs.map((output) => [`\`${output.path}\``, output.type, output.description]),
      ),
    );
  }
  return parts.join("\n");
}

/** An `msint instance add` line for the integration's most common flow. */
function exampleFor(integration: Integration): string {
  const { manifest } = integration;
  const { flows } = manifest;
  const id = manifest.id;
  const params: string[] = [];
  const own = [...(manifest.resource.parameters ?? []), ...(manifest.parameters ?? [])];
  if (flows.clientCredentials) {
    if (flows.xsoarApp) params.push("self_deployed=true");
    params.push(
      'auth_type="Client Credentials"',
      "tenant_id=<Directory (tenant) ID>",
      "auth_id=<Application (client) ID>",
      "enc_key=env:AZURE_CLIENT_SECRET",
    );
  } else if (manifest.resource.sharedAccessSignature) {
    params.push("sas_token=env:AZURE_STORAGE_SAS_TOKEN");
  } else if (flows.authorizationCode) {
    if (flows.xsoarApp) params.push("self_deployed=true");
    params.push(
      'auth_type="Authorization Code"',
      "tenant_id=<Directory (tenant) ID>",
      "auth_id=<Application (client) ID>",
      "enc_key=env:AZURE_CLIENT_SECRET",
      "redirect_uri=https://localhost",
    );
  }
  const sas = manifest.resource.sharedAccessSignature ? ["account_name=<storage account name>"] : [];
  for (const parameter of own) {
    if (parameter.defaultValue !== undefined) continue;
    params.push(`${parameter.key}=<${parameter.displayName}>`);
  }
  const command = Object.keys(manifest.commands)[0];
  const lines = [
    `msint instance add my-${id} --integration ${id} \\`,
    ...[...sas, ...params].map(
      (param, index, all) => `  --param ${param}${index < all.length - 1 ? " \\" : ""}`,
    ),
  ];
  if (!flows.clientCredentials && !manifest.resource.sharedAccessSignature && flows.authorizationCode) {
    lines.push(
      `msint run ${manifest.commandPrefix}-generate-login-url --instance my-${id}   # sign in, then set auth_code`,
    );
  }
  if (!manifest.resource.sharedAccessSignature)
    lines.push(`msint run ${manifest.commandPrefix}-auth-test --instance my-${id}`);
  if (command) lines.push(`msint run ${command} --instance my-${id}`);
  return ["```sh", ...lines, "```"].join("\n");
}

/** The reference page of an integration: flows, clouds, parameters, commands. `install` adds the README's parts. */
export function renderReference(integration: Integration, options: { readme?: boolean } = {}): string {
  const { manifest } = integration;
  const { resource } = manifest;
  const words = flowTableWords(manifest.flows);
  const params = placeholderParams(integration);
  const endpoint = safely(() => resource.endpoint(CLOUDS.com, params));
  const audience = resource.audience ? safely(() => resource.audience!(CLOUDS.com, params)) : endpoint;
  const scopes = (list: readonly string[]) =>
    list.length
      ? list.map((scope) => `\`${qualifyScope(scope, audience, resource.kind)}\``).join(" ")
      : "(none)";
  const sections: string[] = [];
  sections.push(`# ${options.readme ? `@msint/${manifest.id}` : manifest.displayName}`);
  sections.push(
    `<!-- Generated by \`pnpm docs\` from the manifest of @msint/${manifest.id}. Do not edit. -->\n\n${manifest.displayName}${manifest.description ? `: ${manifest.description}` : "."} Command prefix \`${manifest.commandPrefix}\`.`,
  );
  if (options.readme) {
    sections.push(
      `## Install\n\n\`\`\`sh\nnpm install @msint/${manifest.id}\n\`\`\`\n\nThe \`msint\` command line (\`@msint/cli\`) ships it; in code, \`import integration from "@msint/${manifest.id}"\` and run its commands with \`runCommand\` from \`@msint/integration-kit\`.`,
    );
  }
  sections.push(
    `## Auth flows\n\n${table(
      FLOW_COLUMNS.map((column) => column.heading),
      [FLOW_COLUMNS.map((column) => words[column.key])],
    )}\n\n${flowLines(integration).join("\n")}\n\nThe kit adds \`${integration.authCommands.join("`, `")}\`.`,
  );
  const permissions = manifest.permissions;
  sections.push(
    [
      "## Clouds",
      "",
      `Supports National Clouds: ${words.nationalClouds}. ${resource.displayName} on Worldwide: \`${endpoint}\`, token audience \`${audience}\`.${
        resource.headers
          ? ` Every request carries ${Object.entries(resource.headers)
              .map(([name, value]) => `\`${name}: ${value}\``)
              .join(", ")}.`
          : ""
      }`,
      "With *Azure Cloud* = Custom, *Azure AD endpoint* is the login host and *Server URL* the API endpoint.",
      "",
      `- Application scopes: ${scopes(resource.applicationScopes)}`,
      `- Delegated scopes: ${scopes(resource.delegatedScopes)}`,
      ...Object.entries(manifest.additionalResources ?? {}).map(([key, extra]) => {
        const extraEndpoint = safely(() => extra.endpoint(CLOUDS.com, params));
        const extraAudience = extra.audience
          ? safely(() => extra.audience!(CLOUDS.com, params))
          : extraEndpoint;
        const qualified = (list: readonly string[]) =>
          list.map((scope) => `\`${qualifyScope(scope, extraAudience, extra.kind)}\``).join(" ") || "(none)";
        return `- Also ${extra.displayName} (\`context.apiFor("${key}")\`, its own token): \`${extraEndpoint}\`, application scopes ${qualified(extra.applicationScopes)}, delegated scopes ${qualified(extra.delegatedScopes)}`;
      }),
      ...(permissions?.application?.length
        ? [`- Application permissions: ${permissions.application.join(", ")}`]
        : []),
      ...(permissions?.delegated?.length
        ? [`- Delegated permissions: ${permissions.delegated.join(", ")}`]
        : []),
    ].join("\n"),
  );
  sections.push(permissionsSection(manifest));
  sections.push(`## Example\n\n${exampleFor(integration)}`);
  sections.push(
    `## Parameters\n\n${table(["Key", "Display name", "Type", "Help"], parameterRows(integration.parameters))}`,
  );
  sections.push(
    `## Commands\n\n${Object.entries(manifest.commands)
      .map(([name, command]) => commandSection(manifest, name, command))
      .join("\n\n")}`,
  );
  return `${sections.join("\n\n")}\n`;
}
