import {
  type CloudEndpoints,
  type ContextAccess,
  createAuthorizationCodeStrategy,
  createClientCertificateStrategy,
  createClientSecretStrategy,
  createDeviceCodeStrategy,
  createEnvironmentStrategy,
  createManagedIdentityStrategy,
  createWorkloadIdentityStrategy,
  createXsoarAppStrategy,
  customCloud,
  type DeviceCodeWait,
  type FlowId,
  type FlowStrategy,
  getCloud,
  MsintError,
  ParameterError,
  parseCertificateCredential,
  TokenProvider,
  type Transport,
  validateEndpointUrl,
} from "@msint/auth-core";
import type { IntegrationManifest, ResourceDefinition, SupportedFlows } from "./manifest.js";
import {
  AUTH_PARAMETERS,
  type ParameterDefinition,
  textParameter,
  toBoolean,
  validators,
} from "./parameters.js";
import { qualifyScope } from "./resources/index.js";

/** Names of the flows as the seed document writes them. */
/** A flow of the kit: auth-core's token flows, plus the Azure Storage account SAS token (no OAuth at all). */
export type KitFlowId = FlowId | "shared-access-signature";

export const FLOW_NAMES: Record<KitFlowId, string> = {
  "shared-access-signature": "Account SAS Token",
  "xsoar-app": "Cortex XSOAR application",
  "client-credentials": "Client Credentials",
  "authorization-code": "Authorization Code",
  "device-code": "Device Code",
  "managed-identity": "Azure Managed Identities",
  "workload-identity": "Workload Identity",
  environment: "Environment",
};

/**
 * msint's flows beyond the seed document: workload identity federation and the `AZURE_*` environment convention.
 * Both are the client-credentials grant with another client credential, so every integration that supports
 * client credentials gets them.
 */
export function extensionFlows(flows: SupportedFlows): FlowId[] {
  return flows.clientCredentials ? ["workload-identity", "environment"] : [];
}

/** The flows an integration declares, in the seed table's column order. */
export function declaredFlows(flows: SupportedFlows): FlowId[] {
  const list: FlowId[] = [];
  if (flows.xsoarApp) list.push("xsoar-app");
  if (flows.clientCredentials) list.push("client-credentials");
  if (flows.deviceCode) list.push("device-code");
  if (flows.authorizationCode) list.push("authorization-code");
  if (flows.managedIdentities === true) list.push("managed-identity");
  return list;
}

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

function displayNameOf(definition: ParameterDefinition, selfDeployed: boolean): string {
  return selfDeployed ? definition.displayName : (definition.xsoarAppName ?? definition.displayName);
}

function unsupported(manifest: IntegrationManifest, flow: KitFlowId): MsintError {
  const supported = [...declaredFlows(manifest.flows), ...extensionFlows(manifest.flows)].map(
    (id) => FLOW_NAMES[id],
  );
  return new ParameterError(
    `${manifest.displayName} does not support the ${FLOW_NAMES[flow]} flow. It supports: ${supported.join(", ")}.`,
    flow === "managed-identity"
      ? AUTH_PARAMETERS.use_managed_identities.displayName
      : AUTH_PARAMETERS.auth_type.displayName,
  );
}

/**
 * Picks the flow the way the seed document describes the instance settings: managed identities when ticked
 * (or chosen as Authentication Type); the Cortex XSOAR application unless "Use a self-deployed Azure
 * Application" is ticked; otherwise the Authentication Type, defaulting to client credentials.
 */
export function selectFlow(manifest: IntegrationManifest, params: Params): FlowSelection {
  const flows = manifest.flows;
  const authType = typeof params["auth_type"] === "string" ? params["auth_type"].toLowerCase() : "";
  if (toBoolean(params["use_managed_identities"]) || authType === "azure managed identities") {
    if (flows.managedIdentities !== true) throw unsupported(manifest, "managed-identity");
    return { flow: "managed-identity", selfDeployed: true };
  }
  if (
    manifest.resource.sharedAccessSignature &&
    !flows.clientCredentials &&
    !flows.authorizationCode &&
    !flows.deviceCode
  ) {
    return { flow: "shared-access-signature", selfDeployed: true };
  }
  const canSelfDeploy = flows.clientCredentials || flows.authorizationCode || flows.deviceCode;
  const selfDeployed = toBoolean(params["self_deployed"]) || !flows.xsoarApp;
  // "yes - device": the Cortex XSOAR application is a public client reached through the device code flow.
  if (!selfDeployed)
    return { flow: flows.xsoarApp === "device" ? "device-code" : "xsoar-app", selfDeployed: false };
  if (!canSelfDeploy) {
    throw new ParameterError(
      `${manifest.displayName} cannot use a self-deployed Azure application. It supports: ${declaredFlows(
        flows,
      )
        .map((id) => FLOW_NAMES[id])
        .join(", ")}.`,
      AUTH_PARAMETERS.self_deployed.displayName,
    );
  }
  let flow: FlowId;
  if (authType === "workload identity" || authType === "environment") {
    const extension: FlowId = authType === "environment" ? "environment" : "workload-identity";
    if (!flows.clientCredentials) throw unsupported(manifest, extension);
    return { flow: extension, selfDeployed: true };
  }
  if (authType === "client credentials") flow = "client-credentials";
  else if (authType === "authorization code") flow = "authorization-code";
  else if (authType === "device code") flow = "device-code";
  else if (params["redirect_uri"] && params["auth_code"] && flows.authorizationCode)
    flow = "authorization-code";
  else if (flows.clientCredentials) flow = "client-credentials";
  else if (flows.authorizationCode) flow = "authorization-code";
  else flow = "device-code";
  const allowed =
    (flow === "client-credentials" && flows.clientCredentials) ||
    (flow === "authorization-code" && flows.authorizationCode) ||
    (flow === "device-code" && flows.deviceCode);
  if (!allowed) throw unsupported(manifest, flow);
  return { flow, selfDeployed: true };
}

/** Throws one error listing every missing parameter of the flow by display name. */
export function requireParameters(
  flow: KitFlowId,
  params: Params,
  definitions: ParameterDefinition[],
  selfDeployed: boolean,
): void {
  const missing = definitions.filter((definition) => !params[definition.key]);
  if (missing.length === 0) return;
  const names = missing.map((definition) => displayNameOf(definition, selfDeployed));
  throw new ParameterError(
    `The ${FLOW_NAMES[flow]} flow needs ${names.join(", ")}. Set ${missing.length === 1 ? "it" : "them"} with msint instance set <name> --param ${missing
      .map((definition) => `${definition.key}=…`)
      .join(" --param ")}.`,
    names[0]!,
  );
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

/** The flow's credential parameters, by display name, checked before anything is sent. */
function clientCredentialParameters(params: Params): ParameterDefinition[] {
  const certificate = params["certificate_thumbprint"] || params["private_key"];
  return certificate
    ? [AUTH_PARAMETERS.certificate_thumbprint, AUTH_PARAMETERS.private_key]
    : [AUTH_PARAMETERS.enc_key];
}

/** Client secret or certificate of a confidential client, parsed and validated. */
function confidentialCredential(params: Params) {
  if (params["certificate_thumbprint"] || params["private_key"]) {
    return {
      certificate: parseCertificateCredential({
        thumbprint: textParameter(params, "certificate_thumbprint") || undefined,
        privateKey: textParameter(params, "private_key"),
      }),
    };
  }
  return { clientSecret: textParameter(params, "enc_key") };
}

/** Builds the flow strategy for the instance, after checking the flow's parameters. */
export function createStrategy({
  manifest,
  params,
  endpoints,
  transport,
  deviceCodeWait,
  env = process.env,
}: StrategyInput): FlowStrategy {
  const { flow, selfDeployed } = selectFlow(manifest, params);
  const commandPrefix = manifest.commandPrefix;
  const loginHost = endpoints.loginHost;
  const p = AUTH_PARAMETERS;
  switch (flow) {
    case "client-credentials": {
      requireParameters(flow, params, [p.tenant_id, p.auth_id, ...clientCredentialParameters(params)], true);
      validators.tenant(textParameter(params, "tenant_id"), p.tenant_id);
      validators.guid(textParameter(params, "auth_id"), p.auth_id);
      const credential = confidentialCredential(params);
      const common = {
        tenantId: textParameter(params, "tenant_id"),
        clientId: textParameter(params, "auth_id"),
        loginHost,
        transport,
        commandPrefix,
      };
      return credential.certificate
        ? createClientCertificateStrategy({ ...common, certificate: credential.certificate })
        : createClientSecretStrategy({ ...common, clientSecret: credential.clientSecret });
    }
    case "workload-identity": {
      // The instance's parameters first, then the variables AKS workload identity injects into the pod.
      const tenantId = textParameter(params, "tenant_id") || env["AZURE_TENANT_ID"]?.trim() || "";
      const clientId = textParameter(params, "auth_id") || env["AZURE_CLIENT_ID"]?.trim() || "";
      const tokenFile =
        textParameter(params, "federated_token_file") || env["AZURE_FEDERATED_TOKEN_FILE"]?.trim() || "";
      requireParameters(
        flow,
        { tenant_id: tenantId, auth_id: clientId, federated_token_file: tokenFile },
        [p.tenant_id, p.auth_id, p.federated_token_file],
        true,
      );
      validators.tenant(tenantId, p.tenant_id);
      validators.guid(clientId, p.auth_id);
      p.federated_token_file.validate(tokenFile, p.federated_token_file);
      return createWorkloadIdentityStrategy({
        tenantId,
        clientId,
        tokenFilePath: tokenFile,
        loginHost,
        transport,
        commandPrefix,
      });
    }
    case "environment":
      return createEnvironmentStrategy({ env, loginHost, transport, commandPrefix });
    case "authorization-code": {
      requireParameters(
        flow,
        params,
        [p.tenant_id, p.auth_id, ...clientCredentialParameters(params), p.redirect_uri],
        true,
      );
      validators.tenant(textParameter(params, "tenant_id"), p.tenant_id);
      validators.guid(textParameter(params, "auth_id"), p.auth_id);
      return createAuthorizationCodeStrategy({
        tenantId: textParameter(params, "tenant_id"),
        clientId: textParameter(params, "auth_id"),
        ...confidentialCredential(params),
        redirectUri: textParameter(params, "redirect_uri"),
        authCode: textParameter(params, "auth_code"),
        loginHost,
        transport,
        commandPrefix,
      });
    }
    case "device-code": {
      requireParameters(flow, params, [p.auth_id], selfDeployed);
      if (selfDeployed) validators.guid(textParameter(params, "auth_id"), p.auth_id);
      const tenant = textParameter(params, "tenant_id");
      if (tenant && selfDeployed) validators.tenant(tenant, p.tenant_id);
      return createDeviceCodeStrategy({
        tenantId: tenant || "organizations",
        clientId: textParameter(params, "auth_id"),
        loginHost,
        transport,
        commandPrefix,
        wait: deviceCodeWait,
      });
    }
    case "managed-identity": {
      const clientId = textParameter(params, "managed_identities_client_id");
      return createManagedIdentityStrategy({
        clientId: clientId || undefined,
        resource: endpoints.audience,
        // The identity endpoint is local to the host (IMDS is link-local, App Service loopback): never through
        // the instance's proxy; the strategy's own transport has none.
        transport: toBoolean(params["proxy"]) ? undefined : transport,
      });
    }
    case "xsoar-app": {
      requireParameters(flow, params, [p.auth_id, p.tenant_id, p.enc_key], false);
      return createXsoarAppStrategy({
        authId: textParameter(params, "auth_id"),
        token: textParameter(params, "tenant_id"),
        key: textParameter(params, "enc_key"),
        appName: manifest.brokerAppName ?? manifest.id,
        resource: endpoints.audience,
        transport,
        commandPrefix,
      });
    }
    default:
      throw new MsintError(
        `${manifest.displayName} authenticates with ${FLOW_NAMES[flow]}, which needs no token.`,
      );
  }
}

/** Scopes the instance's tokens need: application scopes, or delegated ones for user flows. */
export function scopesFor(
  manifest: IntegrationManifest,
  flow: KitFlowId,
  endpoints: ResolvedEndpoints,
  resource: ResourceDefinition = manifest.resource,
): string[] {
  const delegated = flow === "authorization-code" || flow === "device-code";
  if (delegated && resource.delegatedScopes.length === 0) {
    throw new MsintError(
      `${manifest.displayName} declares no delegated scopes of ${resource.displayName} for the ${FLOW_NAMES[flow]} flow.`,
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
    scopes.push(...scopesFor(manifest, flow, resolveEndpoints(manifest, params, resource), resource));
  }
  return [...new Set(scopes)];
}

/** Creates the token provider of one instance. */
export function createTokenProvider(strategy: FlowStrategy, access: ContextAccess, now?: () => number) {
  return new TokenProvider(strategy, access, { now });
}

/** The flows in the seed table's words: "yes", "no", "yes - device", "no - saas". */
export function flowTableWords(flows: SupportedFlows) {
  const yesNo = (value: boolean) => (value ? "yes" : "no");
  return {
    xsoarApp: flows.xsoarApp === "device" ? "yes - device" : flows.xsoarApp === "yes" ? "yes" : "no",
    clientCredentials: yesNo(flows.clientCredentials),
    deviceCode: yesNo(flows.deviceCode),
    authorizationCode: yesNo(flows.authorizationCode),
    managedIdentities: flows.managedIdentities === "saas" ? "no - saas" : yesNo(flows.managedIdentities),
    nationalClouds: yesNo(flows.nationalClouds),
  };
}
