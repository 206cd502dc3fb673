/**
 * The flow registry: one file per flow (./<flow>.ts), listed here in selection order. The kit selects flows and
 * creates strategies from it, the CLI derives `instance add`'s plans, and repo-tools the docs and check:flows.
 * Adding a flow: write its file and its tests, and list it below (docs/flows.md).
 */
import type { IntegrationManifest } from "../manifest.js";
import { AUTH_PARAMETERS, type ParameterDefinition } from "../parameters.js";
import { authorizationCode } from "./authorization-code.js";
import { clientCredentials } from "./client-credentials.js";
import { deviceCode } from "./device-code.js";
import { environment } from "./environment.js";
import { managedIdentity } from "./managed-identity.js";
import { REGISTRATION_PARAMETERS } from "./shared.js";
import { sharedAccessSignature } from "./shared-access-signature.js";
import { canSelfDeploy, flowDisplayName, hasXsoarApp, registered } from "./store.js";
import type { FlowDefinition, KitFlowId } from "./types.js";
import { workloadIdentity } from "./workload-identity.js";
import { xsoarApp } from "./xsoar-app.js";
import { xsoarAppDevice } from "./xsoar-app-device.js";

export { declaredFlows, flowTableWords, SEED_COLUMNS, type SeedColumnKey } from "./columns.js";
export { inColumnOrder, selectFlowDefinition, selectionContext, supportedFlowNames } from "./select.js";
export { CONFIDENTIAL_CREDENTIAL, requireParameters } from "./shared.js";
export { authTypeIs, canSelfDeploy, declaresExtension, flowDisplayName } from "./store.js";
export * from "./types.js";

/**
 * The built-in flows in selection order (within each phase of SELECTION_PHASES the first match wins), which is
 * also the order `instance add` offers them and Authentication Type lists them.
 */
export const BUILT_IN_FLOWS: readonly FlowDefinition[] = [
  sharedAccessSignature,
  xsoarApp,
  xsoarAppDevice,
  clientCredentials,
  authorizationCode,
  deviceCode,
  managedIdentity,
  workloadIdentity,
  environment,
];
registered.push(...BUILT_IN_FLOWS);

/** What people call each flow id (a variant's display name does not replace its flow's). */
export const FLOW_NAMES = {} as Record<KitFlowId, string>;
function nameFlows(): void {
  for (const key of Object.keys(FLOW_NAMES)) delete FLOW_NAMES[key];
  // A flow's own definition first, so a variant ("xsoar-app-device") does not move its flow's key.
  const ordered = [...registered].sort((a, b) => Number(a.id !== a.flow) - Number(b.id !== b.flow));
  for (const definition of ordered) FLOW_NAMES[definition.flow] ??= flowDisplayName(definition.flow);
}
nameFlows();

/** The Authentication Type choices of the built-in flows (the parameter's options follow the live registry). */
export const AUTH_TYPES: readonly string[] = BUILT_IN_FLOWS.flatMap((definition) =>
  definition.authType ? [definition.authType] : [],
);
/** An Authentication Type value. */
export type AuthType = string;

/** Every registered flow, in selection order. */
export function flowDefinitions(): readonly FlowDefinition[] {
  return [...registered];
}

/** The flow of a registry id. */
export function flowDefinition(id: string): FlowDefinition | undefined {
  return registered.find((definition) => definition.id === id);
}

/**
 * Adds a flow to the registry, before the flow `before` names (else last), and returns what removes it again.
 * The flow then takes part in selection, `instance add`'s plans, the parameters of the integrations that support
 * it, and the generated docs. Ids are unique.
 */
export function registerFlow(definition: FlowDefinition, options: { before?: string } = {}): () => void {
  if (flowDefinition(definition.id)) throw new Error(`A flow with the id "${definition.id}" is registered.`);
  const at = options.before === undefined ? -1 : registered.findIndex((d) => d.id === options.before);
  if (options.before !== undefined && at < 0)
    throw new Error(`No flow "${options.before}" to register "${definition.id}" before.`);
  registered.splice(at < 0 ? registered.length : at, 0, definition);
  nameFlows();
  return () => {
    const index = registered.indexOf(definition);
    if (index >= 0) registered.splice(index, 1);
    nameFlows();
  };
}

/** The flows an integration supports, in selection order. */
export function supportedFlowDefinitions(manifest: IntegrationManifest): FlowDefinition[] {
  return registered.filter((definition) => definition.supports(manifest));
}

/** msint extension flows (docs/supported-flows.md lists them apart from the seed's table). */
export function extensionFlowDefinitions(): FlowDefinition[] {
  return registered.filter((definition) => definition.column === "msint extension");
}

/** The msint extension flows an integration has: implied by its seed columns, or listed in `flows.extensions`. */
export function extensionFlows(flows: IntegrationManifest["flows"]): KitFlowId[] {
  return extensionFlowDefinitions()
    .filter(
      (definition) =>
        (definition.impliedBy !== undefined && flows[definition.impliedBy] === true) ||
        (flows.extensions?.includes(definition.id) ?? false),
    )
    .map((definition) => definition.flow);
}

/** The order integrations declare the flows' parameters in: AUTH_PARAMETERS's, then any other by first use. */
const PARAMETER_ORDER = Object.keys(AUTH_PARAMETERS);
function parameterRank(key: string): number {
  const rank = PARAMETER_ORDER.indexOf(key);
  return rank < 0 ? PARAMETER_ORDER.length : rank;
}

/**
 * The instance parameters an integration's flows need: each supported flow's, the app registration's three when
 * a flow signs in with one, and the selectors (self_deployed where a Cortex XSOAR application is the default,
 * Authentication Type where a self-deployed flow exists). Each once, in AUTH_PARAMETERS's order.
 */
export function flowParameters(manifest: IntegrationManifest): ParameterDefinition[] {
  const byKey = new Map<string, ParameterDefinition>();
  const add = (definitions: readonly ParameterDefinition[]) => {
    for (const definition of definitions)
      if (!byKey.has(definition.key)) byKey.set(definition.key, definition);
  };
  const selfDeployable = canSelfDeploy(manifest);
  if (hasXsoarApp(manifest) && selfDeployable) add([AUTH_PARAMETERS.self_deployed]);
  if (selfDeployable) add([AUTH_PARAMETERS.auth_type]);
  for (const definition of supportedFlowDefinitions(manifest)) {
    if (definition.registration !== "none") add(REGISTRATION_PARAMETERS);
    add(definition.parameters);
  }
  const first = [...byKey.keys()];
  return [...byKey.values()].sort(
    (a, b) => parameterRank(a.key) - parameterRank(b.key) || first.indexOf(a.key) - first.indexOf(b.key),
  );
}

/** A problem with the manifest's `flows.extensions`, or undefined. */
export function extensionsProblem(manifest: IntegrationManifest): string | undefined {
  const extensions = manifest.flows.extensions;
  if (extensions === undefined) return undefined;
  if (!Array.isArray(extensions)) return "flows.extensions must be a list of flow ids.";
  const known = extensionFlowDefinitions().map((definition) => definition.id);
  const unknown = extensions.filter((id) => !known.includes(id));
  return unknown.length
    ? `flows.extensions lists ${unknown.map((id) => `"${id}"`).join(", ")}, which ${unknown.length === 1 ? "is not an" : "are not"} msint extension flow${unknown.length === 1 ? "" : "s"} of the registry (${known.join(", ")}).`
    : undefined;
}
