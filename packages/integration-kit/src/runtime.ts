import {
  type CommandFormatter,
  type ContextAccess,
  type ContextStore,
  createTransport,
  formatCommand,
  type IntegrationContext,
  MsintError,
  ParameterError,
  TokenProvider,
  type Transport,
  withCommandFormatter,
} from "@msint/auth-core/internal";
import { type ApiClient, type Authorization, bearer, createApiClient } from "./api-client.js";
import { UsageError } from "./args.js";
import {
  createStrategy,
  FLOW_NAMES,
  type ResolvedEndpoints,
  resolveEndpoints,
  scopesFor,
  selectFlow,
} from "./auth.js";
import { generateLoginUrl, startDeviceAuthorization } from "./auth-commands.js";
import type { Integration } from "./define.js";
import type {
  ArgumentDefinition,
  CommandContext,
  CommandDefinition,
  ResourceDefinition,
} from "./manifest.js";
import { type ParameterValues, resolveParameterValues, toBoolean } from "./parameters.js";
import type { CommandResult } from "./results.js";

/** One configured instance, as persisted: its integration, its parameters and its integration context. */
export interface InstanceDocument {
  version: 1;
  name: string;
  integration: string;
  params: ParameterValues;
  context?: IntegrationContext;
  createdAt: string;
  updatedAt: string;
}

export interface RunCommandOptions {
  store: ContextStore<InstanceDocument>;
  /** The instance as already read by the caller (saves a read on the hot path). */
  document: InstanceDocument;
  env?: NodeJS.ProcessEnv;
  /** Overrides the transport built from the instance's proxy/insecure parameters (tests, benchmarks). */
  transport?: Transport;
  now?: () => number;
  /** Progress of long waits (device-code polling with wait=true): seconds left until the code expires. */
  onProgress?: (
    secondsLeft: number,
    signIn: { verificationUri: string; userCode?: string | undefined },
  ) => void;
  /**
   * How hints and next-page lines name commands: the War Room form `!command name="value"` by default; a shell
   * says `msint run command name='value' --instance NAME`. Errors thrown by the command use it too.
   */
  formatCommand?: CommandFormatter;
}

/** Read/update access to the `context` part of an instance document. */
export function contextAccess(store: ContextStore<InstanceDocument>, name: string): ContextAccess {
  return {
    read: async () => (await store.read(name))?.context,
    update: async (fn) => {
      let result: IntegrationContext | undefined;
      await store.update(name, async (document) => {
        if (!document) throw new MsintError(`The instance "${name}" was removed while the command ran.`);
        const next = await fn(document.context);
        result = next;
        if (next === document.context) return document;
        return { ...document, context: next ?? {}, updatedAt: new Date().toISOString() };
      });
      return result;
    },
  };
}

const NO_ARGUMENTS: CommandDefinition = { description: "", run: async () => ({ readable: "" }) };
const LOGIN_URL_ARGUMENTS: CommandDefinition = {
  ...NO_ARGUMENTS,
  arguments: [
    {
      name: "consent",
      description: "true to ask the user for consent again (prompt=consent)",
      predefined: ["true", "false"],
    },
  ],
};
const AUTH_COMPLETE_ARGUMENTS: CommandDefinition = {
  ...NO_ARGUMENTS,
  arguments: [
    {
      name: "wait",
      description: "true to wait until the sign-in is finished",
      predefined: ["true", "false"],
    },
  ],
};

/** The query parameters of an account SAS token (parameter "Account SAS Token"), with or without its leading `?`. */
function sharedAccessSignatureQuery(
  params: Record<string, string | boolean | undefined>,
): Record<string, string> {
  const raw = typeof params["sas_token"] === "string" ? params["sas_token"].trim().replace(/^\?/, "") : "";
  const query = Object.fromEntries(new URLSearchParams(raw));
  if (!raw || !query["sig"] || !query["sv"]) {
    throw new ParameterError(
      "Account SAS Token must be an account SAS token with at least sv= and sig= (Storage account > Shared access signature > Generate SAS and connection string).",
      "Account SAS Token",
    );
  }
  return query;
}

function parseArguments(name: string, definition: CommandDefinition, raw: Record<string, string>) {
  const declared = definition.arguments ?? [];
  const byName = new Map<string, ArgumentDefinition>(declared.map((argument) => [argument.name, argument]));
  for (const given of Object.keys(raw)) {
    if (!byName.has(given)) {
      const known = declared.map((argument) => argument.name);
      throw new UsageError(
        `${name} has no argument "${given}". ${known.length ? `Its arguments: ${known.join(", ")}.` : "It takes no arguments."}`,
      );
    }
  }
  const args: Record<string, string> = {};
  for (const argument of declared) {
    const value = raw[argument.name] ?? argument.defaultValue;
    if (value === undefined || value === "") {
      if (argument.required) {
        throw new UsageError(
          `${name} needs the argument ${argument.name} (${argument.description}). Add ${argument.name}=<value>.`,
        );
      }
      continue;
    }
    if (argument.predefined && !argument.predefined.includes(value)) {
      throw new UsageError(
        `${argument.name} must be one of: ${argument.predefined.join(", ")} (got "${value}").`,
      );
    }
    args[argument.name] = value;
  }
  return args;
}

function resetGuidance(
  integration: Integration,
  params: Record<string, string | boolean | undefined>,
  warRoom: boolean,
): string {
  const prefix = integration.manifest.commandPrefix;
  const cmd = (name: string) => formatCommand(`${prefix}-${name}`);
  let flow: string | undefined;
  try {
    flow = selectFlow(integration.manifest, params).flow;
  } catch {
    flow = undefined;
  }
  const lines = [
    // The seed's words where they are read, in XSOAR; elsewhere there is no Test button to click.
    warRoom
      ? "Authorization was reset successfully. Please regenerate the credentials, and then click **Test** to validate the credentials and connection."
      : "Authorization was reset successfully: the stored tokens and sign-in state are gone.",
  ];
  if (flow === "authorization-code") {
    lines.push(
      `Next: check the Client ID, Client Secret, Tenant ID and Application redirect URI, run ${cmd("generate-login-url")} to get a new Authorization code, then run ${cmd("auth-test")}.`,
    );
  } else if (flow === "device-code") {
    lines.push(`Next: run ${cmd("auth-start")} and ${cmd("auth-complete")}, then ${cmd("auth-test")}.`);
  } else {
    lines.push(
      `Next: run ${cmd("auth-test")}; the next command requests a new token with the app's current permissions.`,
    );
  }
  return lines.join("\n");
}

/** Lists the integration's commands for "unknown command" errors. */
function unknownCommand(integration: Integration, name: string): UsageError {
  return new UsageError(
    `${integration.manifest.displayName} has no command "${name}". Its commands: ${integration.commandNames().join(", ")}.`,
  );
}

/**
 * Runs one command of an instance: the kit's generated auth commands or the integration's own, with the flow
 * the instance's parameters select.
 */
export function runCommand(
  integration: Integration,
  commandName: string,
  rawArgs: Record<string, string>,
  options: RunCommandOptions,
): Promise<CommandResult> {
  return withCommandFormatter(options.formatCommand, () =>
    runInstanceCommand(integration, commandName, rawArgs, options),
  );
}

async function runInstanceCommand(
  integration: Integration,
  commandName: string,
  rawArgs: Record<string, string>,
  options: RunCommandOptions,
): Promise<CommandResult> {
  const { manifest } = integration;
  const prefix = manifest.commandPrefix;
  const own = integration.ownCommand(commandName);
  if (!own && !integration.authCommands.includes(commandName)) throw unknownCommand(integration, commandName);
  const env = options.env ?? process.env;
  const { store, document } = options;
  const params = resolveParameterValues(integration.parameters, document.params, env);

  if (commandName === `${prefix}-auth-reset`) {
    parseArguments(commandName, NO_ARGUMENTS, rawArgs);
    // Every piece of auth state goes, and so does the pasted authorization code: it is single-use, and sending
    // it again after a reset would only be refused.
    await store.update(document.name, (current) => {
      if (!current) return current;
      const { auth_code: _consumed, ...kept } = current.params;
      return { ...current, params: kept, context: {}, updatedAt: new Date().toISOString() };
    });
    return { readable: resetGuidance(integration, params, !options.formatCommand) };
  }

  const endpoints = resolveEndpoints(manifest, params);
  const transport =
    options.transport ??
    createTransport({ insecure: toBoolean(params["insecure"]), proxy: toBoolean(params["proxy"]) });
  const selection = selectFlow(manifest, params);
  type Authorize = (forceRefresh: boolean) => Promise<Authorization>;
  let authorize: Authorize;
  let authorizeFor: (resource: ResourceDefinition, resourceEndpoints: ResolvedEndpoints) => Authorize;
  if (selection.flow === "shared-access-signature") {
    const query = sharedAccessSignatureQuery(params);
    authorize = async () => ({ query, fromCache: false });
    authorizeFor = () => authorize;
  } else if (commandName === `${prefix}-generate-login-url` || commandName === `${prefix}-auth-start`) {
    const input = {
      manifest,
      params,
      endpoints,
      transport,
      access: contextAccess(store, document.name),
      instance: document.name,
      now: options.now,
    };
    if (commandName === `${prefix}-auth-start`) {
      parseArguments(commandName, NO_ARGUMENTS, rawArgs);
      return startDeviceAuthorization(input);
    }
    const args = parseArguments(commandName, LOGIN_URL_ARGUMENTS, rawArgs);
    return generateLoginUrl(input, toBoolean(args["consent"]));
  } else {
    const completing = commandName === `${prefix}-auth-complete`;
    const args = completing ? parseArguments(commandName, AUTH_COMPLETE_ARGUMENTS, rawArgs) : {};
    const deviceCodeWait =
      completing && toBoolean(args["wait"]) ? { onProgress: options.onProgress } : undefined;
    const access = contextAccess(store, document.name);
    // One strategy and provider per resource (the audience is part of a managed identity's or the broker's
    // request); they share the instance's context, so a refresh token rotated for one serves the others.
    authorizeFor = (resource, resourceEndpoints) => {
      const strategy = createStrategy({
        manifest,
        params,
        endpoints: resourceEndpoints,
        transport,
        deviceCodeWait,
        env,
      });
      const provider = new TokenProvider(strategy, access, { now: options.now }).useSnapshot(
        document.context,
      );
      const scopes = scopesFor(manifest, strategy.flow, resourceEndpoints, resource);
      return async (forceRefresh) => bearer(await provider.getToken(scopes, { forceRefresh }));
    };
    authorize = authorizeFor(manifest.resource, endpoints);
    if (completing) {
      // Redeem the device code now, whatever token may still be cached.
      await authorize(true);
      return { readable: "✅ Authorization completed successfully." };
    }
  }
  const api = createApiClient({
    baseUrl: endpoints.apiBase,
    transport,
    authorize,
    headers: manifest.resource.headers,
    commandPrefix: prefix,
    serviceName: manifest.resource.displayName,
    commandName,
    integration: manifest,
  });
  const additional = new Map<string, ApiClient>();
  const apiFor = (key: string): ApiClient => {
    const resource = Object.hasOwn(manifest.additionalResources ?? {}, key)
      ? manifest.additionalResources![key]
      : undefined;
    if (!resource) {
      throw new MsintError(
        `${manifest.displayName} declares no additional resource "${key}" (it has: ${Object.keys(manifest.additionalResources ?? {}).join(", ") || "none"}).`,
      );
    }
    let client = additional.get(key);
    if (!client) {
      const resourceEndpoints = resolveEndpoints(manifest, params, resource);
      client = createApiClient({
        baseUrl: resourceEndpoints.apiBase,
        transport,
        authorize: authorizeFor(resource, resourceEndpoints),
        headers: resource.headers,
        commandPrefix: prefix,
        serviceName: resource.displayName,
        commandName,
        integration: manifest,
      });
      additional.set(key, client);
    }
    return client;
  };
  const context: CommandContext = {
    args: {},
    params,
    api,
    instance: document.name,
    apiFor,
    formatCommand: (command, args) => formatCommand(command, args),
  };

  if (commandName === `${prefix}-auth-test`) {
    parseArguments(commandName, NO_ARGUMENTS, rawArgs);
    await authorize(false);
    return { readable: "✅ Success!" };
  }
  if (commandName === `${prefix}-test`) {
    parseArguments(commandName, NO_ARGUMENTS, rawArgs);
    await authorize(false);
    await manifest.test?.(context);
    return {
      readable: `✅ Success! ${manifest.displayName} authenticated with ${FLOW_NAMES[selection.flow]} and reached ${manifest.resource.displayName}.`,
    };
  }
  const definition = own!;
  context.args = parseArguments(commandName, definition, rawArgs);
  return definition.run(context);
}
