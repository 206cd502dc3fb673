import {
  AUTH_PARAMETERS,
  extensionFlows,
  FLOW_NAMES,
  type Integration,
  type KitFlowId,
  type ParameterDefinition,
  type ParameterValues,
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

/** The flows an integration can be configured with, in the order of the seed table. */
export function flowPlans(integration: Integration): FlowPlan[] {
  const { flows } = integration.manifest;
  const p = AUTH_PARAMETERS;
  const canSelfDeploy = flows.clientCredentials || flows.authorizationCode || flows.deviceCode;
  // With a Cortex XSOAR application to fall back on, a self-deployed flow is chosen by ticking self_deployed.
  const selfDeployed: ParameterValues = flows.xsoarApp ? { self_deployed: true } : {};
  const plans: FlowPlan[] = [];
  if (integration.manifest.resource.sharedAccessSignature && !canSelfDeploy) {
    const account = integration.parameter("account_name");
    plans.push({
      flow: "shared-access-signature",
      title: FLOW_NAMES["shared-access-signature"],
      settings: {},
      required: [...(account ? [account] : []), p.sas_token],
      credential: false,
      optional: [],
      selfDeployed: true,
    });
  }
  if (flows.xsoarApp === "yes") {
    plans.push({
      flow: "xsoar-app",
      title: FLOW_NAMES["xsoar-app"],
      settings: {},
      required: [p.auth_id, p.tenant_id, p.enc_key],
      credential: false,
      optional: [],
      selfDeployed: false,
    });
  }
  if (flows.xsoarApp === "device") {
    plans.push({
      flow: "device-code",
      title: `${FLOW_NAMES["xsoar-app"]} (device code)`,
      settings: {},
      required: [p.auth_id],
      credential: false,
      optional: [],
      selfDeployed: false,
    });
  }
  if (flows.clientCredentials) {
    plans.push({
      flow: "client-credentials",
      title: FLOW_NAMES["client-credentials"],
      settings: { ...selfDeployed, auth_type: "Client Credentials" },
      required: [p.tenant_id, p.auth_id],
      credential: true,
      optional: [],
      selfDeployed: true,
    });
  }
  if (flows.authorizationCode) {
    plans.push({
      flow: "authorization-code",
      title: FLOW_NAMES["authorization-code"],
      settings: { ...selfDeployed, auth_type: "Authorization Code" },
      required: [p.tenant_id, p.auth_id, p.redirect_uri],
      credential: true,
      optional: [p.auth_code],
      selfDeployed: true,
    });
  }
  if (flows.deviceCode) {
    plans.push({
      flow: "device-code",
      title: FLOW_NAMES["device-code"],
      settings: { ...selfDeployed, auth_type: "Device Code" },
      required: [p.auth_id],
      credential: false,
      optional: [p.tenant_id],
      selfDeployed: true,
    });
  }
  if (flows.managedIdentities === true) {
    plans.push({
      flow: "managed-identity",
      title: FLOW_NAMES["managed-identity"],
      settings: { use_managed_identities: true },
      required: [],
      credential: false,
      optional: [p.managed_identities_client_id],
      selfDeployed: true,
    });
  }
  // msint's extensions beyond the seed's six columns (docs/supported-flows.md): client-credentials grants whose
  // credential comes from the machine (a federated token file, or the AZURE_* variables).
  if (extensionFlows(flows).includes("workload-identity")) {
    plans.push({
      flow: "workload-identity",
      title: FLOW_NAMES["workload-identity"],
      settings: { ...selfDeployed, auth_type: "Workload Identity" },
      required: [],
      credential: false,
      optional: [p.tenant_id, p.auth_id, p.federated_token_file],
      selfDeployed: true,
    });
  }
  if (extensionFlows(flows).includes("environment")) {
    plans.push({
      flow: "environment",
      title: FLOW_NAMES.environment,
      settings: { ...selfDeployed, auth_type: "Environment" },
      required: [],
      credential: false,
      optional: [],
      selfDeployed: true,
    });
  }
  return plans;
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
  const p = AUTH_PARAMETERS;
  return { secret: [p.enc_key], certificate: [p.certificate_thumbprint, p.private_key] };
}

/** The parameters no flow selects: the cloud, TLS and proxy settings, and the integration's own. */
export function otherParameters(integration: Integration): ParameterDefinition[] {
  const inPlans = new Set<string>();
  for (const plan of flowPlans(integration)) {
    for (const definition of [...plan.required, ...plan.optional]) inPlans.add(definition.key);
  }
  for (const key of ["enc_key", "certificate_thumbprint", "private_key", "auth_code"]) inPlans.add(key);
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
