import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import {
  type ContextStore,
  createTransport,
  MemoryStore,
  MsintError,
  scopeToResource,
  TokenProvider,
  type Transport,
  toTokenCredential,
} from "@msint/auth-core/internal";
import { type ApiClient, type Authorization, bearer, createApiClient } from "./api-client.js";
import { createStrategy, type ResolvedEndpoints, resolveEndpoints, scopesFor, selectFlow } from "./auth.js";
import type { Integration } from "./define.js";
import type { ArgumentDefinition, IntegrationManifest, ResourceDefinition } from "./manifest.js";
import { type ParameterValues, resolveParameterValues, toBoolean } from "./parameters.js";
import type { CommandResult } from "./results.js";
import { contextAccess, type InstanceDocument, runCommand } from "./runtime.js";

// ---- Types: command names and their arguments, from the manifest's literal type ----

type Prefix<M extends IntegrationManifest> = M["commandPrefix"];

/** The commands the kit generates for the manifest's flows (see `GENERATED_COMMANDS` in auth-commands.ts). */
type GeneratedCommands<M extends IntegrationManifest> = {
  [K in `${Prefix<M>}-auth-test` | `${Prefix<M>}-auth-reset` | `${Prefix<M>}-test`]: readonly [];
} & (M["flows"]["authorizationCode"] extends false
  ? unknown
  : {
      [K in `${Prefix<M>}-generate-login-url`]: readonly [
        { name: "consent"; description: string; predefined: readonly ["true", "false"] },
      ];
    }) &
  (M["flows"]["deviceCode"] extends false
    ? M["flows"]["xsoarApp"] extends "device"
      ? DeviceCommands<M>
      : unknown
    : DeviceCommands<M>);

type DeviceCommands<M extends IntegrationManifest> = {
  [K in `${Prefix<M>}-auth-start`]: readonly [];
} & {
  [K in `${Prefix<M>}-auth-complete`]: readonly [
    { name: "wait"; description: string; predefined: readonly ["true", "false"] },
  ];
};

/** The declared arguments of each command, by command name. */
type ArgumentLists<M extends IntegrationManifest> = {
  [C in keyof M["commands"]]: M["commands"][C] extends {
    arguments: infer A extends readonly ArgumentDefinition[];
  }
    ? A
    : readonly [];
} & GeneratedCommands<M>;

/** Every command an integration answers: its own and the generated ones. */
export type CommandName<M extends IntegrationManifest> = Extract<keyof ArgumentLists<M>, string>;

type ValueOf<A extends ArgumentDefinition> = A extends { predefined: readonly (infer V extends string)[] }
  ? V
  : string;

/**
 * The `args` object of one command: its declared argument names (required ones required, choices as their
 * values). A command declared without a literal type (a `CommandDefinition` variable) takes any names.
 */
export type CommandArgs<
  M extends IntegrationManifest,
  C extends CommandName<M>,
> = ArgumentLists<M>[C] extends readonly (infer A extends ArgumentDefinition)[]
  ? [A] extends [never]
    ? NoArguments
    : string extends A["name"]
      ? Record<string, string>
      : Simplify<
          { [K in A as K extends { required: true } ? K["name"] : never]: ValueOf<K> } & {
            [K in A as K extends { required: true } ? never : K["name"]]?: ValueOf<K>;
          }
        >
  : Record<string, string>;

/** A command without arguments: `{}` at most, any name refused. */
type NoArguments = Partial<Record<string, never>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/** `run(command)` when the command has no required argument, `run(command, args)` when it has. */
type ArgsParameter<M extends IntegrationManifest, C extends CommandName<M>> = [
  RequiredKeys<CommandArgs<M, C>>,
] extends [never]
  ? [args?: CommandArgs<M, C>]
  : [args: CommandArgs<M, C>];

/** Keys of the manifest's `additionalResources`. */
export type ResourceKey<M extends IntegrationManifest> =
  M["additionalResources"] extends Readonly<Record<infer K, ResourceDefinition>> ? Extract<K, string> : never;

// ---- Runtime ----

/** Options of {@link connect}. */
export interface ConnectOptions {
  /**
   * The instance's parameters, as `msint instance add --param` takes them: `tenant_id`, `auth_id`,
   * `enc_key` (or `env:NAME` / `file:/PATH`, read at each use and never stored), `auth_type`, `azure_cloud` …
   */
  params: ParameterValues;
  /**
   * Where the instance's integration context (cached tokens, refresh token…) lives. Defaults to a new in-memory
   * store: tokens are then cached for the life of this connection only. Pass a shared store (the embedded file
   * store, PostgreSQL) to share tokens, single-flight and sign-ins with other processes and `msint`.
   */
  store?: ContextStore<InstanceDocument>;
  /** The instance's name in the store; defaults to the integration's id. */
  instance?: string;
  /** Where `env:` references and the Workload Identity / Environment `AZURE_*` variables are read; `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the transport built from the `proxy` and `insecure` parameters (tests, custom agents). */
  transport?: Transport;
}

/** A connected instance: its commands, its APIs and a TokenCredential for Azure SDK clients. */
export interface Connection<M extends IntegrationManifest> {
  /**
   * Runs one of the integration's commands (its own or a generated one such as `<prefix>-auth-test`), as
   * `msint run` does. Command and argument names are checked at compile time against the manifest.
   */
  run<C extends CommandName<M>>(command: C, ...args: ArgsParameter<M, C>): Promise<CommandResult>;
  /** An HTTP client for the integration's API (or one of its `additionalResources`), with the instance's token. */
  api(resource?: ResourceKey<M>): ApiClient;
  /**
   * The instance's authentication as an `@azure/core-auth` TokenCredential: pass it to any Azure SDK client
   * (`new SecretClient(url, credential)`). Tokens are cached in the connection's store.
   */
  readonly credential: TokenCredential;
  /** The instance's name in the store. */
  readonly instance: string;
}

/**
 * Connects to an instance of an integration in one call: the parameters are checked now (one error naming the
 * parameter), the instance document is written to the store on first use, and every command, API call and token
 * goes through the same flow, cache and single-flight as `msint run`.
 *
 * ```ts
 * import msgraphUser from "@msint/msgraph-user";
 * import { connect } from "@msint/integration-kit";
 * const graph = connect(msgraphUser, { params: { self_deployed: true, tenant_id, auth_id, enc_key: "env:SECRET" } });
 * await graph.run("msgraph-user-list", { limit: "5" });
 * ```
 * @throws ParameterError when a parameter is missing or malformed, before anything is sent.
 */
export function connect<M extends IntegrationManifest>(
  integration: Integration<M>,
  options: ConnectOptions,
): Connection<M> {
  const { manifest } = integration;
  const store = options.store ?? new MemoryStore<InstanceDocument>();
  const name = options.instance ?? manifest.id;
  const env = options.env ?? process.env;
  const params = { ...options.params };
  // Checked now, read again at each use: env: and file: references may change (rotated secrets).
  const resolve = () => resolveParameterValues(integration.parameters, params, env);
  const checked = resolve();
  selectFlow(manifest, checked);

  let ready: Promise<InstanceDocument> | undefined;
  const document = (): Promise<InstanceDocument> => {
    ready ??= (async () => {
      const now = new Date().toISOString();
      let written: InstanceDocument | undefined;
      await store.update(name, (current) => {
        written = current
          ? { ...current, integration: manifest.id, params, updatedAt: now }
          : { version: 1, name, integration: manifest.id, params, createdAt: now, updatedAt: now };
        return written;
      });
      return written!;
    })();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };
  const transportOf = (resolved: Record<string, string | boolean | undefined>) =>
    options.transport ??
    createTransport({ insecure: toBoolean(resolved["insecure"]), proxy: toBoolean(resolved["proxy"]) });

  // One token provider per audience (the audience is part of a managed identity's and the broker's request).
  const providers = new Map<string, TokenProvider>();
  const providerFor = (endpoints: ResolvedEndpoints) => {
    let provider = providers.get(endpoints.audience);
    if (!provider) {
      const resolved = resolve();
      const strategy = createStrategy({
        manifest,
        params: resolved,
        endpoints,
        transport: transportOf(resolved),
        env,
      });
      provider = new TokenProvider(strategy, contextAccess(store, name));
      providers.set(endpoints.audience, provider);
    }
    return provider;
  };

  const credential: TokenCredential = {
    async getToken(scopes: string | string[], tokenOptions?: GetTokenOptions): Promise<AccessToken | null> {
      await document();
      const list = Array.isArray(scopes) ? scopes : [scopes];
      const first = list[0];
      if (!first)
        throw new MsintError("getToken needs at least one scope, such as https://vault.azure.net/.default.");
      const resolved = resolve();
      const flow = selectFlow(manifest, resolved).flow;
      if (flow === "shared-access-signature") {
        throw new MsintError(
          `${manifest.displayName} authenticates with an account SAS token, which gives no OAuth tokens to a TokenCredential.`,
        );
      }
      const base = resolveEndpoints(manifest, resolved);
      const endpoints = first.trim().endsWith("/.default")
        ? { ...base, audience: scopeToResource(first) }
        : base;
      return toTokenCredential(providerFor(endpoints)).getToken(list, tokenOptions);
    },
  };

  const apis = new Map<string, ApiClient>();
  const api = (key?: ResourceKey<M>): ApiClient => {
    const cacheKey = key ?? "";
    const existing = apis.get(cacheKey);
    if (existing) return existing;
    let resource: ResourceDefinition = manifest.resource;
    if (key !== undefined) {
      const additional = manifest.additionalResources ?? {};
      if (!Object.hasOwn(additional, key)) {
        throw new MsintError(
          `${manifest.displayName} declares no additional resource "${key}" (it has: ${Object.keys(additional).join(", ") || "none"}).`,
        );
      }
      resource = additional[key]!;
    }
    const endpoints = resolveEndpoints(manifest, checked, resource);
    const authorize = async (forceRefresh: boolean): Promise<Authorization> => {
      await document();
      const resolved = resolve();
      const { flow } = selectFlow(manifest, resolved);
      if (flow === "shared-access-signature") {
        throw new MsintError(
          `${manifest.displayName} authenticates with an account SAS token: use run() for its commands.`,
        );
      }
      const current = resolveEndpoints(manifest, resolved, resource);
      const provider = providerFor(current);
      return bearer(await provider.getToken(scopesFor(manifest, flow, current, resource), { forceRefresh }));
    };
    const client = createApiClient({
      baseUrl: endpoints.apiBase,
      transport: transportOf(checked),
      authorize,
      headers: resource.headers,
      commandPrefix: manifest.commandPrefix,
      integration: manifest,
    });
    apis.set(cacheKey, client);
    return client;
  };

  return {
    instance: name,
    credential,
    api,
    async run(command, ...rest) {
      await document();
      const current = await store.read(name);
      if (!current) throw new MsintError(`The instance "${name}" was removed from the store.`);
      const args = (rest[0] ?? {}) as Record<string, string>;
      return runCommand(integration as unknown as Integration, command, args, {
        store,
        document: current,
        env,
        ...(options.transport ? { transport: options.transport } : {}),
      });
    },
  };
}

/** What {@link getInstanceToken} hands out (the fields of `az account get-access-token`). */
export interface InstanceToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  tokenType: "Bearer";
  /** The token's tenant (its `tid`), else the instance's Tenant ID; undefined when neither is known. */
  tenant: string | undefined;
  /** The scopes it was issued for. */
  scopes: string[];
  /** True when it came from the cache (memory or store) rather than the network. */
  fromCache: boolean;
}

/** Options of {@link getInstanceToken}. */
export interface InstanceTokenOptions {
  store: ContextStore<InstanceDocument>;
  document: InstanceDocument;
  /** A resource (audience) such as `https://management.azure.com`: the token is for `<resource>/.default`. */
  resource?: string | undefined;
  /** Explicit scopes; exclusive with `resource`. Default: the integration's own scopes for its flow. */
  scopes?: readonly string[] | undefined;
  env?: NodeJS.ProcessEnv;
  transport?: Transport | undefined;
}

function tenantOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      tid?: unknown;
    };
    return typeof claims.tid === "string" ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An access token of a stored instance, through the same flow, persisted cache and single-flight as its
 * commands: what `msint token` prints. The token is registered with nothing and logged nowhere; the caller
 * decides where it goes.
 * @throws ParameterError for bad parameters, MsintError for an instance that gives no OAuth token (SAS).
 */
export async function getInstanceToken(
  integration: Integration,
  options: InstanceTokenOptions,
): Promise<InstanceToken> {
  const { manifest } = integration;
  const { store, document } = options;
  const env = options.env ?? process.env;
  const params = resolveParameterValues(integration.parameters, document.params, env);
  const { flow } = selectFlow(manifest, params);
  if (flow === "shared-access-signature") {
    throw new MsintError(
      `${manifest.displayName} authenticates with an account SAS token: there is no access token to print.`,
    );
  }
  let endpoints = resolveEndpoints(manifest, params);
  let scopes: string[];
  if (options.scopes?.length) scopes = [...options.scopes];
  else if (options.resource) scopes = [`${options.resource.replace(/\/+$/, "")}/.default`];
  else scopes = scopesFor(manifest, flow, endpoints);
  // A `<resource>/.default` scope names the audience (managed identity and the broker ask by resource).
  if (scopes[0]!.trim().endsWith("/.default"))
    endpoints = { ...endpoints, audience: scopeToResource(scopes[0]!) };
  const transport =
    options.transport ??
    createTransport({ insecure: toBoolean(params["insecure"]), proxy: toBoolean(params["proxy"]) });
  const strategy = createStrategy({ manifest, params, endpoints, transport, env });
  const provider = new TokenProvider(strategy, contextAccess(store, document.name)).useSnapshot(
    document.context,
  );
  const result = await provider.getToken(scopes);
  return {
    accessToken: result.token,
    expiresOn: result.expiresOn,
    tokenType: "Bearer",
    tenant: tenantOf(result.token) ?? strategy.tenantId,
    scopes,
    fromCache: result.fromCache,
  };
}
