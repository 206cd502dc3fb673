import {
  type CloudEndpoints,
  type ContextAccess,
  customCloud,
  type DeviceCodeWait,
  type FlowStrategy,
  getCloud,
  MsintError,
  ParameterError,
  TokenProvider,
  type Transport,
  validateEndpointUrl,
} from "@msint/auth-core/internal";
import { flowDefinitions, flowDisplayName, selectFlowDefinition } from "./flows/index.js";
import type { KitFlowId } from "./flows/types.js";
import type { IntegrationManifest, ResourceDefinition } from "./manifest.js";
import { AUTH_PARAMETERS } from "./parameters.js";
import { qualifyScope } from "./resources/index.js";

export {
  declaredFlows,
  extensionFlows,
  FLOW_NAMES,
  flowTableWords,
  type KitFlowId,
  requireParameters,
} from "./flows/index.js";

type Params = Record<string, string | boolean | undefined>;

/** Where the instance authenticates and which API endpoint it calls. */
export interface ResolvedEndpoints {
  cloud: CloudEndpoints;
  loginHost: string;
  /** API root of the integration's resource, no trailing slash. */
  apiBase: string;
  /** Token audience (the resource), no trailing slash. */
  audience: string;
}

/** Resolves Azure Cloud (or Custom with Azure AD endpoint and Server URL) to concrete endpoints. */
export function resolveEndpoints(
  manifest: IntegrationManifest,
  params: Params,
  resource: ResourceDefinition = manifest.resource,
): ResolvedEndpoints {
  const cloudName = String(params["azure_cloud"] || manifest.resource.cloudFor?.(params) || "Worldwide");
  if (cloudName.toLowerCase() === "custom") {
    const missing = [AUTH_PARAMETERS.azure_ad_endpoint, AUTH_PARAMETERS.server_url].filter(
      (definition) => !params[definition.key],
    );
    if (missing.length > 0) {
      throw new ParameterError(
        `Azure Cloud is Custom, so ${missing.map((definition) => definition.displayName).join(" and ")} must be set. Set them to the login host and the ${manifest.resource.displayName} endpoint, or choose a named Azure Cloud.`,
        missing[0]!.displayName,
      );
    }
    const cloud = customCloud({
      loginHost: String(params["azure_ad_endpoint"]),
      resourceUrl: String(params["server_url"]),
      resourceKey: manifest.resource.cloudKey,
    });
    // Server URL is the main resource's endpoint; an additional resource has a parameter of its own. Nothing
    // falls back to the Worldwide catalog that customCloud() starts from.
    const apiBase = trimSlash(
      resource === manifest.resource
        ? String(params["server_url"])
        : customResourceEndpoint(manifest, resource, params),
    );
    return {
      cloud,
      loginHost: cloud.loginHost,
      apiBase,
      audience: audienceOf(resource, cloud, params, apiBase),
    };
  }
  const cloud = getCloud(cloudName);
  const apiBase = trimSlash(resource.endpoint(cloud, params));
  return {
    cloud,
    loginHost: cloud.loginHost,
    apiBase,
    audience: audienceOf(resource, cloud, params, apiBase),
  };
}

/** An additional resource's endpoint with Azure Cloud = Custom: its own parameter, validated, else refused. */
function customResourceEndpoint(
  manifest: IntegrationManifest,
  resource: ResourceDefinition,
  params: Params,
): string {
  const definition = resource.customEndpoint;
  if (!definition) {
    throw new ParameterError(
      `Azure Cloud is Custom, but ${manifest.displayName} also calls ${resource.displayName}, which has no endpoint parameter for a Custom cloud. Choose a named Azure Cloud.`,
      AUTH_PARAMETERS.azure_cloud.displayName,
    );
  }
  const value = params[definition.key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ParameterError(
      `Azure Cloud is Custom, so ${definition.displayName} must be set: ${manifest.displayName} also calls ${resource.displayName}, and a Custom cloud has no Worldwide fallback. Set it with --param ${definition.key}=https://… (the ${resource.displayName} endpoint of your cloud), or choose a named Azure Cloud.`,
      definition.displayName,
    );
  }
  return validateEndpointUrl(value, definition.displayName);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function audienceOf(
  resource: ResourceDefinition,
  cloud: CloudEndpoints,
  params: Params,
  apiBase: string,
): string {
  return resource.audience ? trimSlash(resource.audience(cloud, params)) : apiBase;
}

/** The chosen flow and the parameters it runs with. */
export interface FlowSelection {
  flow: KitFlowId;
  selfDeployed: boolean;
}

/**
 * Picks the flow the way the seed document describes the instance settings: managed identities when ticked
 * (or chosen as Authentication Type); the Cortex XSOAR application unless "Use a self-deployed Azure
 * Application" is ticked; otherwise the Authentication Type, defaulting to client credentials. The flow
 * registry (src/flows/) holds the order and each flow's predicates.
 */
export function selectFlow(manifest: IntegrationManifest, params: Params): FlowSelection {
  const definition = selectFlowDefinition(manifest, params);
  return { flow: definition.flow, selfDeployed: definition.registration !== "xsoar" };
}

export interface StrategyInput {
  manifest: IntegrationManifest;
  params: Params;
  endpoints: ResolvedEndpoints;
  transport: Transport;
  /** Device code: poll until the sign-in finishes instead of trying once. */
  deviceCodeWait?: { onProgress?: DeviceCodeWait["onProgress"] | undefined };
  /** Where Workload Identity and Environment read `AZURE_*` variables; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Builds the strategy of the instance's flow (the registry's selection), after checking the flow's parameters. */
export function createStrategy({
  manifest,
  params,
  endpoints,
  transport,
  deviceCodeWait,
  env = process.env,
}: StrategyInput): FlowStrategy {
  const definition = selectFlowDefinition(manifest, params);
  if (!definition.createStrategy) {
    throw new MsintError(
      `${manifest.displayName} authenticates with ${definition.displayName}, which needs no token.`,
    );
  }
  return definition.createStrategy({ manifest, params, endpoints, transport, deviceCodeWait, env });
}

/** Scopes the instance's tokens need: application scopes, or delegated ones for user flows. */
export function scopesFor(
  manifest: IntegrationManifest,
  flow: KitFlowId,
  endpoints: ResolvedEndpoints,
  resource: ResourceDefinition = manifest.resource,
): string[] {
  const delegated = flowDefinitions().some((definition) => definition.flow === flow && definition.delegated);
  if (delegated && resource.delegatedScopes.length === 0) {
    throw new MsintError(
      `${manifest.displayName} declares no delegated scopes of ${resource.displayName} for the ${flowDisplayName(flow)} flow.`,
    );
  }
  const scopes = delegated ? resource.delegatedScopes : resource.applicationScopes;
  return scopes.map((scope) => qualifyScope(scope, endpoints.audience, resource.kind));
}

/**
 * What a delegated sign-in (login URL, device code) asks consent for: the main resource's scopes, then those of
 * every additional resource, each once. Tokens are then redeemed for one resource at a time.
 */
export function consentScopesFor(
  manifest: IntegrationManifest,
  flow: KitFlowId,
  params: Params,
  endpoints: ResolvedEndpoints,
): string[] {
  const scopes = scopesFor(manifest, flow, endpoints);
  for (const resource of Object.values(manifest.additionalResources ?? {})) {
    // A resource of a fixed tenant gets app-only tokens of its own (Client Credentials), never the user's.
    if (resource.tenant) continue;
    scopes.push(...scopesFor(manifest, flow, resolveEndpoints(manifest, params, resource), resource));
  }
  return [...new Set(scopes)];
}

/** Creates the token provider of one instance. */
export function createTokenProvider(strategy: FlowStrategy, access: ContextAccess, now?: () => number) {
  return new TokenProvider(strategy, access, { now });
}
