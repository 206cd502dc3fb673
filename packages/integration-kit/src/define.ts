import { brandErrorClass, MsintError, type MsintErrorOptions } from "@msint/auth-core/internal";
import { generatedCommandNames } from "./auth-commands.js";
import { extensionsProblem, flowParameters } from "./flows/index.js";
import type { CheckedCommands, CommandDefinition, IntegrationManifest } from "./manifest.js";
import { AUTH_PARAMETERS, type ParameterDefinition } from "./parameters.js";

/**
 * A defined integration: its manifest plus everything the kit derives from it. `M` keeps the manifest's literal
 * type (command names, argument names), which {@link connect} uses to type `run()`.
 */
export interface Integration<M extends IntegrationManifest = IntegrationManifest> {
  readonly manifest: M;
  /** Every instance parameter the integration accepts: the auth ones its flows need, then its own. */
  readonly parameters: readonly ParameterDefinition[];
  /** Names of the generated auth commands. */
  readonly authCommands: readonly string[];
  /** All command names: generated ones first, then the integration's own. */
  commandNames(): string[];
  /** The integration's own command, if any. */
  ownCommand(name: string): CommandDefinition | undefined;
  /** The command a deprecated alias stands for; any other name as it is. */
  canonicalName(name: string): string;
  parameter(key: string): ParameterDefinition | undefined;
}

/** Thrown when a manifest is malformed; names the integration. */
export class ManifestError extends MsintError {
  override name = "ManifestError";

  static {
    brandErrorClass(ManifestError, "ManifestError");
  }

  constructor(message: string, options: MsintErrorOptions = {}) {
    super(message, { code: "invalid_manifest", ...options });
  }
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const XSOAR_VALUES = [false, "yes", "device"] as const;
const MI_VALUES = [false, true, "saas"] as const;

function check(condition: unknown, id: string, message: string): asserts condition {
  if (!condition) throw new ManifestError(`Integration "${id}": ${message}`);
}

function validateManifest(manifest: IntegrationManifest): void {
  const id = typeof manifest?.id === "string" ? manifest.id : "(no id)";
  check(ID_PATTERN.test(id), id, "id must be a lower-case slug such as msgraph-user.");
  check(
    typeof manifest.displayName === "string" && manifest.displayName.trim(),
    id,
    "displayName is required.",
  );
  check(ID_PATTERN.test(manifest.commandPrefix ?? ""), id, "commandPrefix must be a lower-case slug.");
  const flows = manifest.flows;
  check(flows && typeof flows === "object", id, "flows is required.");
  check(XSOAR_VALUES.includes(flows.xsoarApp), id, 'flows.xsoarApp must be false, "yes" or "device".');
  check(
    MI_VALUES.includes(flows.managedIdentities),
    id,
    'flows.managedIdentities must be true, false or "saas".',
  );
  for (const key of ["clientCredentials", "deviceCode", "authorizationCode", "nationalClouds"] as const) {
    check(typeof flows[key] === "boolean", id, `flows.${key} must be true or false.`);
  }
  const extensions = extensionsProblem(manifest);
  check(extensions === undefined, id, extensions ?? "");
  check(manifest.resource && typeof manifest.resource.endpoint === "function", id, "resource is required.");
  for (const [key, resource] of Object.entries(manifest.additionalResources ?? {})) {
    check(
      /^[a-z][a-z0-9-]*$/.test(key) && typeof resource?.endpoint === "function",
      id,
      `additional resource "${key}" needs a lower-case key and an endpoint.`,
    );
    check(!resource.sharedAccessSignature, id, `additional resource "${key}" cannot use a SAS token.`);
  }
  // `<prefix>-test` calls the API: through the manifest's test, else a probe of each resource.
  if (!manifest.test) {
    for (const resource of [manifest.resource, ...Object.values(manifest.additionalResources ?? {})]) {
      check(
        resource.probe,
        id,
        `${resource.displayName} has no probe and the manifest has no test: declare \`test\` (cheap reads of the API) or give the resource a \`probe\`, so that ${manifest.commandPrefix}-test calls the API.`,
      );
    }
  }
  // XSOAR's names do not always share the prefix (azure-list-resource-groups, msgraph-direct-reports): any
  // lower-case slug is a command name.
  for (const name of Object.keys(manifest.commands ?? {})) {
    check(
      ID_PATTERN.test(name),
      id,
      `command "${name}" must be a lower-case slug such as msgraph-user-list.`,
    );
    check(typeof manifest.commands[name]?.run === "function", id, `command "${name}" has no run function.`);
  }
  for (const [suffix, name] of Object.entries(manifest.generatedCommandNames ?? {})) {
    check(
      ID_PATTERN.test(name ?? "") && !(name! in (manifest.commands ?? {})),
      id,
      `generatedCommandNames["${suffix}"] must be a lower-case slug that no own command uses.`,
    );
  }
  if (manifest.builtInClientId !== undefined) {
    check(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(manifest.builtInClientId),
      id,
      "builtInClientId must be an application (client) ID, a GUID.",
    );
  }
}

/** Checks the deprecated aliases against the integration's command names (own and generated). */
function validateAliases(manifest: IntegrationManifest, names: readonly string[]): void {
  for (const [alias, target] of Object.entries(manifest.deprecatedAliases ?? {})) {
    check(ID_PATTERN.test(alias), manifest.id, `deprecated alias "${alias}" must be a lower-case slug.`);
    check(!names.includes(alias), manifest.id, `deprecated alias "${alias}" is also a command's name.`);
    check(names.includes(target), manifest.id, `deprecated alias "${alias}" names no command ("${target}").`);
  }
}

function authParametersFor(manifest: IntegrationManifest): ParameterDefinition[] {
  const p = AUTH_PARAMETERS;
  // The parameters of the flows it supports, from the flow registry (src/flows/).
  const list: ParameterDefinition[] = flowParameters(manifest);
  // Where the resource's own parameters choose the cloud (Defender's Endpoint Type), Azure Cloud has no default:
  // left empty, it follows them.
  const azureCloud: ParameterDefinition = manifest.resource.cloudFor
    ? {
        ...p.azure_cloud,
        defaultValue: undefined,
        help: `${p.azure_cloud.help} Leave it empty to use the cloud that the ${manifest.resource.parameters?.[0]?.displayName ?? "resource"} chooses.`,
      }
    : p.azure_cloud;
  list.push(azureCloud, p.azure_ad_endpoint, p.server_url, p.insecure, p.proxy);
  // XSOAR's yml gives the App/Client ID the vendor's public client as default: an instance without one uses it.
  const builtIn = manifest.builtInClientId;
  if (builtIn === undefined) return list;
  return list.map((parameter) =>
    parameter.key === p.auth_id.key
      ? {
          ...parameter,
          defaultValue: builtIn,
          help: `${parameter.help} Leave it empty to use the Cortex XSOAR application's public client ${builtIn} (device code).`,
        }
      : parameter,
  );
}

/**
 * Declares an integration. Validates the manifest at once (the error names the integration) and derives its
 * parameters and generated auth commands. The manifest's literal type is kept (a `const` type parameter), so
 * `connect(integration).run()` knows its commands and their arguments.
 */
export function defineIntegration<const M extends IntegrationManifest>(
  manifest: M & { commands: CheckedCommands<M["commands"]> },
): Integration<M> {
  validateManifest(manifest);
  // The resources' parameters (Endpoint Type, vault name …), each once, then the integration's own.
  const fromResources = new Map<string, ParameterDefinition>();
  for (const resource of [manifest.resource, ...Object.values(manifest.additionalResources ?? {})]) {
    for (const parameter of resource.parameters ?? []) {
      if (!fromResources.has(parameter.key)) fromResources.set(parameter.key, parameter);
    }
  }
  // An additional resource's endpoint for Azure Cloud = Custom (Server URL is the main resource's).
  for (const resource of Object.values(manifest.additionalResources ?? {})) {
    const parameter = resource.customEndpoint;
    if (parameter && !fromResources.has(parameter.key)) fromResources.set(parameter.key, parameter);
  }
  const own = [...fromResources.values(), ...(manifest.parameters ?? [])];
  const parameters = [...authParametersFor(manifest), ...own];
  const keys = new Set<string>();
  for (const parameter of parameters) {
    check(!keys.has(parameter.key), manifest.id, `parameter "${parameter.key}" is declared twice.`);
    keys.add(parameter.key);
  }
  const authCommands = generatedCommandNames(manifest);
  for (const name of authCommands) {
    check(
      !(name in manifest.commands),
      manifest.id,
      `command "${name}" is generated by the kit; do not declare it.`,
    );
  }
  validateAliases(manifest, [...authCommands, ...Object.keys(manifest.commands)]);
  const byKey = new Map(parameters.map((parameter) => [parameter.key, parameter]));
  return Object.freeze({
    manifest,
    parameters,
    authCommands,
    commandNames: () => [...authCommands, ...Object.keys(manifest.commands)],
    canonicalName: (name: string) =>
      Object.hasOwn(manifest.deprecatedAliases ?? {}, name) ? manifest.deprecatedAliases![name]! : name,
    ownCommand: (name: string) =>
      Object.hasOwn(manifest.commands, name) ? manifest.commands[name] : undefined,
    parameter: (key: string) => byKey.get(key),
  });
}
