import {
  type CommandFormatter,
  type ContextAccess,
  type ContextStore,
  createTransport,
  type FlowStrategy,
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
  type FlowSelection,
  type ResolvedEndpoints,
  resolveEndpoints,
  scopesFor,
  selectFlow,
} from "./auth.js";
import { generatedCommand } from "./auth-commands.js";
import type { Integration } from "./define.js";
import { clientCredentials } from "./flows/client-credentials.js";
import type {
  ArgumentDefinition,
  CommandContext,
  IntegrationManifest,
  ResolvedParams,
  ResourceDefinition,
} from "./manifest.js";
import { type ParameterValues, resolveParameterValues, toBoolean } from "./parameters.js";
import { forbiddenAdvice, readTokenClaims } from "./permissions.js";
import type { CommandResult } from "./results.js";
import { type ReachedRequest, runIntegrationTest, targetOf } from "./test-run.js";

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

/** Checks the given arguments against the declared ones: unknown, missing or not one of the predefined values. */
function parseArguments(
  name: string,
  definition: { readonly arguments?: readonly ArgumentDefinition[] | undefined },
  raw: Record<string, string>,
): Record<string, string> {
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

type Authorize = (forceRefresh: boolean) => Promise<Authorization>;

/** Where and how an instance's commands go: its endpoints, its transport and the flow its parameters select. */
interface Connection {
  endpoints: ResolvedEndpoints;
  transport: Transport;
  selection: FlowSelection;
}

function resolveConnection(
  manifest: IntegrationManifest,
  params: ResolvedParams,
  options: RunCommandOptions,
): Connection {
  const endpoints = resolveEndpoints(manifest, params);
  const transport =
    options.transport ??
    createTransport({ insecure: toBoolean(params["insecure"]), proxy: toBoolean(params["proxy"]) });
  return { endpoints, transport, selection: selectFlow(manifest, params) };
}

/** What a command runs with: the token of the main resource, and the context its handler gets. */
interface Session {
  authorize: Authorize;
  context: CommandContext;
}

interface SessionInput {
  integration: Integration;
  params: ResolvedParams;
  env: NodeJS.ProcessEnv;
  options: RunCommandOptions;
  connection: Connection;
  commandName: string;
  /** Poll a pending device code until the user has signed in (`-auth-complete wait=true`). */
  waitForSignIn: boolean;
  /** Told of every answer of every resource (`""` is the main one): `-test` names what it reached. */
  onAnswer?: (resourceKey: string, answer: { method: string; url: string; status: number }) => void;
}

/**
 * How each resource of the instance is authorized: the account SAS token, or one strategy and token provider per
 * resource (the audience is part of a managed identity's or the broker's request). The providers share the
 * instance's context, so a refresh token rotated for one serves the others.
 */
function authorizer(
  input: SessionInput,
): (resource: ResourceDefinition, endpoints: ResolvedEndpoints) => Authorize {
  const { integration, params, env, options, connection } = input;
  const { manifest } = integration;
  if (connection.selection.flow === "shared-access-signature") {
    const query = sharedAccessSignatureQuery(params);
    return () => async () => ({ query, fromCache: false });
  }
  const deviceCodeWait = input.waitForSignIn ? { onProgress: options.onProgress } : undefined;
  const { store, document } = options;
  const access = contextAccess(store, document.name);
  return (resource, resourceEndpoints) => {
    const strategy = resource.tenant
      ? fixedTenantStrategy(input, resource.tenant, resourceEndpoints)
      : createStrategy({
          manifest,
          params,
          endpoints: resourceEndpoints,
          transport: connection.transport,
          deviceCodeWait,
          env,
        });
    const provider = new TokenProvider(strategy, access, { now: options.now }).useSnapshot(document.context);
    const scopes = scopesFor(manifest, strategy.flow, resourceEndpoints, resource);
    return async (forceRefresh) => bearer(await provider.getToken(scopes, { forceRefresh }));
  };
}

/**
 * The strategy of a resource whose tenant the service fixes (`ResourceDefinition.tenant`): Client Credentials with
 * the instance's application and credential against that tenant, whatever the instance's own flow.
 */
function fixedTenantStrategy(
  input: SessionInput,
  tenant: string,
  endpoints: ResolvedEndpoints,
): FlowStrategy {
  const { integration, params, env, connection } = input;
  return clientCredentials.createStrategy!({
    manifest: integration.manifest,
    params: { ...params, tenant_id: tenant },
    endpoints,
    transport: connection.transport,
    env,
  });
}

/** Opens the instance's session: the main resource's authorization, its API client and the others' on demand. */
function openSession(input: SessionInput): Session {
  const { integration, params, options, connection, commandName } = input;
  const { manifest } = integration;
  const authorizeFor = authorizer(input);
  const advice = forbiddenAdvice(manifest, commandName);
  const clientFor = (
    key: string,
    resource: ResourceDefinition,
    endpoints: ResolvedEndpoints,
    authorize: Authorize,
  ) =>
    createApiClient({
      baseUrl: endpoints.apiBase,
      transport: connection.transport,
      authorize,
      headers: resource.headers,
      commandPrefix: manifest.commandPrefix,
      serviceName: resource.displayName,
      commandName,
      integration: manifest,
      ...(advice === undefined ? {} : { forbiddenAdvice: advice }),
      ...(input.onAnswer ? { onAnswer: (answer) => input.onAnswer!(key, answer) } : {}),
    });
  const authorize = authorizeFor(manifest.resource, connection.endpoints);
  const api = clientFor("", manifest.resource, connection.endpoints, authorize);
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
      const endpoints = resolveEndpoints(manifest, params, resource);
      client = clientFor(key, resource, endpoints, authorizeFor(resource, endpoints));
      additional.set(key, client);
    }
    return client;
  };
  // Other endpoints of the main resource (another key vault): the resource builds the URL from the name, and the
  // client shares the main resource's authorization, since the token's audience is the same.
  const named = new Map<string, ApiClient>();
  const apiAt = (name: string): ApiClient => {
    const resource = manifest.resource;
    if (!resource.namedEndpoint) {
      throw new MsintError(`${resource.displayName} has one endpoint per instance: the instance's own.`);
    }
    let client = named.get(name);
    if (!client) {
      const apiBase = resource.namedEndpoint(connection.endpoints.cloud, connection.endpoints.apiBase, name);
      client = clientFor("", resource, { ...connection.endpoints, apiBase }, authorize);
      named.set(name, client);
    }
    return client;
  };
  const context: CommandContext = {
    args: {},
    params,
    api,
    instance: options.document.name,
    apiFor,
    apiAt,
    formatCommand: (command, args) => formatCommand(command, args),
    async accessTokenClaims() {
      const bearerToken = /^Bearer (.+)$/.exec((await authorize(false)).headers?.["authorization"] ?? "");
      return bearerToken ? readTokenClaims(bearerToken[1]!) : undefined;
    },
  };
  return { authorize, context };
}

async function runInstanceCommand(
  integration: Integration,
  commandName: string,
  rawArgs: Record<string, string>,
  options: RunCommandOptions,
): Promise<CommandResult> {
  const canonical = integration.canonicalName(commandName);
  if (canonical !== commandName) {
    const result = await runInstanceCommand(integration, canonical, rawArgs, options);
    const notice = `${commandName} is deprecated and goes in the next release: use ${canonical}.`;
    return { ...result, notices: [...(result.notices ?? []), notice] };
  }
  const { manifest } = integration;
  const own = integration.ownCommand(commandName);
  const generated = own ? undefined : generatedCommand(integration, commandName);
  if (!own && !generated) throw unknownCommand(integration, commandName);
  const env = options.env ?? process.env;
  const { store, document } = options;
  const params = resolveParameterValues(integration.parameters, document.params, env);
  let connection: Connection | undefined;
  const resolve = () => {
    connection ??= resolveConnection(manifest, params, options);
    return connection;
  };
  const session = (waitForSignIn = false, onAnswer?: SessionInput["onAnswer"]) =>
    openSession({
      integration,
      params,
      env,
      options,
      connection: resolve(),
      commandName,
      waitForSignIn,
      ...(onAnswer ? { onAnswer } : {}),
    });

  if (generated) {
    return generated.run({
      integration,
      name: commandName,
      store,
      document,
      params,
      warRoom: !options.formatCommand,
      args: () => parseArguments(commandName, generated, rawArgs),
      resolve,
      signIn: () => {
        const { endpoints, transport } = resolve();
        const access = contextAccess(store, document.name);
        return { manifest, params, endpoints, transport, access, instance: document.name, now: options.now };
      },
      session: (waitForSignIn) => {
        const reached: ReachedRequest[] = [];
        const { authorize, context } = session(waitForSignIn, (resource, answer) =>
          reached.push({
            resource,
            method: answer.method,
            target: targetOf(answer.url),
            status: answer.status,
          }),
        );
        return {
          flow: resolve().selection.flow,
          authorize,
          test: async () => {
            await runIntegrationTest(manifest, context, reached);
            return reached;
          },
        };
      },
    });
  }
  const { context } = session();
  context.args = parseArguments(commandName, own!, rawArgs);
  return own!.run(context);
}
