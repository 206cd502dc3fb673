import {
  CONFIDENTIAL_CREDENTIAL,
  type FlowDefinition,
  type Integration,
  type KitFlowId,
  type ParameterDefinition,
  type ParameterValues,
  supportedFlowDefinitions,
} from "@msint/integration-kit";

/**
 * One way an instance of an integration can authenticate, as `msint instance add` offers it: the settings that
 * choose the flow, the parameters it cannot run without, and those it may use.
 */
export interface FlowPlan {
  flow: KitFlowId;
  /** What people call it: "Client Credentials", "Cortex XSOAR application"… */
  title: string;
  /** The parameters that select this flow (self_deployed, auth_type, use_managed_identities). */
  settings: ParameterValues;
  /** Needed by the flow (a secret or a certificate counts as one, see `credential`). */
  required: ParameterDefinition[];
  /** A confidential client: Client Secret, or Certificate Thumbprint with Private Key. */
  credential: boolean;
  /** Used when given. */
  optional: ParameterDefinition[];
  /** Whether the parameters hold the self-deployed names (Tenant ID) or the broker's (Token). */
  selfDeployed: boolean;
}

/** The flow-selecting parameters and the cloud ones, which every plan shares. */
const SELECTORS = new Set(["self_deployed", "auth_type", "use_managed_identities"]);
const CLOUD = ["azure_cloud", "azure_ad_endpoint", "server_url"];

/** The flows the integration supports and `instance add` offers, in the registry's order. */
function offeredFlows(integration: Integration): FlowDefinition[] {
  const { manifest } = integration;
  return supportedFlowDefinitions(manifest).filter(
    (definition) => definition.plan && (definition.plan.offered?.(manifest) ?? true),
  );
}

/** The flows an integration can be configured with, in the flow registry's order (integration-kit src/flows/). */
export function flowPlans(integration: Integration): FlowPlan[] {
  const { manifest } = integration;
  return offeredFlows(integration).map((definition) => {
    const plan = definition.plan!;
    return {
      flow: definition.flow,
      title: plan.title ?? definition.displayName,
      settings: plan.settings(manifest),
      required: [...plan.required],
      credential: plan.credential,
      optional: [...plan.optional],
      selfDeployed: definition.registration !== "xsoar",
    };
  });
}

/** The plan of a selected flow (selectFlow's answer). */
export function planFor(
  integration: Integration,
  selection: { flow: KitFlowId; selfDeployed: boolean },
): FlowPlan | undefined {
  return flowPlans(integration).find(
    (plan) => plan.flow === selection.flow && plan.selfDeployed === selection.selfDeployed,
  );
}

/** A parameter's name as the flow's reader sees it: the broker's ID / Token / Key, else the display name. */
export function nameIn(plan: FlowPlan, definition: ParameterDefinition): string {
  return plan.selfDeployed ? definition.displayName : (definition.xsoarAppName ?? definition.displayName);
}

/** The credential parameters of a confidential client: the secret, or the certificate pair. */
export function credentialChoices(): { secret: ParameterDefinition[]; certificate: ParameterDefinition[] } {
  return {
    secret: [...CONFIDENTIAL_CREDENTIAL.secret],
    certificate: [...CONFIDENTIAL_CREDENTIAL.certificate],
  };
}

/** The parameters no flow selects: the cloud, TLS and proxy settings, and the integration's own. */
export function otherParameters(integration: Integration): ParameterDefinition[] {
  const inPlans = new Set<string>();
  for (const plan of flowPlans(integration)) {
    for (const definition of [...plan.required, ...plan.optional]) inPlans.add(definition.key);
  }
  // What a flow uses beyond its plan: the confidential credential, the authorization code.
  for (const flow of offeredFlows(integration)) {
    for (const definition of flow.parameters) inPlans.add(definition.key);
  }
  for (const definition of [...CONFIDENTIAL_CREDENTIAL.secret, ...CONFIDENTIAL_CREDENTIAL.certificate])
    inPlans.add(definition.key);
  return integration.parameters.filter(
    (definition) => !SELECTORS.has(definition.key) && !inPlans.has(definition.key),
  );
}

/** Whether a parameter is one of the cloud's (Azure Cloud, and with Custom its two endpoints). */
export function isCloudParameter(key: string): boolean {
  return CLOUD.includes(key);
}

/** `key=value` settings as `--param` words. */
export function settingWords(settings: ParameterValues): string {
  return Object.entries(settings)
    .map(
      ([key, value]) =>
        `--param ${key}=${typeof value === "string" && /\s/.test(value) ? `'${value}'` : value}`,
    )
    .join(" ");
}
