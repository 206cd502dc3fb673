import type { CloudEndpoints, CloudServiceKey } from "@msint/auth-core";
import type { ApiClient, ApiRequest } from "./api-client.js";
import type { ParameterDefinition } from "./parameters.js";
import type { CommandResult } from "./results.js";

/** The six columns of the seed document's table of supported flows. */
export interface SeedColumns {
  /** Cortex XSOAR application (the token broker); `"device"` when it is reached through device code. */
  xsoarApp: false | "yes" | "device";
  clientCredentials: boolean;
  deviceCode: boolean;
  authorizationCode: boolean;
  /** `"saas"`: not available because the product runs as SaaS. */
  managedIdentities: boolean | "saas";
  nationalClouds: boolean;
}

/**
 * The flows an integration supports: the seed table's six columns, and msint extension flows beyond them. The
 * flow registry (src/flows/) says which flow each column stands for; Workload Identity and Environment come with
 * `clientCredentials` (their `impliedBy`) and need not be listed.
 */
export interface SupportedFlows extends SeedColumns {
  /**
   * Ids of further msint extension flows of the registry (a flow whose column is "msint extension"), e.g. a flow
   * another package registered with `registerFlow`. `defineIntegration` rejects an id the registry lacks.
   */
  extensions?: readonly string[];
}

/** Resolved instance parameters (env references read, defaults applied). */
export type ResolvedParams = Record<string, string | boolean | undefined>;

/** Where an integration's API lives in each cloud, and which scopes its tokens need. */
export interface ResourceDefinition {
  /** A short name, e.g. "graph" or "arm". */
  kind: string;
  /** Human name for messages, e.g. "Microsoft Graph". */
  displayName: string;
  /** The API root in the instance's cloud; `params` give per-instance hosts (cluster URL, storage account …). */
  endpoint(cloud: CloudEndpoints, params: ResolvedParams): string;
  /** The token audience (resource); the API root when omitted. */
  audience?(cloud: CloudEndpoints, params: ResolvedParams): string;
  /** Which catalog endpoint the Server URL replaces when Azure Cloud is Custom. */
  cloudKey?: CloudServiceKey;
  /**
   * As an additional resource with Azure Cloud = Custom: the parameter holding its endpoint (Server URL holds
   * the main resource's). Without it, or with it empty, a Custom instance is refused rather than sent to a
   * Worldwide host.
   */
  customEndpoint?: ParameterDefinition;
  /** Scopes for application permissions (client credentials, broker); relative ones are joined to the audience. */
  applicationScopes: readonly string[];
  /** Scopes for delegated permissions (authorization code, device code). */
  delegatedScopes: readonly string[];
  /** Headers every API request carries (e.g. `x-ms-version` for Azure Storage). */
  headers?: Readonly<Record<string, string>>;
  /**
   * Azure Storage data plane: requests may be authorized with an account SAS token (parameter `credentials`)
   * instead of an OAuth token.
   */
  sharedAccessSignature?: boolean;
  /** Parameters the resource needs (Endpoint Type, storage account name …), added to the integration's. */
  parameters?: readonly ParameterDefinition[];
  /**
   * The Azure Cloud the resource's own parameters choose (Defender's Endpoint Type: US GCC-High signs in at
   * login.microsoftonline.us), used when the instance leaves Azure Cloud empty. A name or id of the catalog.
   */
  cloudFor?(params: ResolvedParams): string | undefined;
  /** The cheap read `<prefix>-test` sends to this resource unless the integration's `test` reaches it. */
  probe?: ResourceProbe;
  /** The API's name under "API permissions" of an app registration (e.g. "WindowsDefenderATP"); default displayName. */
  permissionsApi?: string;
  /**
   * Another endpoint of this resource, by name, that the same token serves (another key vault of the instance's
   * cloud, `https://<name>.vault.azure.net`, audience `https://vault.azure.net`), for `context.apiAt(name)`.
   * `apiBase` is the instance's own endpoint. It validates `name` and builds the host itself, so a command can
   * never send the token to a host outside the resource's kind; it throws a ParameterError otherwise.
   */
  namedEndpoint?(cloud: CloudEndpoints, apiBase: string, name: string): string;
  /**
   * A tenant fixed by the service rather than the instance's Tenant ID (the Bot Framework: `"botframework.com"`).
   * Tokens for this resource always come from Client Credentials against that tenant, with the instance's App/Client
   * ID and its secret or certificate and the resource's application scopes, whatever flow the instance uses for
   * its other resources; delegated sign-ins do not ask consent for it. Only for an additional resource.
   */
  tenant?: string;
}

/**
 * Permissions one command (or the test) needs on one resource, from Microsoft's API reference for the call. Within
 * each list any one permission suffices; list the least privileged first.
 */
export interface PermissionSpec {
  /** The key of an additional resource these apply to; the main resource when omitted. */
  resource?: string;
  /** Application permissions (app roles, the `roles` claim of app-only tokens). */
  application?: readonly string[];
  /** Delegated permissions (scopes, the `scp` claim of a user's token). */
  delegated?: readonly string[];
  /** Azure RBAC roles (or Key Vault access policies): not in any token, checked by the service. */
  rbac?: readonly string[];
}

/** The cheap read `<prefix>-test` makes of a resource when the manifest's own test does not reach it. */
export interface ResourceProbe {
  /** The request (a GET of one item, e.g. `$top=1` or `maxresults=1`). */
  request(params: ResolvedParams): ApiRequest;
  /** What it needs. */
  permissions?: PermissionSpec;
}

/** One argument of a command. */
export interface ArgumentDefinition {
  name: string;
  description: string;
  required?: boolean;
  defaultValue?: string;
  /** Allowed values, when the argument is a choice. */
  predefined?: readonly string[];
}

/** One context output of a command (documentation of `outputs`). */
export interface OutputDefinition {
  path: string;
  type: "string" | "number" | "boolean" | "date" | "unknown";
  description: string;
}

/** Argument values by name, as a handler reads them. */
export type ArgumentValues = Readonly<Record<string, string | undefined>>;

/** Whether an argument always has a value when the handler runs: it is required, or it has a default. */
type AlwaysSet<A> = A extends { required: true } ? true : A extends { defaultValue: string } ? true : false;

/**
 * The `args` a command's declared `arguments` give its handler (a literal type: declared inline in
 * `defineIntegration`, or `as const`): required and defaulted arguments are strings, the others may be
 * undefined. Arguments declared without literal names give none for certain.
 */
export type ArgsOf<L> = L extends readonly (infer A extends ArgumentDefinition)[]
  ? [A] extends [never]
    ? Record<never, never>
    : string extends A["name"]
      ? ArgumentValues
      : {
          readonly [K in A as AlwaysSet<K> extends true ? K["name"] : never]: string;
        } & {
          readonly [K in A as AlwaysSet<K> extends true ? never : K["name"]]?: string;
        }
  : Record<never, never>;

/**
 * What a command handler receives. `Args` names the arguments a handler relies on being set (`CommandContext<{
 * user: string }>`): `defineIntegration` checks that its command declares each of them required or with a
 * default. Every other argument reads as `string | undefined`.
 */
export interface CommandContext<Args extends object = Record<never, never>> {
  /** Arguments after defaults were applied and required ones checked. */
  args: ArgumentValues & Args;
  /** Resolved instance parameters (env references read). */
  params: Record<string, string | boolean | undefined>;
  /** HTTP client for the integration's API: base URL of the instance's cloud, bearer token attached. */
  api: ApiClient;
  /** The instance name. */
  instance: string;
  /**
   * HTTP client for one of the manifest's `additionalResources` (e.g. `"arm"`), with a token of its own from the
   * same credentials.
   */
  apiFor(key: string): ApiClient;
  /**
   * HTTP client for another endpoint of the main resource, named `name`, with the same authorization (the token
   * of the same audience): e.g. another key vault of the instance's cloud. Only for resources that declare
   * `namedEndpoint` (the kit's keyVault()); see `keyVaultApi` of the kit for the usual wrapper.
   */
  apiAt?(name: string): ApiClient;
  /**
   * A command as the reader of this result types it (`!cmd next_page="…"` in a War Room, a shell-quoted
   * `msint run cmd next_page='…' --instance NAME` in a terminal): for next-page lines and other hints.
   */
  formatCommand(command: string, args?: Readonly<Record<string, string>>): string;
  /**
   * The claims of the main resource's access token (e.g. `tid`, the tenant that signed the instance in), read
   * without checking the signature; undefined for a token that is not a JWT. Not set where no token is issued.
   */
  accessTokenClaims?(): Promise<Record<string, unknown> | undefined>;
}

/**
 * One command. `run` receives the arguments its declaration gives ({@link ArgsOf}); `defineIntegration` checks
 * a handler against the command's `arguments`.
 */
export interface CommandDefinition<Args extends object = Record<never, never>> {
  description: string;
  arguments?: readonly ArgumentDefinition[];
  outputs?: readonly OutputDefinition[];
  /**
   * What the command needs, from Microsoft's API reference of the calls it makes: `-auth-test` compares them with
   * the token's claims, and a 403 names them.
   */
  permissions?: PermissionSpec | readonly PermissionSpec[];
  run(context: CommandContext<Args>): Promise<CommandResult>;
}

/** A command's handler as its declared arguments type it. */
type HandlerFor<D> = (
  context: CommandContext<ArgsOf<D extends { arguments: infer L } ? L : undefined>>,
) => Promise<CommandResult>;

/**
 * The check `defineIntegration` makes of each command: its handler must accept the `args` that the declared
 * arguments give. A handler that reads an argument the command does not declare, or takes an optional one as
 * always set, is a type error on its `run`.
 */
export type CheckedCommands<C> = {
  [K in keyof C]: C[K] extends { run: HandlerFor<C[K]> } ? unknown : { run: HandlerFor<C[K]> };
};

/** The whole of what an integration declares. Everything about authentication comes from the kit. */
export interface IntegrationManifest {
  /** Unique package slug (`@msint/<id>`). */
  id: string;
  /** Exactly the name of the seed table's row. */
  displayName: string;
  /** The integration package's version, for the User-Agent (`msint/<kit> <id>/<version>`). */
  version?: string;
  /** Prefix of every command, e.g. `msgraph-user`. May repeat across integrations. */
  commandPrefix: string;
  description?: string;
  flows: SupportedFlows;
  /**
   * The Cortex XSOAR application's name at the token broker (`app_name`, e.g. `ms-graph-user`); defaults to
   * the id. With `flows.xsoarApp: "device"` it is not used: the application is reached through device code.
   */
  brokerAppName?: string;
  resource: ResourceDefinition;
  /**
   * Further APIs that some commands call with the same credentials, by key: Log Analytics and Key Vault also
   * manage their workspaces and vaults through Azure Resource Manager. Commands reach them with
   * `context.apiFor(key)`; each has its own tokens, and a delegated sign-in asks consent for all of them. With
   * Azure Cloud = Custom, Server URL is the main resource's endpoint and each additional resource takes its own
   * from its `customEndpoint` parameter.
   */
  additionalResources?: Readonly<Record<string, ResourceDefinition>>;
  /**
   * A public client of the vendor (Palo Alto Networks) that XSOAR uses when the instance gives no App/Client ID
   * (e.g. Microsoft 365 Defender's device code). It becomes the App/Client ID parameter's default, as in XSOAR's
   * yml; record in a comment the file it was taken from.
   */
  builtInClientId?: string;
  /**
   * Names of generated commands where XSOAR's differ from `<commandPrefix>-<suffix>`, by suffix (e.g. Microsoft Graph
   * Security: `{ "auth-reset": "ms-graph-security-auth-reset" }`). The prefixed name keeps working.
   */
  generatedCommandNames?: Readonly<Partial<Record<string, string>>>;
  /**
   * Old command names kept for one release after a rename, old → new (an own or generated command). Running one
   * works and says which name to use instead.
   */
  deprecatedAliases?: Readonly<Record<string, string>>;
  /** Permissions the app registration needs, shown by `-auth-test` when access is denied. */
  permissions?: { application?: readonly string[]; delegated?: readonly string[] };
  /** Parameters beyond authentication (subscription ID, workspace, …). */
  parameters?: readonly ParameterDefinition[];
  commands: Record<string, CommandDefinition>;
  /**
   * What `<prefix>-test` runs after authenticating: cheap reads of the integration's API. Every resource the test
   * does not reach is read with its `probe`; `defineIntegration` refuses a manifest with neither for a resource.
   */
  test?: (context: CommandContext) => Promise<void>;
  /** What `test` needs (default: the probes' permissions); `-auth-test` fails when the token lacks it. */
  testPermissions?: PermissionSpec | readonly PermissionSpec[];
}
